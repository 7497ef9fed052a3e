// The SQLite read path: list pages walk a sort index of a rollup table (keyset pagination);
// filters narrow them through the link tables and the full-text index.
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup, UserRollup } from "../records.ts";
import { ftsQuery } from "../search-text.ts";
import type { Cursor, Page, SessionQuery, UserQuery } from "../store.ts";
import { toProject, toSession, toSpan, toTrace, toUser, type Row } from "./rows.ts";
import { SESSION_SORT_COLUMNS, USER_SORT_COLUMNS } from "./schema.ts";

/** Past this many matches, a filter checks sessions in sort order instead of starting from its matches. */
const MANY = 2000;

export class SqliteReader {
  readonly #db: DatabaseSync;
  readonly #sql: Record<string, StatementSync>;
  readonly #listCache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
    const statements: Record<string, string> = {
      projects: "SELECT * FROM projects ORDER BY last_activity_us DESC, name",
      project: "SELECT * FROM projects WHERE name = ?",
      session: "SELECT * FROM sessions WHERE project = ? AND session_id = ?",
      sessionTraces: "SELECT * FROM traces WHERE project = ? AND session_id = ? ORDER BY start_us, trace_id",
      trace: "SELECT * FROM traces WHERE project = ? AND trace_id = ?",
      spans: `SELECT spans.*, resources.attributes AS resource FROM spans JOIN resources ON resources.id = spans.resource_id
        WHERE trace_key = ? ORDER BY start_us, span_id`,
      user: "SELECT * FROM users WHERE project = ? AND user_id = ?",
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, db.prepare(text)]));
  }

  listProjects(): ProjectRollup[] {
    return (this.#sql.projects.all() as Row[]).map(toProject);
  }

  getProject(name: string): ProjectRollup | null {
    const row = this.#sql.project.get(name) as Row | undefined;
    return row ? toProject(row) : null;
  }

  listSessions(query: SessionQuery): Page<SessionRollup> {
    const { filter } = query;
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    const add = (clause: string, ...values: SQLInputValue[]) => {
      where.push(clause);
      params.push(...values);
    };
    // Each link filter picks its plan by how many sessions it keeps: few, and the query starts
    // from them (IN); many, and it walks the sort index and checks each session (EXISTS),
    // stopping after a page. Either alone is slow at the other end (BENCHMARKS.md).
    if (filter.userId != null) {
      const many = this.#atLeast("SELECT 1 FROM user_sessions WHERE project = ? AND user_id = ?", [query.project, filter.userId]);
      add(
        many
          ? "EXISTS (SELECT 1 FROM user_sessions u WHERE u.project = sessions.project AND u.user_id = ? AND u.session_id = sessions.session_id)"
          : "session_id IN (SELECT session_id FROM user_sessions WHERE project = ? AND user_id = ?)",
        ...(many ? [filter.userId] : [query.project, filter.userId]),
      );
    }
    if (filter.tag != null) {
      const many = this.#atLeast("SELECT 1 FROM session_tags WHERE project = ? AND tag = ?", [query.project, filter.tag]);
      add(
        many
          ? "EXISTS (SELECT 1 FROM session_tags g WHERE g.project = sessions.project AND g.tag = ? AND g.session_id = sessions.session_id)"
          : "session_id IN (SELECT session_id FROM session_tags WHERE project = ? AND tag = ?)",
        ...(many ? [filter.tag] : [query.project, filter.tag]),
      );
    }
    if (filter.fromUs != null) add("end_us >= ?", filter.fromUs);
    if (filter.toUs != null) add("start_us <= ?", filter.toUs);
    if (filter.hasErrors != null) where.push(filter.hasErrors ? "error_count > 0" : "error_count = 0");
    if (filter.text != null) {
      const match = ftsQuery(filter.text);
      if (match == null) return { rows: [], next: null };
      const matching = "SELECT rowid FROM spans_fts WHERE spans_fts MATCH ?";
      if (this.#atLeast(matching, [match])) {
        add(
          `EXISTS (SELECT 1 FROM traces t JOIN spans sp ON sp.trace_key = t.trace_key
            WHERE t.project = sessions.project AND t.session_id = sessions.session_id AND sp.rowid IN (${matching}))`,
          match,
        );
      } else {
        add(
          `session_id IN (SELECT t.session_id FROM spans_fts f
            JOIN spans sp ON sp.rowid = f.rowid
            JOIN traces t ON t.trace_key = sp.trace_key
            WHERE spans_fts MATCH ? AND t.project = ? AND t.session_id IS NOT NULL)`,
          match,
          query.project,
        );
      }
    }
    return this.#page("sessions", "session_id", SESSION_SORT_COLUMNS[query.sort], query, where, params, toSession);
  }

  listUsers(query: UserQuery): Page<UserRollup> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (query.search) {
      where.push("user_id LIKE ? ESCAPE '\\'");
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    return this.#page("users", "user_id", USER_SORT_COLUMNS[query.sort], query, where, params, toUser);
  }

  /** Whether `sql` (a query of rows) yields at least MANY rows, counting no further. */
  #atLeast(sql: string, params: SQLInputValue[]): boolean {
    const text = `SELECT count(*) AS n FROM (${sql} LIMIT ${MANY})`;
    let statement = this.#listCache.get(text);
    if (!statement) this.#listCache.set(text, (statement = this.#db.prepare(text)));
    return ((statement.get(...params) as Row).n as number) >= MANY;
  }

  /** One keyset page of a rollup table, sorted by `column` then id. */
  #page<T>(
    table: string,
    id: string,
    column: string,
    query: { project: string; limit: number; order: "asc" | "desc"; after: Cursor | null },
    where: string[],
    params: SQLInputValue[],
    map: (row: Row) => T,
  ): Page<T> {
    const direction = query.order === "asc" ? "ASC" : "DESC";
    const clauses = ["project = ?", ...where];
    const values: SQLInputValue[] = [query.project, ...params];
    if (query.after) {
      clauses.push(`(${column}, ${id}) ${query.order === "asc" ? ">" : "<"} (?, ?)`);
      values.push(query.after.value, query.after.id);
    }
    const text = `SELECT * FROM ${table} WHERE ${clauses.join(" AND ")} ORDER BY ${column} ${direction}, ${id} ${direction} LIMIT ?`;
    let statement = this.#listCache.get(text);
    if (!statement) this.#listCache.set(text, (statement = this.#db.prepare(text)));
    const rows = statement.all(...values, query.limit + 1) as Row[];
    const last = rows.length > query.limit ? rows[query.limit - 1] : null;
    return {
      rows: rows.slice(0, query.limit).map(map),
      next: last ? { value: last[column] as number, id: last[id] as string } : null,
    };
  }

  getSession(project: string, sessionId: string): SessionRollup | null {
    const row = this.#sql.session.get(project, sessionId) as Row | undefined;
    return row ? toSession(row) : null;
  }

  listSessionTraces(project: string, sessionId: string): TraceRollup[] {
    return (this.#sql.sessionTraces.all(project, sessionId) as Row[]).map(toTrace);
  }

  getTrace(project: string, traceId: string): { trace: TraceRollup; spans: SpanRecord[] } | null {
    const trace = this.#sql.trace.get(project, traceId) as Row | undefined;
    if (!trace) return null;
    return { trace: toTrace(trace), spans: (this.#sql.spans.all(trace.trace_key as number) as Row[]).map(toSpan) };
  }

  getUser(project: string, userId: string): UserRollup | null {
    const row = this.#sql.user.get(project, userId) as Row | undefined;
    return row ? toUser(row) : null;
  }
}
