// The query service: reads rollups from the store and shapes them as the JSON API's responses.
import {
  SESSION_SORT_KEYS,
  type ProjectList, type SessionDetail, type SessionList, type SessionSortKey, type SessionSummary, type SortOrder,
  type SpanView, type TraceDetail, type TraceStatus, type TraceSummary,
} from "../api/types.ts";
import { STATUS_ERROR, STATUS_OK, type SessionRollup, type SpanRecord, type TraceRollup } from "../store/records.ts";
import type { SessionCursor, Store } from "../store/store.ts";

/** A request the API refuses; `status` is the HTTP status to answer with. */
export class QueryError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface SessionListParams {
  limit?: string | null;
  cursor?: string | null;
  sort?: string | null;
  order?: string | null;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

export class QueryService {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async listProjects(): Promise<ProjectList> {
    const projects = await this.#store.listProjects();
    return {
      projects: projects.map((p) => ({
        name: p.name,
        sessionCount: p.sessionCount,
        traceCount: p.traceCount,
        lastActivity: p.lastActivityUs == null ? null : iso(p.lastActivityUs),
      })),
    };
  }

  async listSessions(project: string, params: SessionListParams): Promise<SessionList> {
    await this.#requireProject(project);
    const limit = parseLimit(params.limit);
    const sort = (params.sort || "startTime") as SessionSortKey;
    if (!SESSION_SORT_KEYS.includes(sort)) {
      throw new QueryError(400, `unknown sort "${params.sort}"; use one of ${SESSION_SORT_KEYS.join(", ")}`);
    }
    const order = (params.order || "desc") as SortOrder;
    if (order !== "asc" && order !== "desc") throw new QueryError(400, `order must be asc or desc, not "${params.order}"`);
    const after = params.cursor ? decodeCursor(params.cursor, sort, order) : null;
    const page = await this.#store.listSessions({ project, limit, sort, order, after });
    return {
      sessions: page.sessions.map(sessionSummary),
      nextCursor: page.next ? encodeCursor(page.next, sort, order) : null,
    };
  }

  async getSession(project: string, sessionId: string): Promise<SessionDetail> {
    const session = await this.#store.getSession(project, sessionId);
    if (!session) throw new QueryError(404, `no session "${sessionId}" in project "${project}"`);
    const traces = await this.#store.listSessionTraces(project, sessionId);
    return { ...sessionSummary(session), traces: traces.map(traceSummary) };
  }

  async getTrace(project: string, traceId: string): Promise<TraceDetail> {
    const found = await this.#store.getTrace(project, traceId.toLowerCase());
    if (!found) throw new QueryError(404, `no trace "${traceId}" in project "${project}"`);
    return { traceId: found.trace.traceId, sessionId: found.trace.sessionId, spans: found.spans.map(spanView) };
  }

  async #requireProject(project: string): Promise<void> {
    const projects = await this.#store.listProjects();
    if (!projects.some((p) => p.name === project)) throw new QueryError(404, `no project "${project}"`);
  }
}

function parseLimit(value: string | null | undefined): number {
  if (value == null || value === "") return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new QueryError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}, not "${value}"`);
  }
  return limit;
}

/** Cursors are opaque to clients; they carry the sort they belong to so a mismatch is caught. */
function encodeCursor(cursor: SessionCursor, sort: SessionSortKey, order: SortOrder): string {
  return Buffer.from(JSON.stringify([sort, order, cursor.value, cursor.sessionId])).toString("base64url");
}

function decodeCursor(text: string, sort: SessionSortKey, order: SortOrder): SessionCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new QueryError(400, "cursor is not one this API returned");
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || typeof parsed[2] !== "number" || typeof parsed[3] !== "string") {
    throw new QueryError(400, "cursor is not one this API returned");
  }
  if (parsed[0] !== sort || parsed[1] !== order) {
    throw new QueryError(400, `cursor belongs to sort=${parsed[0]}&order=${parsed[1]}, not sort=${sort}&order=${order}`);
  }
  return { value: parsed[2], sessionId: parsed[3] };
}

const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();
const ms = (us: number) => Math.round(us / 1000);
const status = (code: number): TraceStatus => (code === STATUS_ERROR ? "ERROR" : code === STATUS_OK ? "OK" : "UNSET");

function sessionSummary(s: SessionRollup): SessionSummary {
  return {
    sessionId: s.sessionId,
    userIds: s.userIds,
    startTime: iso(s.startUs),
    endTime: iso(s.endUs),
    durationMs: ms(s.endUs - s.startUs),
    traceCount: s.traceCount,
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    tokens: s.tokens,
    cost: { total: s.cost },
    firstInput: s.firstInput,
    lastOutput: s.lastOutput,
  };
}

function traceSummary(t: TraceRollup): TraceSummary {
  return {
    traceId: t.traceId,
    rootSpanName: t.rootSpanName,
    userId: t.userId,
    startTime: iso(t.startUs),
    durationMs: ms(t.endUs - t.startUs),
    spanCount: t.spanCount,
    errorCount: t.errorCount,
    input: t.input,
    output: t.output,
    tokens: t.tokens,
    cost: { total: t.cost },
    status: status(t.statusCode),
  };
}

function spanView(s: SpanRecord): SpanView {
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: SPAN_KINDS[s.kind] ?? "UNSPECIFIED",
    spanKind: s.spanKind,
    startTime: iso(s.startUs),
    endTime: iso(s.endUs),
    durationMs: (s.endUs - s.startUs) / 1000,
    status: { code: status(s.statusCode), message: s.statusMessage },
    sessionId: s.sessionId,
    userId: s.userId,
    model: s.model,
    input: s.input,
    output: s.output,
    tokens: s.tokens,
    cost: { total: s.cost },
    attributes: s.attributes,
    resourceAttributes: s.resource,
    events: s.events.map((e) => ({ name: e.name, time: iso(e.timeUs), attributes: e.attributes })),
  };
}
