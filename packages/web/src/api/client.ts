import type {
  ProjectList,
  SessionDetail,
  SessionList,
  TraceDetail,
} from "./types.ts";
import type { SessionSortKey, SortOrder } from "../lib/sessionsSearch.ts";

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
const seg = (value: string): string => encodeURIComponent(value);

type QueryValue = string | number | undefined | null;

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ""}`;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
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

export interface ListSessionsParams {
  sort?: SessionSortKey;
  order?: SortOrder;
  cursor?: string;
  limit?: number;
}

export const api = {
  listProjects(signal?: AbortSignal): Promise<ProjectList> {
    return getJson(buildUrl("/projects"), signal);
  },

  listSessions(project: string, params: ListSessionsParams, signal?: AbortSignal): Promise<SessionList> {
    return getJson(
      buildUrl(`/projects/${seg(project)}/sessions`, {
        limit: params.limit,
        cursor: params.cursor,
        sort: params.sort,
        order: params.order,
      }),
      signal,
    );
  },

  getSession(project: string, sessionId: string, signal?: AbortSignal): Promise<SessionDetail> {
    return getJson(buildUrl(`/projects/${seg(project)}/sessions/${seg(sessionId)}`), signal);
  },

  getTrace(project: string, traceId: string, signal?: AbortSignal): Promise<TraceDetail> {
    return getJson(buildUrl(`/projects/${seg(project)}/traces/${seg(traceId)}`), signal);
  },
};
