// The sessions page's header (totals and a series) for a filter. Unfiltered, by errors, by user or
// by a time window, it adds up the hourly totals (session_hours) and reads only the sessions at the
// window's edges; any other filter totals its matching sessions in one grouped pass. At 5M spans
// the grouped pass took 234-882 ms for errors, the heaviest user and a 7-day window (BENCHMARKS.md).
import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { SessionFilter, StatsRecord } from "../store.ts";
import { EMPTY_STATS, HOUR_US, statsOfHours } from "../buckets.ts";
import type { Row } from "./rows.ts";
import { LONG_SESSION_US, TOKEN_COLUMNS } from "./schema.ts";
import { sessionConditions, type Conditions } from "./session-filter.ts";

const MIN_US = -(2 ** 53);
const MAX_US = 2 ** 53;
const HOUR_FIELDS = ["sessions", "traces", "duration_us", "error_sessions", ...TOKEN_COLUMNS];

type AtLeast = (sql: string, params: SQLInputValue[], n: number) => boolean;

export class SessionStats {
  readonly #prepare: (sql: string) => StatementSync;
  readonly #atLeast: AtLeast;

  /** `prepare`: the reader's cached statements. */
  constructor(prepare: (sql: string) => StatementSync, atLeast: AtLeast) {
    this.#prepare = prepare;
    this.#atLeast = atLeast;
  }

