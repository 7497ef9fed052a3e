// The query service: reads rollups from the store and shapes them as the JSON API's responses.
import {
  SESSION_SORT_KEYS, USER_SORT_KEYS,
  type ProjectList, type SessionDetail, type SessionList, type TraceDetail, type UserList, type UserSummary,
} from "../api/types.ts";
import type { Store } from "../store/store.ts";
import {
  decodeCursor, encodeCursor, parseLimit, parseOrder, parseSessionFilter, parseSort, QueryError, type Params,
} from "./params.ts";
import { iso, sessionSummary, spanView, traceSummary, userSummary } from "./shapes.ts";

export { QueryError } from "./params.ts";

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

  /** Sessions: `limit, cursor, sort, order` and the filters `user, from, to, q, tag, hasErrors`. */
  async listSessions(project: string, params: Params): Promise<SessionList> {
    await this.#requireProject(project);
    const sort = parseSort(params.sort, SESSION_SORT_KEYS, "startTime");
    const order = parseOrder(params.order);
    const page = await this.#store.listSessions({
      project,
      limit: parseLimit(params.limit),
      sort,
      order,
      after: decodeCursor(params.cursor, sort, order),
      filter: parseSessionFilter(params),
    });
    return {
      sessions: page.rows.map(sessionSummary),
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

  /** Users: `limit, cursor, sort, order` and `q` (part of the user id). */
  async listUsers(project: string, params: Params): Promise<UserList> {
    await this.#requireProject(project);
    const sort = parseSort(params.sort, USER_SORT_KEYS, "lastSeen");
    const order = parseOrder(params.order);
    const page = await this.#store.listUsers({
      project,
      limit: parseLimit(params.limit),
      sort,
      order,
      after: decodeCursor(params.cursor, sort, order),
      search: params.q?.trim() || undefined,
    });
    return { users: page.rows.map(userSummary), nextCursor: page.next ? encodeCursor(page.next, sort, order) : null };
  }

  async getUser(project: string, userId: string): Promise<UserSummary> {
    const user = await this.#store.getUser(project, userId);
    if (!user) throw new QueryError(404, `no user "${userId}" in project "${project}"`);
    return userSummary(user);
  }

  async #requireProject(project: string): Promise<void> {
    if (!(await this.#store.getProject(project))) throw new QueryError(404, `no project "${project}"`);
  }
}
