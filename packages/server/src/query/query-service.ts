// The query service: reads rollups from the store and shapes them as the JSON API's responses.
import {
  SESSION_SORT_KEYS,
  type Conversation, type ProjectList, type SearchResults, type SessionDetail, type SessionList, type SessionStats,
  type TraceDetail, type TraceList, type UserDetail, type UserList,
} from "../api/types.ts";
import type { AnnotationSummaryRecord } from "../store/records.ts";
import type { Cursor, SessionQuery, SessionSort, Store } from "../store/store.ts";
import { ConversationHistory } from "./conversation.ts";
import { annotationView } from "./annotation-service.ts";
import type { PageQuery, SearchQuery, SessionFilterQuery, SessionListQuery, UserListQuery } from "../api/route-schemas.ts";
import { decodeCursor, DEFAULT_LIMIT, encodeCursor, parseSessionFilter, parseSort, parseTime, QueryError, requireProject } from "./params.ts";
import { iso, sessionSummary, spanView, traceSummary, userSummary } from "./shapes.ts";

/** Users' label counts cover the sessions started in this window unless a list names its own. */
const LABELS_SINCE = "7d";

export { QueryError } from "./params.ts";

/** Sessions per store page when only their ids are wanted. */
const ID_PAGE = 500;

/** The store's query for the sessions list's parameters (all but the page), and the sort's name for cursors. */
function sessionQuery(project: string, params: Omit<SessionListQuery, "limit" | "cursor">): { query: Omit<SessionQuery, "limit" | "after">; sortName: string } {
  const sortName = params.sort?.startsWith("annotation:") ? params.sort : parseSort(params.sort, SESSION_SORT_KEYS, "startTime");
  const sort: SessionSort = sortName.startsWith("annotation:") ? { annotation: sortName.slice("annotation:".length) } : (sortName as SessionSort);
  return { query: { project, sort, order: params.order ?? "desc", filter: parseSessionFilter(params) }, sortName };
}

