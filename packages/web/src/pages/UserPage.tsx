import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { isNotFoundError } from "../api/client.ts";
import { annotationNamesQuery, sessionsQuery, userQuery } from "../api/queries.ts";
import type { UserDetail } from "../api/types.ts";
import { annotationTitle } from "../components/AnnotationCell.tsx";
import { CHART_COLORS, TimeSeriesChart } from "../components/charts/TimeSeriesChart.tsx";
import { DeleteButton } from "../components/DeleteButton.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { SessionsTable } from "../components/SessionsTable.tsx";
import { StatCards, type StatCard } from "../components/StatCards.tsx";
import { TimeText } from "../components/TimeText.tsx";
import { EmptyState, ErrorState, LoadingState, Spinner } from "../components/states.tsx";
import { formatCost, formatNumber, formatTokens } from "../lib/format.ts";
import { formatCompact, formatCompactCost, formatScore } from "../lib/figures.ts";
import { bucketName, defaultMinBuckets, fillSeries } from "../lib/series.ts";
import { ANNOTATION_SORT_PREFIX, resolveUserSessionsSearch, sessionsSearch, toggleSort } from "../lib/sessionsSearch.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/lists.css";

const route = getRouteApi("/projects/$project/users/$userId");

function userCards(user: UserDetail): StatCard[] {
  const cards: StatCard[] = [
    { id: "sessions", label: "Sessions", value: formatNumber(user.sessionCount) },
    { id: "traces", label: "Turns", value: formatNumber(user.traceCount) },
    {
      id: "tokens",
      label: "Tokens",
      value: formatTokens(user.tokens.total),
      title: `${formatTokens(user.tokens.prompt)} prompt + ${formatTokens(user.tokens.completion)} completion`,
    },
    { id: "cost", label: "Cost", value: formatCost(user.cost.total) },
    { id: "errors", label: "Errors", value: formatNumber(user.errorCount), tone: user.errorCount > 0 ? "error" : undefined },
    { id: "first-seen", label: "First seen", value: <TimeText iso={user.firstSeen} />, small: true },
    { id: "last-seen", label: "Last seen", value: <TimeText iso={user.lastSeen} />, small: true },
  ];
  return cards;
}

/** One card per annotation name: the mean over the user's sessions, and the most frequent label. */
function annotationCards(user: UserDetail): StatCard[] {
  return (user.annotations ?? []).map((a) => {
    const parts = [a.score !== null ? formatScore(a.score) : null, a.label].filter((p) => p !== null);
    return { id: `annotation-${a.name}`, label: a.name, value: parts.join(" · ") || "—", title: annotationTitle(a.name, a) };
  });
}

function UserCharts({ user }: { user: UserDetail }) {
  const series = fillSeries(user.series ?? [], user.bucketMs, { minBuckets: defaultMinBuckets(user.bucketMs) });
  const per = bucketName(user.bucketMs);
  const times = series.map((p) => Date.parse(p.time));
  const scoreNames = [...new Set(series.flatMap((p) => Object.keys(p.scores ?? {})))].sort();
  return (
    <div className="stats-charts stats-charts--grid">
      <TimeSeriesChart
        testId="user-chart-sessions"
        title={`Sessions per ${per}`}
        kind="bar"
        times={times}
        bucketMs={user.bucketMs}
        series={[{ key: "sessions", label: "Sessions", color: "var(--chart-1)", values: series.map((p) => p.sessionCount) }]}
        format={formatCompact}
      />
      <TimeSeriesChart
        testId="user-chart-tokens"
        title={`Tokens per ${per}`}
        kind="bar"
        times={times}
        bucketMs={user.bucketMs}
        series={[{ key: "tokens", label: "Tokens", color: "var(--chart-6)", values: series.map((p) => p.tokens) }]}
        format={formatCompact}
      />
      <TimeSeriesChart
        testId="user-chart-cost"
        title={`Cost per ${per}`}
        kind="bar"
        times={times}
        bucketMs={user.bucketMs}
        series={[{ key: "cost", label: "Cost", color: "var(--chart-2)", values: series.map((p) => p.cost) }]}
        format={formatCompactCost}
      />
      <TimeSeriesChart
        testId="user-chart-scores"
        title={`Mean scores per ${per}`}
        kind="line"
        scale="score"
        times={times}
        bucketMs={user.bucketMs}
        series={scoreNames.map((name, i) => ({
          key: name,
          label: name,
          color: CHART_COLORS[i % CHART_COLORS.length],
          values: series.map((p) => p.scores?.[name] ?? null),
        }))}
        format={formatScore}
      />
    </div>
  );
}

