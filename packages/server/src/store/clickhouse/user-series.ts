// A user's activity over time on ClickHouse: their traces by the hour each started, and their
// sessions by the hour of their first trace in each, bucketed as SQLite buckets them. Read from
// the user's range of user_traces (one current row per trace with FINAL, never spans), counting a
// trace only while trace_index still files it under this user, as the users rollup counts; and
// the mean scores of the user's sessions' annotation summaries (session_scores, migration 4).
import { bucketFor, HOUR_US, point } from "../buckets.ts";
import type { StatsRecord } from "../store.ts";
import type { Executor } from "./executor.ts";

const H = HOUR_US;

export async function userSeries(executor: Executor, db: string, project: string, userId: string): Promise<{ bucketUs: number; series: StatsRecord["series"] }> {
  const live = `SELECT session_id, start_us, error_count, total_tokens, cost FROM ${db}.user_traces FINAL
    WHERE project = {p:String} AND user_id = {u:String} AND (trace_id, user_id) IN (SELECT trace_id, user_id FROM ${db}.trace_index FINAL
      WHERE project = {p:String} AND trace_id IN (SELECT trace_id FROM ${db}.user_traces WHERE project = {p:String} AND user_id = {u:String}))`;
  const hours = await executor.query(`WITH live AS (${live})
    SELECT hour_us, sum(s) AS sessions, sum(t) AS traces, sum(e) AS errors, sum(tok) AS tokens, sum(c) AS cost FROM (
      SELECT intDiv(start_us, ${H}) * ${H} AS hour_us, 0 AS s, 1 AS t, toUInt64(error_count > 0) AS e, total_tokens AS tok, cost AS c FROM live
      UNION ALL
      SELECT intDiv(min(start_us), ${H}) * ${H}, 1, 0, 0, 0, 0 FROM live WHERE session_id != '' GROUP BY session_id
    ) GROUP BY hour_us ORDER BY hour_us`, { p: project, u: userId });
  if (hours.length === 0) return { bucketUs: HOUR_US, series: [] };
  const bucketUs = bucketFor(Number(hours[0].hour_us), Number(hours[hours.length - 1].hour_us));
  const points = new Map<number, StatsRecord["series"][number]>();
  for (const row of hours) {
    const bucket = Math.floor(Number(row.hour_us) / bucketUs) * bucketUs;
    const p = points.get(bucket) ?? point(bucket, { sessions: 0, traces: 0, tokens: 0, cost: 0, errors: 0 });
    p.sessionCount += Number(row.sessions);
    p.traceCount += Number(row.traces);
    p.tokens += Number(row.tokens);
    p.cost += Number(row.cost);
    p.errorCount += Number(row.errors);
    points.set(bucket, p);
  }
  // Mean session scores per bucket and name, over the sessions the user's live traces are in (as
  // SQLite's user_scores: a session's summary at the hour the session started).
  const scores = await executor.query(`WITH live AS (${live})
    SELECT name, hour_us, sum(score) AS score_sum, count(score) AS scored FROM ${db}.session_scores FINAL
    WHERE project = {p:String} AND deleted = 0 AND session_id IN (SELECT session_id FROM live WHERE session_id != '')
    GROUP BY name, hour_us`, { p: project, u: userId });
  const sums = new Map<string, { bucket: number; name: string; sum: number; n: number }>();
  for (const row of scores) {
    const bucket = Math.floor(Number(row.hour_us) / bucketUs) * bucketUs;
    const key = `${bucket}\u0000${row.name as string}`;
    const entry = sums.get(key) ?? { bucket, name: row.name as string, sum: 0, n: 0 };
    entry.sum += Number(row.score_sum);
    entry.n += Number(row.scored);
    sums.set(key, entry);
  }
  for (const { bucket, name, sum, n } of sums.values()) {
    if (n <= 0) continue;
    const p = points.get(bucket) ?? point(bucket, { sessions: 0, traces: 0, tokens: 0, cost: 0, errors: 0 });
    (p.scores ??= {})[name] = sum / n;
    points.set(bucket, p);
  }
  return { bucketUs, series: [...points.values()].sort((a, b) => a.startUs - b.startUs) };
}