  stats(project: string, filter: SessionFilter): StatsRecord {
    const given = Object.entries(filter).filter(([, value]) => value !== undefined).map(([key]) => key);
    const window = filter.fromUs != null || filter.toUs != null;
    const fromRollup = given.every((key) => ["hasErrors", "userId", "fromUs", "toUs"].includes(key)) && !(window && filter.userId != null);
    if (!fromRollup) return this.#scanned(project, filter);
    if (window) return this.#windowed(project, filter);
    const hours = this.#hours(project, filter.hasErrors, filter.userId ?? "", MIN_US, MAX_US);
    if (hours.length === 0) return EMPTY_STATS;
    return statsOfHours(hours, filter.userId != null ? 1 : this.#userCount(project, filter.hasErrors));
  }

  /** Per-hour totals of session_hours: of one user or ('') the project, failed or not or both. */
  #hours(project: string, hasErrors: boolean | undefined, userId: string, fromUs: number, beforeUs: number): Row[] {
    return this.#prepare(
      `SELECT hour_us, ${HOUR_FIELDS.map((f) => `total(${f}) AS ${f}`).join(", ")} FROM session_hours
       WHERE project = ? AND has_errors IN (${errorStates(hasErrors)}) AND user_id = ? AND hour_us >= ? AND hour_us < ?
       GROUP BY hour_us ORDER BY hour_us`,
    ).all(project, userId, fromUs, beforeUs) as Row[];
  }

  #userCount(project: string, hasErrors: boolean | undefined): number {
    if (hasErrors === undefined) {
      return ((this.#prepare("SELECT user_count FROM projects WHERE name = ?").get(project) as Row | undefined)?.user_count as number) ?? 0;
    }
    return (this.#prepare("SELECT count(DISTINCT user_id) AS n FROM session_hours WHERE project = ? AND has_errors = ? AND user_id != ''")
      .get(project, hasErrors ? 1 : 0) as Row).n as number;
  }

  /**
   * A window's sessions are those that started in it, and those that started before it and ended
   * in or after it. The first come from the hourly totals for the hours wholly inside the window,
   * and from the sessions themselves in the partial hours at its ends; the second are short
   * sessions that started less than LONG_SESSION_US before the window, and the few longer ones.
   */
  #windowed(project: string, filter: SessionFilter): StatsRecord {
    const { fromUs, toUs, hasErrors } = filter;
    const conditions = sessionConditions(project, { fromUs, toUs, hasErrors }, this.#atLeast, false) as Conditions;
    const firstHour = fromUs == null ? MIN_US : Math.ceil(fromUs / HOUR_US) * HOUR_US;
    const endHour = toUs == null ? MAX_US : Math.floor((toUs + 1) / HOUR_US) * HOUR_US;
    const hours: Row[] = [];
    const edges: [string, SQLInputValue[]][] = [];
    const started = (lo: number, hi: number) => edges.push(["sessions_by_start_us", ["sessions.start_us BETWEEN ? AND ?", lo, hi]]);
    if (firstHour < endHour) {
      hours.push(...this.#hours(project, hasErrors, "", firstHour, endHour));
      if (fromUs != null) started(fromUs, firstHour - 1);
      if (toUs != null) started(endHour, toUs);
    } else {
      started(fromUs ?? MIN_US, toUs ?? MAX_US);
    }
    if (fromUs != null) {
      edges.push(["sessions_by_start_us", ["sessions.start_us >= ? AND sessions.start_us < ? AND sessions.duration_us <= ?", fromUs - LONG_SESSION_US, fromUs, LONG_SESSION_US]]);
      // Longer ones through their own index. The bound is written out: SQLite uses a partial index
      // only for a condition that implies its own.
      edges.push(["sessions_long", [`sessions.duration_us > ${LONG_SESSION_US} AND sessions.start_us < ?`, fromUs]]);
    }
    const sessions: Row[] = [];
    for (const [index, [clause, ...values]] of edges) {
      const sql = `SELECT start_us, trace_count, duration_us, error_count, user_ids, ${TOKEN_COLUMNS.join(", ")}
        FROM sessions INDEXED BY ${index} WHERE ${[...conditions.where, clause as string].join(" AND ")}`;
      sessions.push(...(this.#prepare(sql).all(...conditions.params, ...values) as Row[]));
    }
    const all = [...hours, ...hourRowsOf(sessions)].sort((a, b) => (a.hour_us as number) - (b.hour_us as number));
    if (all.length === 0) return EMPTY_STATS;
    const edgeUsers = sessions.flatMap((session) => JSON.parse(session.user_ids as string) as string[]);
    if (firstHour >= endHour) return statsOfHours(all, new Set(edgeUsers).size);
    // The users of the whole hours and of the edge sessions, counted in SQLite: a 7-day window at
    // 5M spans has 43,500 user-hours of 25,000 users, 26 ms counted here, 64 ms handed to JavaScript.
    const users = this.#prepare(
      `SELECT count(*) AS n FROM (
         SELECT user_id FROM session_hours INDEXED BY session_hours_by_hour
         WHERE project = ? AND hour_us >= ? AND hour_us < ? AND user_id != '' AND has_errors IN (${errorStates(hasErrors)})
         UNION SELECT value FROM json_each(?))`,
    ).get(project, firstHour, endHour, JSON.stringify(edgeUsers)) as Row;
    return statsOfHours(all, users.n as number);
  }

  /** Any other filter: one grouped pass over the matching sessions. */
  #scanned(project: string, filter: SessionFilter): StatsRecord {
    const conditions = sessionConditions(project, filter, this.#atLeast, false);
    if (!conditions) return EMPTY_STATS;
    const where = conditions.where.join(" AND ");
    const hours = this.#prepare(
      `SELECT start_us / ${HOUR_US} * ${HOUR_US} AS hour_us, count(*) AS sessions, total(trace_count) AS traces,
        total(duration_us) AS duration_us, total(error_count > 0) AS error_sessions,
        ${TOKEN_COLUMNS.map((c) => `total(${c}) AS ${c}`).join(", ")}
       FROM sessions WHERE ${where} GROUP BY hour_us ORDER BY hour_us`,
    ).all(...conditions.params) as Row[];
    if (hours.length === 0) return EMPTY_STATS;
    if (filter.userId != null) return statsOfHours(hours, 1);
    const users = this.#prepare(
      `SELECT count(DISTINCT user_id) AS n FROM user_sessions WHERE project = ? AND session_id IN (SELECT session_id FROM sessions WHERE ${where})`,
    ).get(project, ...conditions.params) as Row;
    return statsOfHours(hours, users.n as number);
  }
}

const errorStates = (hasErrors: boolean | undefined) => (hasErrors === undefined ? "0, 1" : hasErrors ? "1" : "0");

/** Sessions (SESSION_HOUR_SOURCE rows) added up by the hour they started, as session_hours holds them. */
function hourRowsOf(sessions: Row[]): Row[] {
  const byHour = new Map<number, Row>();
  for (const s of sessions) {
    const hour = Math.floor((s.start_us as number) / HOUR_US) * HOUR_US;
    const row = byHour.get(hour) ?? Object.fromEntries([["hour_us", hour], ...HOUR_FIELDS.map((f) => [f, 0])]);
    const values = [1, s.trace_count, s.duration_us, (s.error_count as number) > 0 ? 1 : 0, ...TOKEN_COLUMNS.map((c) => s[c])];
    HOUR_FIELDS.forEach((f, i) => (row[f] = (row[f] as number) + (values[i] as number)));
    byHour.set(hour, row);
  }
  return [...byHour.values()];
}
