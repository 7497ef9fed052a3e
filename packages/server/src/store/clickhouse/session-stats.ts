// The sessions page's header on ClickHouse: totals and a series of the sessions a filter keeps.
// One grouped pass over the sessions rollup (FINAL: one current row per session, never spans), by
// the hour each session started; statsOfHours (buckets.ts, shared with SQLite: an hour for up to three
// days, else a day), turns the hours into the answer, so both stores bucket alike. The rollup rows
// are full recomputations, so a retried or doubled write cannot count a session twice.
import { EMPTY_STATS, HOUR_US, statsOfHours } from "../buckets.ts";
import type { SessionFilter, StatsRecord } from "../store.ts";
import type { Executor, Row } from "./executor.ts";
import { conditions } from "./session-list.ts";
import { TOKEN_FIELDS } from "./span-rows.ts";

const SUMS = [...TOKEN_FIELDS.map(([column]) => column), "cost"].map((c) => `sum(${c}) AS ${c}`).join(", ");

export async function sessionStats(executor: Executor, db: string, project: string, filter: SessionFilter): Promise<StatsRecord> {
  const { where, params } = conditions(filter, db);
  const all = { p: project, ...params };
  const matching = `FROM ${db}.sessions FINAL WHERE ${["project = {p:String}", "deleted = 0", ...where].join(" AND ")}`;
  const hours = (await executor.query(`SELECT intDiv(start_us, ${HOUR_US}) * ${HOUR_US} AS hour_us, count() AS sessions,
      sum(trace_count) AS traces, sum(duration_us) AS duration_us, countIf(error_count > 0) AS error_sessions, ${SUMS}
    ${matching} GROUP BY hour_us ORDER BY hour_us`, all)).map(numbers);
  if (hours.length === 0) return EMPTY_STATS;
  // As SQLite: a user's sessions count that one user.
  if (filter.userId != null) return statsOfHours(hours, 1);
  const [users] = await executor.query(`SELECT uniqExact(u) AS n FROM (SELECT user_ids ${matching}) ARRAY JOIN user_ids AS u`, all);
  return statsOfHours(hours, Number(users.n));
}

const numbers = (row: Row): Row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
