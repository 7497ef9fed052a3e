// Time buckets of the stats and series both stores answer with: hours, days, and the totals of
// per-hour rows bucketed the same way whichever store added them up.
import type { StatsRecord } from "./store.ts";

export const HOUR_US = 3_600_000_000;
export const DAY_US = 24 * HOUR_US;
export const hourOf = (us: number) => Math.floor(us / HOUR_US) * HOUR_US;

/** Token columns (as both stores name them) and the Tokens field each holds. */
export const TOKEN_NAMES = [
  ["prompt_tokens", "prompt"], ["completion_tokens", "completion"], ["total_tokens", "total"],
  ["cache_read_tokens", "cacheRead"], ["cache_write_tokens", "cacheWrite"], ["reasoning_tokens", "reasoning"],
] as const;

type Row = Record<string, unknown>;

export const EMPTY_STATS: StatsRecord = {
  sessionCount: 0, userCount: 0, avgDurationUs: 0, avgTraces: 0, cost: 0, errorSessions: 0, series: [], bucketUs: HOUR_US,
  tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
};

/** Hourly buckets for up to three days of data, daily ones beyond. */
export function bucketFor(firstUs: number, lastUs: number): number {
  return lastUs - firstUs <= 3 * DAY_US ? HOUR_US : DAY_US;
}

export function point(bucket: number, row: Row): StatsRecord["series"][number] {
  return {
    startUs: bucket,
    sessionCount: row.sessions as number,
    traceCount: row.traces as number,
    tokens: row.tokens as number,
    cost: row.cost as number,
    errorCount: row.errors as number,
  };
}

/** Stats from per-hour totals (rows shaped like session_hours, in hour order), bucketed by hour or by day. */
export function statsOfHours(hours: Row[], userCount: number): StatsRecord {
  const bucketUs = bucketFor(hours[0].hour_us as number, hours[hours.length - 1].hour_us as number);
  const sum = (column: string, rows = hours) => rows.reduce((total, row) => total + (row[column] as number), 0);
  const sessions = sum("sessions");
  const buckets = new Map<number, Row[]>();
  for (const row of hours) {
    const bucket = Math.floor((row.hour_us as number) / bucketUs) * bucketUs;
    const rows = buckets.get(bucket);
    if (rows) rows.push(row);
    else buckets.set(bucket, [row]);
  }
  return {
    sessionCount: sessions,
    userCount,
    avgDurationUs: sum("duration_us") / sessions,
    avgTraces: sum("traces") / sessions,
    tokens: Object.fromEntries(TOKEN_NAMES.map(([column, name]) => [name, sum(column)])) as StatsRecord["tokens"],
    cost: sum("cost"),
    errorSessions: sum("error_sessions"),
    bucketUs,
    series: [...buckets].map(([bucket, rows]) => point(bucket, {
      sessions: sum("sessions", rows), traces: sum("traces", rows), tokens: sum("total_tokens", rows), cost: sum("cost", rows),
      errors: sum("error_sessions", rows),
    })),
  };
}
