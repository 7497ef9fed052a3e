import type { SessionStats } from "../api/types.ts";
import { bucketName, defaultMinBuckets, fillSeries } from "../lib/series.ts";
import { formatCost, formatDuration, formatNumber, formatTokens } from "../lib/format.ts";
import { formatCompact, formatCompactCost, formatMean, formatPercent } from "../lib/figures.ts";
import { StatCards } from "./StatCards.tsx";
import { TimeSeriesChart } from "./charts/TimeSeriesChart.tsx";

/** The filtered set's figures and its sessions and cost over time. */
export function SessionStatsPanel({
  stats,
  busy,
  fromMs,
  toMs,
}: {
  stats: SessionStats;
  busy?: boolean;
  /** The time filter's window, so the chart's axis spans it. */
  fromMs?: number;
  toMs?: number;
}) {
  const series = fillSeries(stats.series, stats.bucketMs, { fromMs, toMs, minBuckets: defaultMinBuckets(stats.bucketMs) });
  const per = bucketName(stats.bucketMs);
  const times = series.map((p) => Date.parse(p.time));
  return (
    <section className="stats-panel" aria-label="Figures of the matching sessions">
      <StatCards
        testId="session-stats"
        busy={busy}
        cards={[
          { id: "sessions", label: "Sessions", value: formatNumber(stats.sessionCount) },
          { id: "users", label: "Users", value: formatNumber(stats.userCount) },
          { id: "avg-duration", label: "Avg duration", value: formatDuration(stats.avgDurationMs) },
          { id: "avg-turns", label: "Avg turns", value: formatMean(stats.avgTurns) },
          {
            id: "tokens",
            label: "Tokens",
            value: formatTokens(stats.tokens.total),
            title: `${formatTokens(stats.tokens.prompt)} prompt + ${formatTokens(stats.tokens.completion)} completion`,
          },
          { id: "cost", label: "Cost", value: formatCost(stats.cost.total) },
          {
            id: "error-rate",
            label: "Error rate",
            value: formatPercent(stats.errorRate),
            title: "Share of sessions with at least one failed span",
            tone: stats.errorRate > 0 ? "error" : undefined,
          },
        ]}
      />
      <div className="stats-charts">
        <TimeSeriesChart
          testId="chart-sessions"
          title={`Sessions per ${per}`}
          kind="bar"
          times={times}
          bucketMs={stats.bucketMs}
          series={[{ key: "sessions", label: "Sessions", color: "var(--chart-1)", values: series.map((p) => p.sessionCount) }]}
          format={formatCompact}
        />
        <TimeSeriesChart
          testId="chart-cost"
          title={`Cost per ${per}`}
          kind="bar"
          times={times}
          bucketMs={stats.bucketMs}
          series={[{ key: "cost", label: "Cost", color: "var(--chart-2)", values: series.map((p) => p.cost) }]}
          format={formatCompactCost}
        />
      </div>
    </section>
  );
}
