// Review queues: make one from the sessions a filter keeps, list them, step through one, review
// an item (the reviewer's annotation, named after the signed-in account or key), delete one.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { ReviewService } from "../query/review-service.ts";
import * as R from "./review-types.ts";
import { paths } from "./route-schemas.ts";
import { Annotation, ApiError } from "./types.ts";

const errors = { 400: ApiError, 403: ApiError, 404: ApiError };
const queuePath = Type.Object({ ...paths.project.properties, queueId: Type.String() });
const itemPath = Type.Object({ ...queuePath.properties, position: Type.Integer({ minimum: 1, description: "1-based place in the queue" }) });
type QueuePath = { project: string; queueId: string };

/** Who is reviewing: the account's login, the key's id, or "local" on an open loopback server. */
export function reviewerOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind === "account") return principal.login;
  if (principal?.kind === "key") return `key:${principal.keyId}`;
  return "local";
}

export async function reviewRoutes(app: FastifyInstance, { reviews }: { reviews: ReviewService }): Promise<void> {
  const Q = "/api/v1/projects/:project/review-queues";
  app.get(Q, { schema: { summary: "Review queues, newest first, with their progress", params: paths.project, response: { 200: R.ReviewQueueList, ...errors } } },
    (request) => reviews.list((request.params as { project: string }).project));
  app.post(Q, {
    schema: { summary: "Make a review queue of the sessions a filter keeps (in the list's order)", params: paths.project, body: R.NewReviewQueue, response: { 201: R.ReviewQueue, ...errors } },
  }, async (request, reply) => {
    const { project } = request.params as { project: string };
    return reply.code(201).send(await reviews.create(project, request.body as R.NewReviewQueue, reviewerOf(request)));
  });
  app.get(`${Q}/:queueId`, {
    schema: { summary: "A queue's sessions, who reviewed what, the evaluators' verdicts beside the reviews, and their agreement", params: queuePath, response: { 200: R.ReviewQueueDetail, ...errors } },
  }, (request) => {
    const { project, queueId } = request.params as QueuePath;
    return reviews.get(project, queueId);
  });
  app.post(`${Q}/:queueId/items/:position/review`, {
    schema: { summary: "Review an item: a HUMAN annotation of its session under the queue's name, identified by the reviewer", params: itemPath, body: R.Review, response: { 200: Annotation, ...errors } },
  }, (request) => {
    const { project, queueId, position } = request.params as QueuePath & { position: number };
    return reviews.review(project, queueId, position, reviewerOf(request), request.body as R.Review);
  });
  app.delete(`${Q}/:queueId`, { schema: { summary: "Delete a queue (the reviews stay, as annotations)", params: queuePath, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { project, queueId } = request.params as QueuePath;
      await reviews.delete(project, queueId);
      return reply.code(204).send();
    });
}
