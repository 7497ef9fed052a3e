// The detail reads: a session, its traces, a trace and its spans, a user, the projects.
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup, UserRollup } from "../records.ts";
import type { Cursor, Page, UserQuery } from "../store.ts";
import { TOMBSTONE } from "./rollup-sql.ts";
import { labelledUsers } from "./annotation-filters.ts";
import type { Executor, Params } from "./executor.ts";
import { keysetPage } from "./keyset.ts";
import { latest } from "./latest.ts";
import { toProject, toSession, toUser } from "./rollup-rows.ts";
import { sessionsWithStates } from "./session-state.ts";
import { toSpan } from "./span-rows.ts";
import { toTrace } from "./trace-rows.ts";

export const USER_SORT_COLUMNS: Record<UserQuery["sort"], string> = {
  firstSeen: "first_seen_us", lastSeen: "last_seen_us", sessionCount: "session_count", traceCount: "trace_count",
  spanCount: "span_count", errorCount: "error_count", promptTokens: "prompt_tokens", completionTokens: "completion_tokens",
  totalTokens: "total_tokens", cost: "cost",
};

export class Reads {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #known = new Set<string>();

  constructor(executor: Executor, database: string) {
    this.#ex = executor;
    this.#db = database;
  }

  /** Projects' totals, counted from the rollups (projects are few; no span is read). */
  async projects(name: string | null): Promise<ProjectRollup[]> {
    const db = this.#db;
    const only = name == null ? "" : "AND project = {name:String}";
    const rows = await this.#ex.query(`SELECT p.name AS name, s.n AS session_count, t.n AS trace_count, t.spans AS span_count,
        u.n AS user_count, t.last AS last_activity_us
      FROM (SELECT DISTINCT name FROM ${db}.projects ${name == null ? "" : "WHERE name = {name:String}"}) AS p
      LEFT JOIN (SELECT project, count() AS n FROM ${db}.sessions FINAL WHERE deleted = 0 ${only} GROUP BY project) AS s ON s.project = p.name
      LEFT JOIN (SELECT project, count() AS n, sum(ver) AS spans, max(end_us) AS last FROM ${db}.trace_index FINAL WHERE ver < ${TOMBSTONE} ${only} GROUP BY project) AS t ON t.project = p.name
      LEFT JOIN (SELECT project, count() AS n FROM ${db}.users FINAL WHERE deleted = 0 ${only} GROUP BY project) AS u ON u.project = p.name
      ORDER BY last_activity_us DESC, name SETTINGS join_use_nulls = 0`, name == null ? {} : { name });
    return rows.map(toProject);
  }

  /** Projects are never removed, so one that was found once is remembered for good. */
  async hasProject(name: string): Promise<boolean> {
    if (this.#known.has(name)) return true;
    const rows = await this.#ex.query(`SELECT 1 FROM ${this.#db}.projects WHERE name = {name:String} LIMIT 1`, { name });
    if (rows.length) this.#known.add(name);
    return rows.length > 0;
  }

  async projectNames(): Promise<string[]> {
    return (await this.#ex.query<{ name: string }>(`SELECT DISTINCT name FROM ${this.#db}.projects ORDER BY name`)).map((r) => r.name);
  }

  async session(project: string, sessionId: string): Promise<SessionRollup | null> {
    const rows = await this.#ex.query(sessionsWithStates(this.#db), { p: project, ids: [sessionId] });
    return rows.length ? toSession(rows[0]) : null;
  }

  /** The session's traces that the index still files under it, in time order. */
  sessionTraces(project: string, sessionId: string, limit: number, after: Cursor | null): Promise<Page<TraceRollup>> {
    const db = this.#db;
    return keysetPage(this.#ex, {
      from: `${db}.traces FINAL`, column: "start_us", id: "trace_id",
      where: ["project = {p:String}", "session_id = {s:String}", `trace_id IN (SELECT trace_id FROM ${db}.trace_index FINAL
        WHERE project = {p:String} AND session_id = {s:String} AND trace_id IN
          (SELECT trace_id FROM ${db}.traces WHERE project = {p:String} AND session_id = {s:String}))`],
      params: { p: project, s: sessionId }, limit, order: "asc", after,
      rows: (ids) => this.#ex.query(`SELECT * FROM ${latest(`${db}.traces`, "trace_id", "project = {p:String} AND session_id = {s:String} AND trace_id IN {ids:Array(String)}")}`,
        { p: project, s: sessionId, ids }),
    }, toTrace);
  }

  async trace(project: string, traceId: string): Promise<TraceRollup | null> {
    const db = this.#db;
    const rows = await this.#ex.query(`SELECT * FROM ${db}.traces FINAL WHERE project = {p:String} AND trace_id = {t:String}
        AND session_id = (SELECT session_id FROM ${db}.trace_index FINAL WHERE project = {p:String} AND trace_id = {t:String})`,
      { p: project, t: traceId });
    return rows.length ? toTrace(rows[0]) : null;
  }

  async spans(project: string, traceIds: string[]): Promise<Map<string, SpanRecord[]>> {
    const out = new Map<string, SpanRecord[]>();
    if (traceIds.length === 0) return out;
    const rows = await this.#ex.query(`SELECT * EXCEPT (search_text) FROM ${this.#db}.spans FINAL
      WHERE project = {p:String} AND trace_id IN {ids:Array(String)} ORDER BY trace_id, start_us, span_id`, { p: project, ids: traceIds });
    for (const row of rows) {
      const span = toSpan(row);
      const list = out.get(span.traceId);
      if (list) list.push(span);
      else out.set(span.traceId, [span]);
    }
    return new Map(traceIds.filter((id) => out.has(id)).map((id) => [id, out.get(id)!]));
  }

  async user(project: string, userId: string): Promise<UserRollup | null> {
    const rows = await this.#users(project, [userId]);
    return rows.length ? toUser(rows[0]) : null;
  }

  /** The current rows of these users that are not deleted. */
  #users = (project: string, ids: string[]) => this.#ex.query(`SELECT * FROM ${latest(`${this.#db}.users`, "user_id",
    "project = {p:String} AND user_id IN {ids:Array(String)}")} WHERE deleted = 0`, { p: project, ids });

  users(query: UserQuery): Promise<Page<UserRollup>> {
    const where = ["project = {p:String}", "deleted = 0"];
    const params: Params = { p: query.project };
    if (query.labelled) where.push(labelledUsers(this.#db, query.labelled, params));
    if (query.search) {
      // As SQLite's LIKE: a substring, ASCII letters in any case.
      where.push("positionCaseInsensitive(user_id, {search:String}) > 0");
      params.search = query.search;
    }
    return keysetPage(this.#ex, {
      from: `${this.#db}.users FINAL`, column: USER_SORT_COLUMNS[query.sort], id: "user_id", where, params,
      limit: query.limit, order: query.order, after: query.after,
      rows: (ids) => this.#users(query.project, ids),
    }, toUser);
  }
}
