import { createRoute } from "@tanstack/react-router";
import { annotationNamesQuery, usersQuery } from "../api/queries.ts";
import { resolveUsersSearch, validateUsersSearch } from "../lib/usersSearch.ts";
import { UsersPage } from "../pages/UsersPage.tsx";
import { projectRoute } from "./project.ts";

export const usersRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/users",
  validateSearch: validateUsersSearch,
  loaderDeps: ({ search }) => resolveUsersSearch(search),
  loader: ({ context, params, deps }) => {
    void context.queryClient.prefetchQuery(usersQuery(params.project, deps));
    void context.queryClient.prefetchQuery(annotationNamesQuery(params.project));
  },
  component: UsersPage,
});
