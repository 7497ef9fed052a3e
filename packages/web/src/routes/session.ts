import { createRoute } from "@tanstack/react-router";
import { conversationQuery, sessionQuery } from "../api/queries.ts";
import { validateSessionPageSearch } from "../lib/sessionPageSearch.ts";
import { SessionPage } from "../pages/SessionPage.tsx";
import { projectRoute } from "./project.ts";

export const sessionRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/sessions/$sessionId",
  validateSearch: validateSessionPageSearch,
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(sessionQuery(params.project, params.sessionId));
    void context.queryClient.prefetchInfiniteQuery(conversationQuery(params.project, params.sessionId));
  },
  component: SessionPage,
});
