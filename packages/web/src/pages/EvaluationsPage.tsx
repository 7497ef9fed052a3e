// The project's evaluators: what each one says over time (sessions per label, per day) and one
// click to the sessions and users it flags ("worst sessions this week", "users with two or more
// frustrated sessions").
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { distributionQuery, evaluatorsQuery, type Evaluator } from "../api/evaluations.ts";
import { TimeSeriesChart, type ChartSeries } from "../components/charts/TimeSeriesChart.tsx";
import { EmptyState, ErrorState, LoadingState } from "../components/states.tsx";
import { formatCompact, formatScore } from "../lib/figures.ts";
import { formatNumber } from "../lib/format.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/lists.css";
import "../styles/evaluations.css";

const route = getRouteApi("/projects/$project/evaluations");
const WINDOW = "30d";
const COLORS = ["var(--chart-2)", "var(--chart-1)", "var(--chart-6)", "var(--chart-5)", "var(--chart-4)"];

export function EvaluationsPage() {
  const { project } = route.useParams();
  useDocumentTitle("Evaluations", project);
  const evaluators = useQuery(evaluatorsQuery(project));
  let body;
  if (evaluators.isPending) body = <LoadingState label="Loading evaluators…" />;
  else if (evaluators.isError) body = <ErrorState title="Could not load the evaluators" error={evaluators.error} onRetry={() => void evaluators.refetch()} />;
  else if (evaluators.data.evaluators.length === 0) {
    body = (
      <EmptyState title="No evaluators run on this server">
        Start it without <code>evaluators: []</code> in the configuration, or configure an LLM judge or one of your own (docs/evaluations.md).
      </EmptyState>
    );
  } else body = <div className="evaluator-cards">{evaluators.data.evaluators.map((e) => <EvaluatorCard key={e.name} project={project} evaluator={e} />)}</div>;
  return (
    <div className="page page--wide">
      <div className="page-header">
        <h1 className="page-title">Evaluations</h1>
        <span className="muted">Sessions are evaluated once they have been quiet for the idle time, or are closed. Last 30 days, by the sessions’ start.</span>
      </div>
      {body}
    </div>
  );
}

function EvaluatorCard({ project, evaluator }: { project: string; evaluator: Evaluator }) {
  const { name, worst } = evaluator;
  const distribution = useQuery(distributionQuery(project, name, WINDOW));
  const data = distribution.data;
  const labels = data ? [...new Set(data.series.flatMap((p) => Object.keys(p.labels)))].sort((a, b) => (a === worst?.label ? 1 : b === worst?.label ? -1 : a.localeCompare(b))) : [];
  const times = data ? bucketTimes(Date.parse(data.from), Date.parse(data.to), data.bucketMs) : [];
  const at = (time: number) => data?.series.find((p) => Date.parse(p.time) === time);
  const series: ChartSeries[] = labels.map((label, i) => ({
    key: label, label, color: label === worst?.label ? "var(--chart-3)" : COLORS[i % COLORS.length],
    values: times.map((t) => at(t)?.labels[label] ?? null),
  }));
  const sessions = data?.series.reduce((n, p) => n + p.sessions, 0) ?? 0;
  const flagged = worst?.label ? (data?.series.reduce((n, p) => n + (p.labels[worst.label!] ?? 0), 0) ?? 0) : null;
  const scored = data?.series.filter((p) => p.meanScore !== null) ?? [];
  const mean = scored.length ? scored.reduce((sum, p) => sum + p.meanScore! * p.sessions, 0) / scored.reduce((n, p) => n + p.sessions, 0) : null;
  return (
    <section className="evaluator-card" data-testid={`evaluator-${name}`} aria-label={`Evaluator ${name}`}>
      <header className="evaluator-card__head">
        <h2 className="evaluator-card__name">{name}</h2>
        <span className="label-pill">{evaluator.kind === "LLM" ? "LLM judge" : "code"}</span>
        {evaluator.budget && (
          <span className="muted" data-testid="evaluator-budget">
            today {formatNumber(evaluator.budget.calls)}/{formatNumber(evaluator.budget.limits.calls)} calls · {formatCompact(evaluator.budget.tokens)}/{formatCompact(evaluator.budget.limits.tokens)} tokens
          </span>
        )}
      </header>
      <p className="evaluator-card__description">{evaluator.description}</p>
      <p className="evaluator-card__figures" data-testid="evaluator-figures">
        {formatNumber(sessions)} sessions evaluated
        {flagged !== null && sessions > 0 && <> · <strong>{formatNumber(flagged)}</strong> {worst!.label}</>}
        {mean !== null && <> · mean score {formatScore(mean)}</>}
      </p>
      {distribution.isError ? (
        <ErrorState title="Could not load its results" error={distribution.error} onRetry={() => void distribution.refetch()} />
      ) : (
        <TimeSeriesChart testId={`distribution-${name}`} title="Sessions per label" kind="stacked" times={times} bucketMs={data?.bucketMs ?? 86_400_000} series={series} format={formatCompact} />
      )}
      {worst && (
        <nav className="evaluator-card__links" aria-label={`Views of ${name}`}>
          <Link to="/projects/$project/sessions" params={{ project }} data-testid="worst-sessions"
            search={{ range: "7d", sort: `annotation:${name}`, order: worst.score === "higher" ? "desc" : "asc" }}>
            Worst sessions this week
          </Link>
          {worst.label && (
            <>
              <Link to="/projects/$project/sessions" params={{ project }} search={{ range: "7d", annotation: name, label: worst.label }}>
                “{worst.label}” sessions this week
              </Link>
              <Link to="/projects/$project/users" params={{ project }} data-testid="repeat-users"
                search={{ annotation: name, label: worst.label, minSessions: 2, since: "7d" }}>
                Users with two or more “{worst.label}” sessions this week
              </Link>
            </>
          )}
        </nav>
      )}
    </section>
  );
}

/** Every bucket start from `from` to `to`. */
function bucketTimes(from: number, to: number, bucketMs: number): number[] {
  const times: number[] = [];
  for (let t = Math.floor(from / bucketMs) * bucketMs; t <= to; t += bucketMs) times.push(t);
  return times;
}
