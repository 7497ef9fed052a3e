// What the review-queue routes take and answer.
import { Type, type Static } from "typebox";
import { SessionFilterQuery } from "./route-schemas.ts";
import { Annotation } from "./types.ts";

const Time = Type.String({ format: "date-time" });
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

/** A queue holds at most this many sessions. */
export const MAX_QUEUE_SESSIONS = 1000;

export const ReviewQueue = Type.Object({
  id: Type.String(),
  name: Type.String(),
  annotation: Type.String({ description: "What reviewers score: their HUMAN annotations of this name sit beside the evaluator's" }),
  labels: Type.Array(Type.String(), { description: "The labels a reviewer picks from" }),
  createdBy: Type.String(),
  createdAt: Time,
  total: Type.Integer(),
  reviewed: Type.Integer(),
});
export type ReviewQueue = Static<typeof ReviewQueue>;

export const ReviewQueueList = Type.Object({ queues: Type.Array(ReviewQueue) });
export type ReviewQueueList = Static<typeof ReviewQueueList>;

export const NewReviewQueue = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  annotation: Type.String({ minLength: 1, maxLength: 200, description: "The evaluator (annotation name) reviewers score, e.g. user_frustration" }),
  labels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, description: "Default: the labels this name has had in the project" })),
  filter: Type.Optional(Type.Partial(SessionFilterQuery, { description: "The sessions list's filters: the queue takes the sessions they keep, in the list's order" })),
  sort: Type.Optional(Type.String({ description: "The list's sort (e.g. annotation:goal_completion); default startTime" })),
  order: Type.Optional(Type.Enum(["asc", "desc"])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_QUEUE_SESSIONS, description: `At most this many sessions (default 100, up to ${MAX_QUEUE_SESSIONS})` })),
}, { additionalProperties: false });
export type NewReviewQueue = Static<typeof NewReviewQueue>;

export const Review = Type.Object({
  label: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  score: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  explanation: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
}, { additionalProperties: false });
export type Review = Static<typeof Review>;

const Verdict = Type.Object({
  annotatorKind: Type.String(), identifier: Type.String(), label: Nullable(Type.String()), score: Nullable(Type.Number()),
});

export const ReviewQueueDetail = Type.Object({
  queue: ReviewQueue,
  items: Type.Array(Type.Object({
    position: Type.Integer({ description: "1-based" }),
    sessionId: Type.String(),
    reviewedBy: Nullable(Type.String()),
    reviewedAt: Nullable(Time),
    review: Type.Union([Annotation, Type.Null()], { description: "The reviewer's annotation" }),
    verdicts: Type.Array(Verdict, { description: "The evaluators' (CODE, LLM) and other people's annotations of the same name" }),
  })),
  agreement: Type.Array(Type.Object({
    annotatorKind: Type.String(),
    identifier: Type.String(),
    compared: Type.Integer({ description: "Reviewed sessions this evaluator also judged" }),
    sameLabel: Nullable(Type.Number({ description: "Share of those where the reviewer chose the evaluator's label, 0 to 1" })),
    meanScoreDifference: Nullable(Type.Number({ description: "Mean absolute difference of the scores" })),
  }), { description: "How far each evaluator agrees with the reviewers" }),
});
export type ReviewQueueDetail = Static<typeof ReviewQueueDetail>;