/** Traces a session detail carries; longer sessions page through /traces. */
const DETAIL_TRACES = 100;

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
        userCount: p.userCount,
        spanCount: p.spanCount,
        lastActivity: p.lastActivityUs == null ? null : iso(p.lastActivityUs),
      })),
    };
  }

  /** Sessions: `limit, cursor, sort, order`, and the filters of parseSessionFilter. */
  async listSessions(project: string, params: SessionListQuery): Promise<SessionList> {
    await requireProject(this.#store, project);
    const { query, sortName } = sessionQuery(project, params);
    const page = await this.#store.listSessions({ ...query, limit: params.limit ?? DEFAULT_LIMIT, after: decodeCursor(params.cursor, sortName, query.order) });
    const annotations = await this.#store.sessionAnnotationSummaries(project, page.rows.map((s) => s.sessionId));
    return {
      sessions: page.rows.map((s) => sessionSummary(s, annotations.get(s.sessionId))),
      nextCursor: page.next ? encodeCursor(page.next, sortName, query.order) : null,
    };
  }

  /** The ids of the first `limit` sessions the list shows for these filters and order (re-evaluations, review queues), without the list's summaries. */
  async sessionIds(project: string, params: Omit<SessionListQuery, "limit" | "cursor">, limit: number): Promise<string[]> {
    await requireProject(this.#store, project);
    const { query } = sessionQuery(project, params);
    const ids: string[] = [];
    let after: Cursor | null = null;
    do {
      const page = await this.#store.listSessions({ ...query, limit: Math.min(ID_PAGE, limit - ids.length), after });
      ids.push(...page.rows.map((s) => s.sessionId));
      after = page.next;
    } while (after && ids.length < limit);
    return ids;
  }

  async sessionStats(project: string, params: SessionFilterQuery): Promise<SessionStats> {
    await requireProject(this.#store, project);
    const stats = await this.#store.sessionStats(project, parseSessionFilter(params));
    return {
      sessionCount: stats.sessionCount,
      userCount: stats.userCount,
      avgDurationMs: Math.round(stats.avgDurationUs / 1000),
      avgTurns: stats.avgTraces,
      tokens: stats.tokens,
      cost: { total: stats.cost },
      errorRate: stats.sessionCount ? stats.errorSessions / stats.sessionCount : 0,
      bucketMs: stats.bucketUs / 1000,
      series: stats.series.map(seriesPoint),
    };
  }

  async getSession(project: string, sessionId: string): Promise<SessionDetail> {
    const detail = await this.#store.getSessionDetail(project, sessionId, DETAIL_TRACES);
    if (!detail) throw new QueryError(404, `no session "${sessionId}" in project "${project}"`);
    const { session, traces, summaries, annotations, firstTraceSpans } = detail;
    const metadata: Record<string, string> = {};
    for (const span of firstTraceSpans) {
      for (const [key, value] of Object.entries(span.metadata)) metadata[key] ??= typeof value === "string" ? value : JSON.stringify(value);
    }
    return {
      ...sessionSummary(session, summaries),
      traces: traces.rows.map(traceSummary),
      tracesNextCursor: traces.next ? encodeCursor(traces.next, "traces", "asc") : null,
      metadata,
      sessionAnnotations: annotations.map(annotationView),
    };
  }

  async listSessionTraces(project: string, sessionId: string, params: PageQuery): Promise<TraceList> {
    await this.requireSession(project, sessionId);
    const page = await this.#store.listSessionTraces(project, sessionId, params.limit ?? DEFAULT_LIMIT, decodeCursor(params.cursor, "traces", "asc"));
    return { traces: page.rows.map(traceSummary), nextCursor: page.next ? encodeCursor(page.next, "traces", "asc") : null };
  }

  /** The session's turns with the messages new in each, a page at a time. */
  async conversation(project: string, sessionId: string, params: PageQuery): Promise<Conversation> {
    await this.requireSession(project, sessionId);
    const after = decodeCursor(params.cursor, "conversation", "asc");
    const page = await this.#store.listSessionTraces(project, sessionId, params.limit ?? DEFAULT_LIMIT, after);
    // The turn just before the page seeds the history, so its messages are not shown again.
    const [seed, spans, annotations] = await Promise.all([
      after ? this.#store.getTrace(project, after.id) : null,
      this.#store.getTraceSpans(project, page.rows.map((t) => t.traceId)),
      this.#store.listTraceAnnotations(project, page.rows.map((t) => t.traceId)),
    ]);
    const history = new ConversationHistory();
    if (seed) history.turn(seed.trace, seed.spans);
    return {
      turns: page.rows.map((trace) => {
        const summary = traceSummary(trace);
        return {
          traceId: trace.traceId,
          startTime: summary.startTime,
          durationMs: summary.durationMs,
          status: summary.status,
          tokens: summary.tokens,
          cost: summary.cost,
          ...history.turn(trace, spans.get(trace.traceId) ?? []),
          annotations: annotations.filter((a) => a.target.type !== "session" && a.target.traceId === trace.traceId).map(annotationView),
        };
      }),
      nextCursor: page.next ? encodeCursor(page.next, "conversation", "asc") : null,
    };
  }

  /**
   * The whole session, every trace with its spans, for download: checked first (a 404 before any
   * byte is sent), then streamed.
   */
  async exportSession(project: string, sessionId: string): Promise<AsyncGenerator<string>> {
    const { traces: _first, tracesNextCursor: _next, ...session } = await this.getSession(project, sessionId);
    const store = this.#store;
    return (async function* () {
      yield `{"session":${JSON.stringify(session)},"traces":[`;
      let after = null;
      let first = true;
      do {
        const page = await store.listSessionTraces(project, sessionId, 200, after);
        const spans = await store.getTraceSpans(project, page.rows.map((t) => t.traceId));
        for (const trace of page.rows) {
          yield `${first ? "" : ","}${JSON.stringify({ ...traceSummary(trace), spans: (spans.get(trace.traceId) ?? []).map(spanView) })}`;
          first = false;
        }
        after = page.next;
      } while (after);
      yield "]}";
    })();
  }

  async getTrace(project: string, traceId: string): Promise<TraceDetail> {
    const found = await this.#store.getTrace(project, traceId.toLowerCase());
    if (!found) throw new QueryError(404, `no trace "${traceId}" in project "${project}"`);
    return { traceId: found.trace.traceId, sessionId: found.trace.sessionId, spans: found.spans.map(spanView) };
  }

  /** Users: `limit, cursor, sort, order` and `q` (part of the user id). */
  async listUsers(project: string, params: UserListQuery): Promise<UserList> {
    await requireProject(this.#store, project);
    const sort = params.sort ?? "lastSeen";
    const order = params.order ?? "desc";
    const sinceUs = parseTime("since", params.since || LABELS_SINCE);
    if (!params.annotation && (params.label || params.minSessions != null)) throw new QueryError(400, "label and minSessions go with annotation=<name>");
    const page = await this.#store.listUsers({
      project,
      limit: params.limit ?? DEFAULT_LIMIT,
      sort,
      order,
      after: decodeCursor(params.cursor, sort, order),
      search: params.q?.trim() || undefined,
      labelled: params.annotation ? { name: params.annotation, label: params.label || undefined, minSessions: params.minSessions ?? 1, sinceUs } : undefined,
    });
    const annotations = await this.#store.userAnnotationSummaries(project, page.rows.map((u) => u.userId), sinceUs);
    return {
      users: page.rows.map((u) => userSummary(u, annotations.get(u.userId))),
      nextCursor: page.next ? encodeCursor(page.next, sort, order) : null,
    };
  }

  async getUser(project: string, userId: string): Promise<UserDetail> {
    const user = await this.#store.getUser(project, userId);
    if (!user) throw new QueryError(404, `no user "${userId}" in project "${project}"`);
    const [annotations, activity] = await Promise.all([
      this.#store.userAnnotationSummaries(project, [userId], parseTime("since", LABELS_SINCE)),
      this.#store.userSeries(project, userId),
    ]);
    const mine: AnnotationSummaryRecord[] | undefined = annotations.get(userId);
    return { ...userSummary(user, mine), bucketMs: activity.bucketUs / 1000, series: activity.series.map(seriesPoint) };
  }

  async search(project: string, params: SearchQuery): Promise<SearchResults> {
    await requireProject(this.#store, project);
    const text = params.q?.trim();
    if (!text) throw new QueryError(400, "q is required");
    const found = await this.#store.search(project, text, params.limit ?? 10);
    return {
      sessions: found.sessions.map((s) => ({ sessionId: s.sessionId, userIds: s.userIds, startTime: iso(s.startUs), match: s.match })),
      users: found.users,
      traces: found.traces.map((t) => ({ traceId: t.traceId, sessionId: t.sessionId, startTime: iso(t.startUs) })),
    };
  }

  /** 404 for a session the project does not have. */
  async requireSession(project: string, sessionId: string): Promise<void> {
    if (!(await this.#store.getSession(project, sessionId))) throw new QueryError(404, `no session "${sessionId}" in project "${project}"`);
  }
}

function seriesPoint(p: { startUs: number; sessionCount: number; traceCount: number; tokens: number; cost: number; errorCount: number; scores?: Record<string, number> }) {
  return {
    time: iso(p.startUs),
    sessionCount: p.sessionCount,
    traceCount: p.traceCount,
    tokens: p.tokens,
    cost: p.cost,
    errorCount: p.errorCount,
    ...(p.scores ? { scores: p.scores } : {}),
  };
}
