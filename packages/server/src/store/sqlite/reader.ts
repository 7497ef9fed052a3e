// The SQLite read path: list pages walk a sort index of a rollup table (keyset pagination);
// filters narrow them (session-filter.ts).
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup, UserRollup } from "../records.ts";
import type { Cursor, Page, SearchRecord, SessionFilter, SessionQuery, StatsRecord, UserQuery } from "../store.ts";
import { readBlock, toProject, toSession, toSpan, toTrace, toUser, type Row } from "./rows.ts";
import { readBlocks } from "./body-log.ts";
import { bucketFor, HOUR_US, hourOf, point } from "../buckets.ts";
import { SESSION_SORT_COLUMNS, SPANS_PER_TRACE, USER_SORT_COLUMNS } from "./schema.ts";
import { sessionConditions } from "./session-filter.ts";
import { SessionStats } from "./session-stats.ts";

interface PageQuery {
  limit: number;
  order: "asc" | "desc";
  after: Cursor | null;
}

export class SqliteReader {
  readonly #db: DatabaseSync;
  readonly #sql: Record<string, StatementSync>;
  readonly #cache = new Map<string, StatementSync>();
  readonly #stats: SessionStats;

  constructor(db: DatabaseSync) {
    this.#db = db;
    const statements: Record<string, string> = {
      projects: "SELECT * FROM projects ORDER BY last_activity_us DESC, name",
      project: "SELECT * FROM projects WHERE name = ?",
      session: "SELECT * FROM sessions WHERE project = ? AND session_id = ?",
      trace: "SELECT * FROM traces WHERE project = ? AND trace_id = ?",
      spans: `SELECT spans.*, resources.attributes AS resource FROM spans JOIN resources ON resources.id = spans.resource_id
        WHERE span_key BETWEEN ?1 * ${SPANS_PER_TRACE} AND ?1 * ${SPANS_PER_TRACE} + ${SPANS_PER_TRACE - 1} ORDER BY start_us, span_id`,
      bodyPages: "SELECT data FROM body_pages WHERE page BETWEEN ? AND ? ORDER BY page",
      user: "SELECT * FROM users WHERE project = ? AND user_id = ?",
      userHours: "SELECT * FROM user_hours WHERE project = ? AND user_id = ? ORDER BY hour_us",
      userScoreHours: "SELECT name, hour_us, score_sum, scored FROM user_scores WHERE project = ? AND user_id = ?",
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, db.prepare(text)]));
    this.#stats = new SessionStats((sql) => this.#prepare(sql), this.#atLeast);
  }

  #prepare(text: string): StatementSync {
    let statement = this.#cache.get(text);
    if (!statement) this.#cache.set(text, (statement = this.#db.prepare(text)));
    return statement;
  }

  /** Whether `sql` (a query of rows) yields at least `n` rows, counting no further. */
  #atLeast = (sql: string, params: SQLInputValue[], n: number): boolean =>
    ((this.#prepare(`SELECT count(*) AS n FROM (${sql} LIMIT ${n})`).get(...params) as Row).n as number) >= n;

  listProjects(): ProjectRollup[] {
    return (this.#sql.projects.all() as Row[]).map(toProject);
  }

  getProject(name: string): ProjectRollup | null {
    const row = this.#sql.project.get(name) as Row | undefined;
    return row ? toProject(row) : null;
  }

  listSessions(query: SessionQuery): Page<SessionRollup> {
    const conditions = sessionConditions(query.project, query.filter, this.#atLeast);
    if (!conditions) return { rows: [], next: null };
    if (typeof query.sort === "object") {
      // By an annotation's mean score: only the sessions that have one.
      return this.#page(
        "session_scores sc JOIN sessions ON sessions.project = sc.project AND sessions.session_id = sc.session_id",
        "sc.score", "sessions.session_id", query,
        ["sc.project = ?", "sc.name = ?", "sc.score IS NOT NULL", ...conditions.where],
        [query.project, query.sort.annotation, ...conditions.params],
        toSession,
        "sessions.*, sc.score AS sort_value",
      );
    }
    const column = `sessions.${SESSION_SORT_COLUMNS[query.sort]}`;
    return this.#page("sessions", column, "sessions.session_id", query, conditions.where, conditions.params, toSession);
  }

  listUsers(query: UserQuery): Page<UserRollup> {
    const where = ["users.project = ?"];
    const params: SQLInputValue[] = [query.project];
    if (query.search) {
      where.push("users.user_id LIKE ? ESCAPE '\\'");
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (query.labelled) {
      // Few users qualify ("two frustrated sessions this week"): the set is gathered from the
      // label index first, then the sort index walked over it.
      const { name, label, minSessions, sinceUs } = query.labelled;
      where.push(`users.user_id IN (SELECT user_id FROM user_scores WHERE project = ? AND name = ?${label == null ? "" : " AND label = ?"}
        AND hour_us >= ? GROUP BY user_id HAVING sum(sessions) >= ?)`);
      params.push(query.project, name, ...(label == null ? [] : [label]), hourOf(sinceUs), minSessions);
    }
    return this.#page("users", `users.${USER_SORT_COLUMNS[query.sort]}`, "users.user_id", query, where, params, toUser);
  }

  /** One keyset page, sorted by `column` then `id` (both qualified column names). */
  #page<T>(from: string, column: string, id: string, query: PageQuery, where: string[], params: SQLInputValue[], map: (row: Row) => T, select = "*"): Page<T> {
    const direction = query.order === "asc" ? "ASC" : "DESC";
    const clauses = [...where];
    const values = [...params];
    if (query.after) {
      clauses.push(`(${column}, ${id}) ${query.order === "asc" ? ">" : "<"} (?, ?)`);
      values.push(query.after.value, query.after.id);
    }
    const sql = `SELECT ${select}, ${column} AS page_value, ${id} AS page_id FROM ${from} WHERE ${clauses.join(" AND ")}
      ORDER BY ${column} ${direction}, ${id} ${direction} LIMIT ?`;
    const rows = this.#prepare(sql).all(...values, query.limit + 1) as Row[];
    const last = rows.length > query.limit ? rows[query.limit - 1] : null;
    return {
      rows: rows.slice(0, query.limit).map(map),
      next: last ? { value: last.page_value as number, id: last.page_id as string } : null,
    };
  }

  getSession(project: string, sessionId: string): SessionRollup | null {
    const row = this.#sql.session.get(project, sessionId) as Row | undefined;
    return row ? toSession(row) : null;
  }

  listSessionTraces(project: string, sessionId: string, limit: number, after: Cursor | null): Page<TraceRollup> {
    return this.#page(
      "traces", "traces.start_us", "traces.trace_id", { limit, order: "asc", after },
      ["traces.project = ?", "traces.session_id = ?"], [project, sessionId], toTrace,
    );
  }

  getTrace(project: string, traceId: string): { trace: TraceRollup; spans: SpanRecord[] } | null {
    const trace = this.#sql.trace.get(project, traceId) as Row | undefined;
    return trace ? { trace: toTrace(trace), spans: this.#spansOf(trace) } : null;
  }

  getTraceSpans(project: string, traceIds: string[]): Map<string, SpanRecord[]> {
    const out = new Map<string, SpanRecord[]>();
    for (const traceId of traceIds) {
      const trace = this.#sql.trace.get(project, traceId) as Row | undefined;
      if (trace) out.set(traceId, this.#spansOf(trace));
    }
    return out;
  }

  /** The trace's spans in time order, their bodies read from the trace's blocks. */
  #spansOf(trace: Row): SpanRecord[] {
    const rows = this.#sql.spans.all(trace.trace_key as number) as Row[];
    const blocks = new Map<number, ReturnType<typeof readBlock>>();
    for (const [at, bytes] of readBlocks(this.#sql.bodyPages, rows.map((row) => [row.body_at as number, row.body_len as number]))) {
      blocks.set(at, readBlock(bytes));
    }
    return rows.map((row) => {
      row.project = trace.project;
      row.trace_id = trace.trace_id;
      return toSpan(row, blocks.get(row.body_at as number)![row.block_index as number]);
    });
  }

  getUser(project: string, userId: string): UserRollup | null {
    const row = this.#sql.user.get(project, userId) as Row | undefined;
    return row ? toUser(row) : null;
  }

  sessionStats(project: string, filter: SessionFilter): StatsRecord {
    return this.#stats.stats(project, filter);
  }

  /** A user's activity by bucket (user_hours), with their sessions' mean scores (user_scores). */
  userSeries(project: string, userId: string): { bucketUs: number; series: StatsRecord["series"] } {
    const hours = this.#sql.userHours.all(project, userId) as Row[];
    if (hours.length === 0) return { bucketUs: HOUR_US, series: [] };
    const bucketUs = bucketFor(hours[0].hour_us as number, hours[hours.length - 1].hour_us as number);
    const bucketOf = (row: Row) => Math.floor((row.hour_us as number) / bucketUs) * bucketUs;
    const points = new Map<number, StatsRecord["series"][number]>();
    for (const row of hours) {
      const bucket = bucketOf(row);
      const p = points.get(bucket) ?? point(bucket, { sessions: 0, traces: 0, tokens: 0, cost: 0, errors: 0 });
      p.sessionCount += row.sessions as number;
      p.traceCount += row.traces as number;
      p.tokens += row.total_tokens as number;
      p.cost += row.cost as number;
      p.errorCount += row.error_traces as number;
      points.set(bucket, p);
    }
    const sums = new Map<string, { sum: number; n: number }>();
    for (const row of this.#sql.userScoreHours.all(project, userId) as Row[]) {
      const k = `${bucketOf(row)}\u0000${row.name as string}`;
      const entry = sums.get(k) ?? { sum: 0, n: 0 };
      entry.sum += row.score_sum as number;
      entry.n += row.scored as number;
      sums.set(k, entry);
    }
    for (const [k, { sum, n }] of sums) {
      if (n <= 0) continue;
      const [bucket, name] = k.split("\u0000");
      const p = points.get(Number(bucket)) ?? point(Number(bucket), { sessions: 0, traces: 0, tokens: 0, cost: 0, errors: 0 });
      (p.scores ??= {})[name] = sum / n;
      points.set(Number(bucket), p);
    }
    return { bucketUs, series: [...points.values()].sort((a, b) => a.startUs - b.startUs) };
  }

  /** Ids that start with the text (sessions, users, traces), then sessions whose words match. */
  search(project: string, text: string, limit: number): SearchRecord {
    const prefix = (column: string) => `${column} >= ? AND ${column} < ?`;
    const range = [text, `${text}\u{10FFFF}`];
    const byId = (this.#prepare(`SELECT session_id, user_ids, start_us FROM sessions WHERE project = ? AND ${prefix("session_id")} LIMIT ?`)
      .all(project, ...range, limit) as Row[]).map((row) => ({ sessionId: row.session_id as string, userIds: JSON.parse(row.user_ids as string) as string[], startUs: row.start_us as number, match: "id" as const }));
    const byText = this.listSessions({ project, limit, sort: "startTime", order: "desc", after: null, filter: { text } }).rows
      .filter((s) => !byId.some((hit) => hit.sessionId === s.sessionId))
      .map((s) => ({ sessionId: s.sessionId, userIds: s.userIds, startUs: s.startUs, match: "text" as const }));
    const users = (this.#prepare(`SELECT user_id, session_count FROM users WHERE project = ? AND ${prefix("user_id")} LIMIT ?`)
      .all(project, ...range, limit) as Row[]).map((row) => ({ userId: row.user_id as string, sessionCount: row.session_count as number }));
    const traceRange = [text.toLowerCase(), `${text.toLowerCase()}\u{10FFFF}`];
    const traces = /^[0-9a-f]{4,32}$/i.test(text)
      ? (this.#prepare(`SELECT trace_id, session_id, start_us FROM traces WHERE project = ? AND ${prefix("trace_id")} LIMIT ?`)
          .all(project, ...traceRange, limit) as Row[]).map((row) => ({ traceId: row.trace_id as string, sessionId: (row.session_id as string | null) ?? null, startUs: row.start_us as number }))
      : [];
    return { sessions: [...byId, ...byText].slice(0, limit), users, traces };
  }
}
