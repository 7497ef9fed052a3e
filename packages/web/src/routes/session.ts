import { createRoute } from "@tanstack/react-router";
import { sessionQuery } from "../api/queries.ts";
import { SessionPage } from "../pages/SessionPage.tsx";
import { projectRoute } from "./project.ts";

export const sessionRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/sessions/$sessionId",
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(sessionQuery(params.project, params.sessionId));
  },
  component: SessionPage,
});
