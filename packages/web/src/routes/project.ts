import { createRoute, Outlet, redirect } from "@tanstack/react-router";
import { rootRoute } from "./root.tsx";

// Layout route for everything inside one project (sessions now; users, search... later).
export const projectRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/projects/$project",
  component: Outlet,
});

export const projectIndexRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/",
  beforeLoad: ({ params }) => {
    throw redirect({ to: "/projects/$project/sessions", params: { project: params.project }, replace: true });
  },
});
