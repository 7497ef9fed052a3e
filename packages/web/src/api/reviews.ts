// Review queues: list, make one from the sessions list's filters, read one, review an item.
import { queryOptions } from "@tanstack/react-query";
import type { NewReviewQueue, Review, ReviewQueue, ReviewQueueDetail, ReviewQueueList } from "../../../server/src/api/review-types.ts";
import type { Annotation } from "./types.ts";
import { buildUrl, getJson, seg, sendJson } from "./client.ts";

export type { NewReviewQueue, ReviewQueue, ReviewQueueDetail };
export type ReviewItem = ReviewQueueDetail["items"][number];

const base = (project: string) => `/projects/${seg(project)}/review-queues`;

export const reviewKeys = {
  all: (project: string) => ["projects", project, "review-queues"] as const,
  one: (project: string, id: string) => ["projects", project, "review-queues", id] as const,
};

export function reviewQueuesQuery(project: string) {
  return queryOptions({ queryKey: reviewKeys.all(project), queryFn: ({ signal }) => getJson<ReviewQueueList>(buildUrl(base(project)), signal) });
}

export function reviewQueueQuery(project: string, id: string) {
  return queryOptions({ queryKey: reviewKeys.one(project, id), queryFn: ({ signal }) => getJson<ReviewQueueDetail>(buildUrl(`${base(project)}/${seg(id)}`), signal) });
}

export const reviewApi = {
  create: async (project: string, queue: NewReviewQueue) => (await sendJson<ReviewQueue>("POST", buildUrl(base(project)), queue))!,
  review: async (project: string, id: string, position: number, review: Review) =>
    (await sendJson<Annotation>("POST", buildUrl(`${base(project)}/${seg(id)}/items/${position}/review`), review))!,
  delete: (project: string, id: string) => sendJson<null>("DELETE", buildUrl(`${base(project)}/${seg(id)}`)),
};
