// The embedded store: SQLite through node:sqlite, in WAL mode. Writes are synchronous and
// transactional; one writeSpans call is one transaction (the writer batches requests into it).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup } from "../records.ts";
import { rollUpTrace } from "../rollup.ts";
import type { SessionPage, SessionQuery, Store } from "../store.ts";
import { toProject, toRollupSpan, toSession, toSpan, toTrace, type Row } from "./rows.ts";
import { SCHEMA, SCHEMA_VERSION, SESSION_SORT_COLUMNS } from "./schema.ts";

const SPAN_COLUMNS = [
  "project", "trace_id", "span_id", "parent_span_id", "name", "kind", "span_kind", "start_us", "end_us",
  "status_code", "status_message", "session_id", "user_id", "model", "input", "output",
  "prompt_tokens", "completion_tokens", "total_tokens", "cost", "attributes", "resource", "events",
];
const TRACE_COLUMNS = [
  "project", "trace_id", "session_id", "user_id", "root_span_name", "start_us", "end_us", "span_count",
  "error_count", "status_code", "input", "output", "prompt_tokens", "completion_tokens", "total_tokens", "cost",
];
const SESSION_COLUMNS = [
  "project", "session_id", "user_ids", "start_us", "end_us", "duration_us", "trace_count", "span_count",
  "error_count", "first_input", "last_output", "prompt_tokens", "completion_tokens", "total_tokens", "cost",
];

export interface SqliteStoreOptions {
  /** SQLite file, or ":memory:". */
  path: string;
}

