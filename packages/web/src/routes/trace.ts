import { createRoute } from "@tanstack/react-router";
import { traceQuery } from "../api/queries.ts";
import { validateTracePageSearch } from "../lib/sessionPageSearch.ts";
import { TracePage } from "../pages/TracePage.tsx";
import { projectRoute } from "./project.ts";

export const traceRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/traces/$traceId",
  validateSearch: validateTracePageSearch,
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(traceQuery(params.project, params.traceId));
  },
  component: TracePage,
});
