// What `threadline migrate` reads from and writes to a ClickHouse store besides spans and
// annotations: trace ids, annotations and session states page by page in id order (each a range
// of a table's sorting key), and the states imported from another store.
import { toAnnotation } from "../annotation-rows.ts";
import type { AnnotationRecord } from "../records.ts";
import type { SessionStateRecord } from "../store.ts";
import { TOMBSTONE } from "./rollup-sql.ts";
import type { Executor } from "./executor.ts";
import { CLOSED, IDLE, OPEN, SESSION_STATES, type SessionLifecycle } from "./session-state.ts";

export class Export {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #lifecycle: SessionLifecycle;

  constructor(executor: Executor, database: string, lifecycle: SessionLifecycle) {
    this.#ex = executor;
    this.#db = database;
    this.#lifecycle = lifecycle;
  }

  async traceIds(project: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.#ex.query<{ trace_id: string }>(`SELECT trace_id FROM ${this.#db}.trace_index FINAL
      WHERE project = {p:String} AND trace_id > {after:String} AND ver < ${TOMBSTONE} ORDER BY trace_id LIMIT {n:UInt32}`,
    { p: project, after: after ?? "", n: limit });
    return rows.map((r) => r.trace_id);
  }

  async annotations(project: string, after: string | null, limit: number): Promise<AnnotationRecord[]> {
    const rows = await this.#ex.query(`SELECT * FROM ${this.#db}.annotations FINAL
      WHERE project = {p:String} AND id > {after:String} AND deleted = 0 ORDER BY id LIMIT {n:UInt32}`, { p: project, after: after ?? "", n: limit });
    return rows.map(toAnnotation);
  }

  async sessionStates(project: string, after: string | null, limit: number): Promise<SessionStateRecord[]> {
    const db = this.#db;
    const rows = await this.#ex.query<{ session_id: string; version: number | null }>(`SELECT s.session_id AS session_id, e.version AS version
      FROM (SELECT session_id FROM ${db}.sessions FINAL WHERE project = {p:String} AND session_id > {after:String} AND deleted = 0
        ORDER BY session_id LIMIT {n:UInt32}) AS s
      LEFT JOIN (SELECT session_id, version FROM ${db}.eval_scheduled FINAL WHERE project = {p:String} AND session_id > {after:String}) AS e
        ON e.session_id = s.session_id
      ORDER BY s.session_id SETTINGS join_use_nulls = 1`, { p: project, after: after ?? "", n: limit });
    const states = await this.#lifecycle.states(project, rows.map((r) => r.session_id));
    return rows.map((r) => ({
      sessionId: r.session_id,
      state: SESSION_STATES[states.get(r.session_id) ?? OPEN],
      evaluatedVersion: r.version == null ? null : Number(r.version),
    }));
  }

  async importStates(project: string, states: SessionStateRecord[]): Promise<void> {
    if (states.length === 0) return;
    const here = new Map((await this.#lifecycle.current(project, states.map((s) => s.sessionId))).map((r) => [r.session_id, r]));
    const inState = (state: SessionStateRecord["state"]) => states.filter((s) => s.state === state).flatMap((s) => here.get(s.sessionId) ?? []);
    await this.#lifecycle.put(project, inState("closed"), CLOSED);
    await this.#lifecycle.put(project, inState("idle"), IDLE);
    // Only where the session here is at that version: one evaluated at an older version stays due.
    const now = Date.now() * 1000;
    const rows = states.filter((s) => s.evaluatedVersion != null && Number(here.get(s.sessionId)?.span_count) === s.evaluatedVersion)
      .map((s) => ({ project, session_id: s.sessionId, version: s.evaluatedVersion, scheduled_us: now }));
    if (rows.length) await this.#ex.insert(`${this.#db}.eval_scheduled`, rows);
  }
}