export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #sql: ReturnType<typeof prepareStatements>;

  constructor({ path }: SqliteStoreOptions) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    // WAL with synchronous=NORMAL: a commit survives the process being killed (the OTLP
    // acknowledgement promise); only an OS crash or power loss can lose the last commits.
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    const version = (this.#db.prepare("PRAGMA user_version").get() as Row).user_version as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${path} was written by a newer Threadline (schema ${version}, this one knows ${SCHEMA_VERSION})`);
    }
    this.#db.exec(SCHEMA);
    this.#db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    this.#sql = prepareStatements(this.#db);
  }

  async writeSpans(spans: SpanRecord[]): Promise<void> {
    if (spans.length === 0) return;
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      this.#write(spans);
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  #write(spans: SpanRecord[]): void {
    const sql = this.#sql;
    const touchedTraces = new Map<string, { project: string; traceId: string }>();
    for (const span of spans) {
      const inserted = sql.insertSpan.run(...spanValues(span)).changes > 0;
      if (inserted) touchedTraces.set(`${span.project}\n${span.traceId}`, span);
    }

    const touchedSessions = new Map<string, { project: string; sessionId: string }>();
    const projectDeltas = new Map<string, { sessions: number; traces: number; lastUs: number }>();
    const delta = (project: string) => {
      let d = projectDeltas.get(project);
      if (!d) projectDeltas.set(project, (d = { sessions: 0, traces: 0, lastUs: 0 }));
      return d;
    };
    const touchSession = (project: string, sessionId: string | null) => {
      if (sessionId != null) touchedSessions.set(`${project}\n${sessionId}`, { project, sessionId });
    };

    for (const { project, traceId } of touchedTraces.values()) {
      const previous = sql.traceSession.get(project, traceId) as Row | undefined;
      const trace = rollUpTrace((sql.traceSpans.all(project, traceId) as Row[]).map(toRollupSpan));
      sql.upsertTrace.run(...traceValues(trace));
      const d = delta(project);
      if (!previous) d.traces++;
      d.lastUs = Math.max(d.lastUs, trace.endUs);
      touchSession(project, (previous?.session_id as string | null) ?? null);
      touchSession(project, trace.sessionId);
    }

    for (const { project, sessionId } of touchedSessions.values()) {
      const existed = sql.sessionExists.get(project, sessionId) !== undefined;
      const session = this.#rollUpSession(project, sessionId);
      if (session) sql.upsertSession.run(...sessionValues(session));
      else sql.deleteSession.run(project, sessionId);
      delta(project).sessions += Number(Boolean(session)) - Number(existed);
    }

    for (const [project, d] of projectDeltas) {
      sql.bumpProject.run(project, d.sessions, d.traces, d.lastUs || null);
    }
  }

  /** A session summarized from its traces; null once no trace names it. */
  #rollUpSession(project: string, sessionId: string): SessionRollup | null {
    const sql = this.#sql;
    const totals = sql.sessionTotals.get(project, sessionId) as Row;
    const traceCount = totals.trace_count as number;
    if (traceCount === 0) return null;
    const startUs = totals.start_us as number;
    const endUs = totals.end_us as number;
    return {
      project,
      sessionId,
      userIds: (sql.sessionUsers.all(project, sessionId) as Row[]).map((row) => row.user_id as string),
      startUs,
      endUs,
      traceCount,
      spanCount: totals.span_count as number,
      errorCount: totals.error_count as number,
      tokens: {
        prompt: totals.prompt_tokens as number,
        completion: totals.completion_tokens as number,
        total: totals.total_tokens as number,
      },
      cost: totals.cost as number,
      firstInput: ((sql.sessionFirstInput.get(project, sessionId) as Row | undefined)?.input as string) ?? null,
      lastOutput: ((sql.sessionLastOutput.get(project, sessionId) as Row | undefined)?.output as string) ?? null,
    };
  }

  async listProjects(): Promise<ProjectRollup[]> {
    return (this.#sql.projects.all() as Row[]).map(toProject);
  }

  async listSessions(query: SessionQuery): Promise<SessionPage> {
    const column = SESSION_SORT_COLUMNS[query.sort];
    const direction = query.order === "asc" ? "ASC" : "DESC";
    const params: SQLInputValue[] = [query.project];
    let where = "project = ?";
    if (query.after) {
      where += ` AND (${column}, session_id) ${query.order === "asc" ? ">" : "<"} (?, ?)`;
      params.push(query.after.value, query.after.sessionId);
    }
    const rows = this.#db
      .prepare(
        `SELECT * FROM sessions WHERE ${where} ORDER BY ${column} ${direction}, session_id ${direction} LIMIT ?`,
      )
      .all(...params, query.limit + 1) as Row[];
    const sessions = rows.slice(0, query.limit).map(toSession);
    const last = rows.length > query.limit ? rows[query.limit - 1] : null;
    return {
      sessions,
      next: last ? { value: last[column] as number, sessionId: last.session_id as string } : null,
    };
  }

  async getSession(project: string, sessionId: string): Promise<SessionRollup | null> {
    const row = this.#sql.session.get(project, sessionId) as Row | undefined;
    return row ? toSession(row) : null;
  }

  async listSessionTraces(project: string, sessionId: string): Promise<TraceRollup[]> {
    return (this.#sql.sessionTraces.all(project, sessionId) as Row[]).map(toTrace);
  }

  async getTrace(project: string, traceId: string): Promise<{ trace: TraceRollup; spans: SpanRecord[] } | null> {
    const trace = this.#sql.trace.get(project, traceId) as Row | undefined;
    if (!trace) return null;
    return { trace: toTrace(trace), spans: (this.#sql.spans.all(project, traceId) as Row[]).map(toSpan) };
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function prepareStatements(db: DatabaseSync) {
  const insert = (table: string, columns: string[]) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
  const upsert = (table: string, columns: string[], key: string[]) =>
    `${insert(table, columns)} ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${columns
      .filter((column) => !key.includes(column))
      .map((column) => `${column} = excluded.${column}`)
      .join(", ")}`;
  const statements = {
    insertSpan: `${insert("spans", SPAN_COLUMNS)} ON CONFLICT DO NOTHING`,
    traceSpans: `SELECT project, trace_id, span_id, parent_span_id, name, start_us, end_us, status_code, session_id,
        user_id, input, output, prompt_tokens, completion_tokens, total_tokens, cost
      FROM spans WHERE project = ? AND trace_id = ?`,
    traceSession: "SELECT session_id FROM traces WHERE project = ? AND trace_id = ?",
    upsertTrace: upsert("traces", TRACE_COLUMNS, ["project", "trace_id"]),
    sessionTotals: `SELECT count(*) AS trace_count, min(start_us) AS start_us, max(end_us) AS end_us,
        total(span_count) AS span_count, total(error_count) AS error_count, total(prompt_tokens) AS prompt_tokens,
        total(completion_tokens) AS completion_tokens, total(total_tokens) AS total_tokens, total(cost) AS cost
      FROM traces WHERE project = ? AND session_id = ?`,
    sessionUsers: `SELECT user_id FROM traces WHERE project = ? AND session_id = ? AND user_id IS NOT NULL
      GROUP BY user_id ORDER BY min(start_us)`,
    sessionFirstInput: `SELECT input FROM traces WHERE project = ? AND session_id = ? AND input IS NOT NULL
      ORDER BY start_us ASC LIMIT 1`,
    sessionLastOutput: `SELECT output FROM traces WHERE project = ? AND session_id = ? AND output IS NOT NULL
      ORDER BY end_us DESC LIMIT 1`,
    sessionExists: "SELECT 1 FROM sessions WHERE project = ? AND session_id = ?",
    upsertSession: upsert("sessions", SESSION_COLUMNS, ["project", "session_id"]),
    deleteSession: "DELETE FROM sessions WHERE project = ? AND session_id = ?",
    bumpProject: `INSERT INTO projects (name, session_count, trace_count, last_activity_us) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET session_count = session_count + excluded.session_count,
        trace_count = trace_count + excluded.trace_count,
        last_activity_us = max(coalesce(last_activity_us, 0), coalesce(excluded.last_activity_us, 0))`,
    projects: "SELECT * FROM projects ORDER BY last_activity_us DESC, name",
    session: "SELECT * FROM sessions WHERE project = ? AND session_id = ?",
    sessionTraces: "SELECT * FROM traces WHERE project = ? AND session_id = ? ORDER BY start_us, trace_id",
    trace: "SELECT * FROM traces WHERE project = ? AND trace_id = ?",
    spans: "SELECT * FROM spans WHERE project = ? AND trace_id = ? ORDER BY start_us, span_id",
  };
  return Object.fromEntries(
    Object.entries(statements).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<keyof typeof statements, StatementSync>;
}

function spanValues(s: SpanRecord): SQLInputValue[] {
  return [
    s.project, s.traceId, s.spanId, s.parentSpanId, s.name, s.kind, s.spanKind, s.startUs, s.endUs,
    s.statusCode, s.statusMessage, s.sessionId, s.userId, s.model, s.input, s.output,
    s.tokens.prompt, s.tokens.completion, s.tokens.total, s.cost,
    JSON.stringify(s.attributes), JSON.stringify(s.resource), JSON.stringify(s.events),
  ];
}

function traceValues(t: TraceRollup): SQLInputValue[] {
  return [
    t.project, t.traceId, t.sessionId, t.userId, t.rootSpanName, t.startUs, t.endUs, t.spanCount,
    t.errorCount, t.statusCode, t.input, t.output, t.tokens.prompt, t.tokens.completion, t.tokens.total, t.cost,
  ];
}

function sessionValues(s: SessionRollup): SQLInputValue[] {
  return [
    s.project, s.sessionId, JSON.stringify(s.userIds), s.startUs, s.endUs, s.endUs - s.startUs, s.traceCount,
    s.spanCount, s.errorCount, s.firstInput, s.lastOutput, s.tokens.prompt, s.tokens.completion, s.tokens.total,
    s.cost,
  ];
}
