import { createRoute, redirect } from "@tanstack/react-router";
import { projectsQuery } from "../api/queries.ts";
import { HomePage } from "../pages/HomePage.tsx";
import { rootRoute } from "./root.tsx";

// "/" opens the most recently active project; with no project yet it shows how to send traces.
export const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  loader: async ({ context }) => {
    const { projects } = await context.queryClient.fetchQuery({ ...projectsQuery(), staleTime: 0 });
    const first = projects[0];
    if (first) {
      throw redirect({ to: "/projects/$project/sessions", params: { project: first.name }, replace: true });
    }
  },
  component: HomePage,
});
