import { queryOptions } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { ListSessionsParams } from "./client.ts";

// Query option factories: one place for query keys, shared by route loaders
// (prefetching) and components (useQuery).

export const queryKeys = {
  projects: () => ["projects"] as const,
  sessions: (project: string, params: ListSessionsParams) => ["projects", project, "sessions", params] as const,
  session: (project: string, sessionId: string) => ["projects", project, "session", sessionId] as const,
  trace: (project: string, traceId: string) => ["projects", project, "trace", traceId] as const,
};

export const SESSIONS_PAGE_SIZE = 50;

export function projectsQuery() {
  return queryOptions({
    queryKey: queryKeys.projects(),
    queryFn: ({ signal }) => api.listProjects(signal),
  });
}

export function sessionsQuery(project: string, params: ListSessionsParams) {
  const normalized: ListSessionsParams = { limit: SESSIONS_PAGE_SIZE, ...params };
  return queryOptions({
    queryKey: queryKeys.sessions(project, normalized),
    queryFn: ({ signal }) => api.listSessions(project, normalized, signal),
    // While paging or re-sorting, keep showing the previous page of the same
    // project instead of flashing a loading state (never another project's rows).
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === project ? previous : undefined,
  });
}

export function sessionQuery(project: string, sessionId: string) {
  return queryOptions({
    queryKey: queryKeys.session(project, sessionId),
    queryFn: ({ signal }) => api.getSession(project, sessionId, signal),
  });
}

export function traceQuery(project: string, traceId: string) {
  return queryOptions({
    queryKey: queryKeys.trace(project, traceId),
    queryFn: ({ signal }) => api.getTrace(project, traceId, signal),
    // A finished trace rarely changes.
    staleTime: 60_000,
  });
}
