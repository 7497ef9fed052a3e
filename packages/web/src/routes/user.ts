import { createRoute } from "@tanstack/react-router";
import { sessionsQuery, userQuery } from "../api/queries.ts";
import { resolveUserSessionsSearch, validateUserSessionsSearch } from "../lib/sessionsSearch.ts";
import { UserPage } from "../pages/UserPage.tsx";
import { projectRoute } from "./project.ts";

export const userRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/users/$userId",
  validateSearch: validateUserSessionsSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context, params, deps }) => {
    void context.queryClient.prefetchQuery(userQuery(params.project, params.userId));
    void context.queryClient.prefetchQuery(sessionsQuery(params.project, resolveUserSessionsSearch(params.userId, deps)));
  },
  component: UserPage,
});
