// The session lifecycle on ClickHouse: open, idle (quiet for the project's idle time) or closed
// (ended by the app or an admin), with a new turn reopening. Nothing is updated in place: a state
// is a row of session_states set at the session's version then (sessions.ver, which grows with
// every change), and it holds only while the session has the same turns (trace count) as then: a
// late span of a turn it has does not reopen it (migration 7).
// Why this is exact with retries and several servers: a state row is a pure function of (session
// version, state), so a retried or duplicated write is the same row; rows rank by (version, state),
// so of concurrent writers the later activity wins, and at the same activity closed wins over idle
// (a markIdle racing a close never reopens it); a new turn needs no write at all to reopen.
import { endsSession, type SpanRecord } from "../records.ts";
import type { Executor } from "./executor.ts";
import { latest } from "./latest.ts";

export const OPEN = 0;
export const IDLE = 1;
export const CLOSED = 2;
export const SESSION_STATES = ["open", "idle", "closed"] as const;

/**
 * The project's (`{p:String}`) state rows that hold: set at the session's current version (a
 * session's version only grows, so an older row's version is lower). A condition on the sessions
 * rollup table, so every list and total can filter by state without a join.
 */
const holding = (db: string, state: string) =>
  `(session_id, trace_count) IN (SELECT session_id, as_of_traces FROM ${db}.session_states FINAL WHERE project = {p:String} AND state ${state})`;

/** A condition on `sessions` keeping the sessions in this state. */
export function stateCondition(db: string, state: (typeof SESSION_STATES)[number]): string {
  if (state === "open") return `NOT ${holding(db, `> ${OPEN}`)}`;
  return holding(db, `= ${state === "idle" ? IDLE : CLOSED}`);
}

/** The state as a sort expression over `sessions`. */
export const stateColumn = (db: string) => `multiIf(${holding(db, `= ${IDLE}`)}, ${IDLE}, ${holding(db, `= ${CLOSED}`)}, ${CLOSED}, ${OPEN})`;

/**
 * The current rows of the project's (`{p:String}`) sessions `{ids:Array(String)}` that are not
 * deleted, each with its state as `lifecycle_state`: the rows and their states in one query.
 */
export const sessionsWithStates = (db: string) => `SELECT s.*, st.state AS lifecycle_state
  FROM ${latest(`${db}.sessions`, "session_id", "project = {p:String} AND session_id IN {ids:Array(String)}")} AS s
  LEFT JOIN ${latest(`${db}.session_states`, "session_id", "project = {p:String} AND session_id IN {ids:Array(String)}", "session_id, state, as_of_traces, ver")} AS st
    ON st.session_id = s.session_id AND st.as_of_traces = s.trace_count
  WHERE s.deleted = 0 SETTINGS join_use_nulls = 0`;

/** A session's row version and turns, which a state row is set at. */
export type Versioned = { session_id: string; ver: number; trace_count: number };

export class SessionLifecycle {
  readonly #ex: Executor;
  readonly #db: string;

  constructor(executor: Executor, database: string) {
    this.#ex = executor;
    this.#db = database;
  }

  /** The sessions' states (open when no state row holds), for reads that did not join them. */
  async states(project: string, sessionIds: string[]): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    const rows = await this.#ex.query<{ session_id: string; lifecycle_state: number }>(`SELECT session_id, lifecycle_state
      FROM (${sessionsWithStates(this.#db)})`, { p: project, ids: sessionIds });
    return new Map(rows.map((r) => [r.session_id, Number(r.lifecycle_state)]));
  }

  /** The current version, turns and spans of these sessions that are not deleted. */
  current(project: string, sessionIds: string[]): Promise<Array<Versioned & { span_count: number }>> {
    return this.#ex.query(`SELECT session_id, ver, trace_count, span_count FROM ${latest(`${this.#db}.sessions`, "session_id",
      "project = {p:String} AND session_id IN {ids:Array(String)}")} WHERE deleted = 0`, { p: project, ids: sessionIds });
  }

  /**
   * Marks up to `limit` open sessions quiet since `quietBeforeUs` idle. Two servers marking at once
   * may both count a session (the rows they write are the same).
   */
  async markIdle(project: string, quietBeforeUs: number, limit: number): Promise<number> {
    const db = this.#db;
    const due = await this.#ex.query<Versioned>(`SELECT session_id, ver, trace_count FROM ${db}.sessions FINAL
      WHERE project = {p:String} AND deleted = 0 AND end_us < {quiet:Int64} AND ${stateCondition(db, "open")}
      ORDER BY end_us, session_id LIMIT {n:UInt32}`,
    { p: project, quiet: quietBeforeUs, n: limit });
    await this.put(project, due, IDLE);
    return due.length;
  }

  /** Closes the sessions at their current version; returns those found. */
  async close(project: string, sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const found = await this.current(project, sessionIds);
    await this.put(project, found, CLOSED);
    return found.map((s) => s.session_id);
  }

  /** Sets the sessions' state at the version and turns given (as read from `sessions`). */
  async put(project: string, sessions: Versioned[], state: typeof IDLE | typeof CLOSED): Promise<void> {
    if (sessions.length === 0) return;
    const now = Date.now() * 1000;
    await this.#ex.insert(`${this.#db}.session_states`, sessions.map((s) => ({
      // The row's rank: later activity first, closed above idle at the same activity.
      project, session_id: s.session_id, state, as_of_ver: Number(s.ver), as_of_traces: Number(s.trace_count), changed_us: now, ver: Number(s.ver) * 4 + state,
    })));
  }
}

/**
 * The sessions a batch ends: those of traces with a span carrying `threadline.session.end`
 * (endSession()'s marker, or a turn that says it is the last). Closed after the batch is written,
 * so at the version that includes the batch's turns.
 */
export function endedSessions(spans: SpanRecord[]): string[] {
  const ending = new Set<string>();
  for (const s of spans) if (endsSession(s)) ending.add(s.traceId);
  const sessions = new Set<string>();
  for (const s of spans) if (ending.has(s.traceId) && s.sessionId != null) sessions.add(s.sessionId);
  return [...sessions];
}