/** One user: their figures, usage and scores over time, and their sessions. */
export function UserPage() {
  const { project, userId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: me } = useQuery(meQuery());
  const listParams = resolveUserSessionsSearch(userId, search);
  useDocumentTitle(`User ${userId}`, project);

  const user = useQuery(userQuery(project, userId));
  const sessions = useQuery(sessionsQuery(project, listParams));
  const names = useQuery(annotationNamesQuery(project));
  const columns = names.data?.names.map((a) => a.name) ?? [];
  if (listParams.sort.startsWith(ANNOTATION_SORT_PREFIX)) {
    const sorted = listParams.sort.slice(ANNOTATION_SORT_PREFIX.length);
    if (!columns.includes(sorted)) columns.push(sorted);
  }

  let head;
  if (user.isPending) {
    head = <LoadingState label="Loading user…" />;
  } else if (user.isError) {
    head = isNotFoundError(user.error) ? (
      <EmptyState title="User not found">
        <p className="muted">
          No session of project “{project}” has this user.{" "}
          <Link to="/projects/$project/users" params={{ project }} className="link">
            All users
          </Link>
        </p>
      </EmptyState>
    ) : (
      <ErrorState title="Could not load the user" error={user.error} onRetry={() => void user.refetch()} />
    );
  } else {
    head = (
      <section className="stats-panel" aria-label="Figures of this user">
        <StatCards testId="user-stats" cards={userCards(user.data)} />
        {(user.data.annotations ?? []).length > 0 && (
          <StatCards testId="user-annotations" cards={annotationCards(user.data)} />
        )}
        <UserCharts user={user.data} />
      </section>
    );
  }

  let list;
  if (user.isError && isNotFoundError(user.error)) {
    list = null;
  } else if (sessions.isPending) {
    list = <LoadingState label="Loading sessions…" />;
  } else if (sessions.isError) {
    list = <ErrorState title="Could not load the sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />;
  } else if (sessions.data.sessions.length === 0) {
    list = <EmptyState title={search.cursor ? "No more sessions" : "No sessions"} />;
  } else {
    const go = (cursor: string | undefined) =>
      void navigate({ search: sessionsSearch({ sort: listParams.sort, order: listParams.order, cursor }) });
    list = (
      <>
        <SessionsTable
          project={project}
          sessions={sessions.data.sessions}
          sort={listParams.sort}
          order={listParams.order}
          annotationNames={columns}
          hideUsers
          busy={sessions.isPlaceholderData}
          onSort={(key) => void navigate({ search: toggleSort(search, key) })}
        />
        <Pagination
          hasPrevious={search.cursor !== undefined}
          nextCursor={sessions.data.nextCursor}
          summary={`${formatNumber(sessions.data.sessions.length)} on this page${user.data ? ` · ${formatNumber(user.data.sessionCount)} in total` : ""}`}
          onFirst={() => go(undefined)}
          onNext={(cursor) => go(cursor)}
        />
      </>
    );
  }

  return (
    <div className="page page--wide">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <ol>
          <li>
            <Link to="/projects/$project/users" params={{ project }} className="link" data-testid="breadcrumb-users">
              Users
            </Link>
          </li>
          <li aria-current="page" className="breadcrumb__current" title={userId}>
            {userId}
          </li>
        </ol>
      </nav>
      <div className="page-header">
        <h1 className="page-title page-title--id" title={userId}>
          <span className="page-title__sub">User</span> <span data-testid="user-title">{userId}</span>
        </h1>
        {(user.isFetching || sessions.isFetching) && !user.isPending && <Spinner label="Refreshing user" />}
        <div className="page-header__actions">
          <Link
            to="/projects/$project/sessions"
            params={{ project }}
            search={{ user: userId }}
            className="button button--ghost"
            data-testid="user-sessions-filter-link"
          >
            Filter sessions by this user
          </Link>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              void user.refetch();
              void sessions.refetch();
            }}
            disabled={user.isFetching}
          >
            Refresh
          </button>
          {roleIn(me, project) === "admin" && user.isSuccess && (
            <DeleteButton
              project={project}
              kind="users"
              id={userId}
              label="Erase user"
              consequence={`Every session ${userId} took part in (${formatNumber(user.data.sessionCount)}), whole, and their other traces are deleted for good, with spans, search words, annotations and evaluations.`}
              onDeleted={() => void navigate({ to: "/projects/$project/users", params: { project }, search: {} })}
            />
          )}
        </div>
      </div>
      {head}
      {list !== null && (
        <>
          <h2 className="section-title">Sessions</h2>
          {list}
        </>
      )}
    </div>
  );
}
