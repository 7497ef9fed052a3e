import { createRoute } from "@tanstack/react-router";
import { reviewQueueQuery, reviewQueuesQuery } from "../api/reviews.ts";
import { ReviewPage } from "../pages/ReviewPage.tsx";
import { ReviewQueuesPage } from "../pages/ReviewQueuesPage.tsx";
import { projectRoute } from "./project.ts";

export const reviewQueuesRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/review",
  loader: ({ context, params }) => void context.queryClient.prefetchQuery(reviewQueuesQuery(params.project)),
  component: ReviewQueuesPage,
});

/** ?item=N: the queue's item at position N (default: the first one nobody has reviewed). */
export const reviewRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/review/$queueId",
  validateSearch: (raw: Record<string, unknown>): { item?: number } => {
    const item = Number(raw.item);
    return Number.isInteger(item) && item >= 1 ? { item } : {};
  },
  loader: ({ context, params }) => void context.queryClient.prefetchQuery(reviewQueueQuery(params.project, params.queueId)),
  component: ReviewPage,
});
