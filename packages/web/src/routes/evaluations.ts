import { createRoute } from "@tanstack/react-router";
import { evaluatorsQuery } from "../api/evaluations.ts";
import { EvaluationsPage } from "../pages/EvaluationsPage.tsx";
import { projectRoute } from "./project.ts";

export const evaluationsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/evaluations",
  loader: ({ context, params }) => void context.queryClient.prefetchQuery(evaluatorsQuery(params.project)),
  component: EvaluationsPage,
});
