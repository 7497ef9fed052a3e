import { createRoute } from "@tanstack/react-router";
import { sessionsQuery } from "../api/queries.ts";
import { resolveSessionsSearch, validateSessionsSearch } from "../lib/sessionsSearch.ts";
import { SessionsPage } from "../pages/SessionsPage.tsx";
import { projectRoute } from "./project.ts";

export const sessionsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/sessions",
  validateSearch: validateSessionsSearch,
  loaderDeps: ({ search }) => resolveSessionsSearch(search),
  // Warm the cache (also on link hover); the page itself renders loading/error states.
  loader: ({ context, params, deps }) => {
    void context.queryClient.prefetchQuery(sessionsQuery(params.project, deps));
  },
  component: SessionsPage,
});
