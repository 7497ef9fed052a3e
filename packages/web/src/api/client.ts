import type {
  ProjectList,
  SessionDetail,
  SessionList,
  TraceDetail,
} from "./types.ts";
import type { AnnotationNames, SearchResults, SessionStats, UserDetail, UserList, UserSortKey } from "./types.ts";
import type { Annotation, AnnotationInput, AnnotationList, AnnotationTarget, Conversation, TraceList } from "./types.ts";
import type { SessionApiFilters, SessionSort, SortOrder } from "../lib/sessionsSearch.ts";

const API_BASE = "/api/v1";

/** An error answered by the API (non-2xx), or a network / parse failure (status 0). */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export function isNotFoundError(error: unknown): boolean {
  return error instanceof ApiError && error.isNotFound;
}

/** Encodes one path segment: ids may contain any character, including "/". */
export const seg = (value: string): string => encodeURIComponent(value);

type QueryValue = string | number | undefined | null;

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ""}`;
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, `Could not reach the Threadline server (${(err as Error).message})`);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`.trim();
    try {
      const body: unknown = await response.json();
      if (body && typeof body === "object" && "error" in body && typeof body.error === "string") {
        message = body.error;
      }
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ApiError(response.status, message);
  }
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(0, "The server answered with something that is not JSON");
  }
}

export interface ListSessionsParams extends SessionApiFilters {
  sort?: SessionSort;
  order?: SortOrder;
  cursor?: string;
  limit?: number;
}

export interface ListUsersParams {
  sort?: UserSortKey;
  order?: SortOrder;
  cursor?: string;
  limit?: number;
  /** Part of the user id. */
  q?: string;
  annotation?: string;
  label?: string;
  minSessions?: number;
  since?: string;
}

export const api = {
  listProjects(signal?: AbortSignal): Promise<ProjectList> {
    return getJson(buildUrl("/projects"), signal);
  },

  listSessions(project: string, params: ListSessionsParams, signal?: AbortSignal): Promise<SessionList> {
    return getJson(
      buildUrl(`/projects/${seg(project)}/sessions`, { ...params }),
      signal,
    );
  },

  /** Totals and a time series of the sessions matching the filters (the list's filters, no paging). */
  getSessionStats(project: string, filters: SessionApiFilters, signal?: AbortSignal): Promise<SessionStats> {
    return getJson(buildUrl(`/projects/${seg(project)}/session-stats`, { ...filters }), signal);
  },

  listUsers(project: string, params: ListUsersParams, signal?: AbortSignal): Promise<UserList> {
    return getJson(buildUrl(`/projects/${seg(project)}/users`, { ...params }), signal);
  },

  getUser(project: string, userId: string, signal?: AbortSignal): Promise<UserDetail> {
    return getJson(buildUrl(`/projects/${seg(project)}/users/${seg(userId)}`), signal);
  },

  getAnnotationNames(project: string, signal?: AbortSignal): Promise<AnnotationNames> {
    return getJson(buildUrl(`/projects/${seg(project)}/annotation-names`), signal);
  },

  search(project: string, q: string, signal?: AbortSignal): Promise<SearchResults> {
    return getJson(buildUrl(`/projects/${seg(project)}/search`, { q }), signal);
  },

  /** The project's live change stream (text/event-stream, `event: changes`). */
  eventsUrl(project: string): string {
    return buildUrl(`/projects/${seg(project)}/events`);
  },

  getSession(project: string, sessionId: string, signal?: AbortSignal): Promise<SessionDetail> {
    return getJson(buildUrl(`/projects/${seg(project)}/sessions/${seg(sessionId)}`), signal);
  },

  getTrace(project: string, traceId: string, signal?: AbortSignal): Promise<TraceDetail> {
    return getJson(buildUrl(`/projects/${seg(project)}/traces/${seg(traceId)}`), signal);
  },
};

// ---- Session and trace pages: conversation, trace pages, export, annotations ----

/** The annotations of a session, trace or span live under its own path. */
function annotationsPath(project: string, target: AnnotationTarget): string {
  const p = `/projects/${seg(project)}`;
  if (target.type === "session") return `${p}/sessions/${seg(target.sessionId)}/annotations`;
  if (target.type === "trace") return `${p}/traces/${seg(target.traceId)}/annotations`;
  return `${p}/traces/${seg(target.traceId)}/spans/${seg(target.spanId)}/annotations`;
}

/** The signed-in session's CSRF token (GET /me gives it): every change made with the cookie carries it. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** POST / PATCH / DELETE with a JSON body; errors become ApiError like getJson's. 204 gives null. */
export async function sendJson<T>(method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<T | null> {
  let response: Response;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, `Could not reach the Threadline server (${(err as Error).message})`);
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok) throw new ApiError(0, "The server answered with something that is not JSON");
  }
  if (!response.ok) {
    const message =
      parsed && typeof parsed === "object" && "error" in parsed && typeof parsed.error === "string"
        ? parsed.error
        : `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, message);
  }
  return parsed as T | null;
}

export const sessionApi = {
  /** The session as a chat, a page of turns at a time (each message once, in order). */
  getConversation(
    project: string,
    sessionId: string,
    params: { cursor?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<Conversation> {
    return getJson(buildUrl(`/projects/${seg(project)}/sessions/${seg(sessionId)}/conversation`, params), signal);
  },

  listSessionTraces(
    project: string,
    sessionId: string,
    params: { cursor?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<TraceList> {
    return getJson(buildUrl(`/projects/${seg(project)}/sessions/${seg(sessionId)}/traces`, params), signal);
  },

  /** The whole session as a JSON download (the server sends Content-Disposition: attachment). */
  sessionExportUrl(project: string, sessionId: string): string {
    return buildUrl(`/projects/${seg(project)}/sessions/${seg(sessionId)}/export`);
  },

  listAnnotations(project: string, target: AnnotationTarget, signal?: AbortSignal): Promise<AnnotationList> {
    return getJson(buildUrl(annotationsPath(project, target)), signal);
  },

  /** Creates, or replaces the one with the same target + name + identifier. */
  async saveAnnotation(project: string, target: AnnotationTarget, input: AnnotationInput): Promise<Annotation> {
    return (await sendJson<Annotation>("POST", buildUrl(annotationsPath(project, target)), input))!;
  },

  async updateAnnotation(project: string, id: string, input: Partial<AnnotationInput>): Promise<Annotation> {
    return (await sendJson<Annotation>("PATCH", buildUrl(`/projects/${seg(project)}/annotations/${seg(id)}`), input))!;
  },

  async deleteAnnotation(project: string, id: string): Promise<void> {
    await sendJson("DELETE", buildUrl(`/projects/${seg(project)}/annotations/${seg(id)}`));
  },
};
