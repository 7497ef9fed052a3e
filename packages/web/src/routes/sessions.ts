import { createRoute } from "@tanstack/react-router";
import { annotationNamesQuery, sessionsQuery, sessionStatsQuery } from "../api/queries.ts";
import { resolveSessionsSearch, sessionsListParams, validateSessionsSearch } from "../lib/sessionsSearch.ts";
import { SessionsPage } from "../pages/SessionsPage.tsx";
import { projectRoute } from "./project.ts";

export const sessionsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/sessions",
  validateSearch: validateSessionsSearch,
  loaderDeps: ({ search }) => resolveSessionsSearch(search),
  // Warm the cache (also on link hover); the page itself renders loading/error states.
  loader: ({ context, params, deps }) => {
    void context.queryClient.prefetchQuery(sessionsQuery(params.project, sessionsListParams(deps)));
    void context.queryClient.prefetchQuery(sessionStatsQuery(params.project, deps.filters));
    void context.queryClient.prefetchQuery(annotationNamesQuery(params.project));
  },
  component: SessionsPage,
});
