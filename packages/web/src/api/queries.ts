import { infiniteQueryOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { sessionApi } from "./client.ts";
import type { AnnotationTarget } from "./types.ts";
import type { ListSessionsParams, ListUsersParams } from "./client.ts";
import type { SessionApiFilters } from "../lib/sessionsSearch.ts";

// Query option factories: one place for query keys, shared by route loaders
// (prefetching) and components (useQuery).

export const queryKeys = {
  projects: () => ["projects"] as const,
  sessions: (project: string, params: ListSessionsParams) => ["projects", project, "sessions", params] as const,
  session: (project: string, sessionId: string) => ["projects", project, "session", sessionId] as const,
  trace: (project: string, traceId: string) => ["projects", project, "trace", traceId] as const,
  sessionStats: (project: string, filters: SessionApiFilters) => ["projects", project, "sessionStats", filters] as const,
  users: (project: string, params: ListUsersParams) => ["projects", project, "users", params] as const,
  user: (project: string, userId: string) => ["projects", project, "user", userId] as const,
  annotationNames: (project: string) => ["projects", project, "annotationNames"] as const,
  search: (project: string, q: string) => ["projects", project, "search", q] as const,
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

export function sessionStatsQuery(project: string, filters: SessionApiFilters) {
  return queryOptions({
    queryKey: queryKeys.sessionStats(project, filters),
    queryFn: ({ signal }) => api.getSessionStats(project, filters, signal),
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === project ? previous : undefined,
  });
}

export const USERS_PAGE_SIZE = 50;

export function usersQuery(project: string, params: ListUsersParams) {
  const normalized: ListUsersParams = { limit: USERS_PAGE_SIZE, ...params };
  return queryOptions({
    queryKey: queryKeys.users(project, normalized),
    queryFn: ({ signal }) => api.listUsers(project, normalized, signal),
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === project ? previous : undefined,
  });
}

export function userQuery(project: string, userId: string) {
  return queryOptions({
    queryKey: queryKeys.user(project, userId),
    queryFn: ({ signal }) => api.getUser(project, userId, signal),
  });
}

export function annotationNamesQuery(project: string) {
  return queryOptions({
    queryKey: queryKeys.annotationNames(project),
    queryFn: ({ signal }) => api.getAnnotationNames(project, signal),
    staleTime: 30_000,
  });
}

export function searchQuery(project: string, q: string) {
  return queryOptions({
    queryKey: queryKeys.search(project, q),
    queryFn: ({ signal }) => api.search(project, q, signal),
    enabled: q.trim() !== "",
    staleTime: 5_000,
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === project ? previous : undefined,
  });
}

/**
 * Live updates: what to refetch after the server committed changes to a project (the events
 * stream). Lists, stats and users always; a session's queries by prefix — so any query keyed
 * under `queryKeys.session(project, sessionId)` (detail, conversation pages, annotations, ...)
 * is refreshed when that session changed; traces likewise under `queryKeys.trace`.
 * Only queries on screen refetch; the others are marked stale.
 */
export function invalidateProjectChanges(
  queryClient: QueryClient,
  project: string,
  changes: { sessionIds: Iterable<string>; traceIds: Iterable<string> } | "all",
): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.projects(), exact: true });
  if (changes === "all") {
    void queryClient.invalidateQueries({ queryKey: ["projects", project] });
    return;
  }
  for (const part of ["sessions", "sessionStats", "users", "user", "annotationNames", "search"]) {
    void queryClient.invalidateQueries({ queryKey: ["projects", project, part] });
  }
  for (const sessionId of changes.sessionIds) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.session(project, sessionId) });
  }
  for (const traceId of changes.traceIds) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.trace(project, traceId) });
  }
}

// ---- Session and trace pages ----
// Every key nests under queryKeys.session(...) or queryKeys.trace(...), so invalidating a
// session (or a trace) by prefix also refreshes its conversation, trace list and annotations.

export const sessionPageKeys = {
  conversation: (project: string, sessionId: string) => [...queryKeys.session(project, sessionId), "conversation"] as const,
  sessionTraces: (project: string, sessionId: string) => [...queryKeys.session(project, sessionId), "traces"] as const,
  annotations: (project: string, target: AnnotationTarget) =>
    target.type === "session"
      ? ([...queryKeys.session(project, target.sessionId), "annotations"] as const)
      : target.type === "trace"
        ? ([...queryKeys.trace(project, target.traceId), "annotations"] as const)
        : ([...queryKeys.trace(project, target.traceId), "span", target.spanId, "annotations"] as const),
};

/** Turns per conversation page: enough to fill a screen many times over, small enough to answer fast. */
export const CONVERSATION_PAGE_SIZE = 100;
export const SESSION_TRACES_PAGE_SIZE = 200;

export function conversationQuery(project: string, sessionId: string) {
  return infiniteQueryOptions({
    queryKey: sessionPageKeys.conversation(project, sessionId),
    queryFn: ({ signal, pageParam }) =>
      sessionApi.getConversation(project, sessionId, { cursor: pageParam, limit: CONVERSATION_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function sessionTracesQuery(project: string, sessionId: string) {
  return infiniteQueryOptions({
    queryKey: sessionPageKeys.sessionTraces(project, sessionId),
    queryFn: ({ signal, pageParam }) =>
      sessionApi.listSessionTraces(project, sessionId, { cursor: pageParam, limit: SESSION_TRACES_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function annotationsQuery(project: string, target: AnnotationTarget) {
  return queryOptions({
    queryKey: sessionPageKeys.annotations(project, target),
    queryFn: ({ signal }) => sessionApi.listAnnotations(project, target, signal),
  });
}
