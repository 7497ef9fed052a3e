// What the evaluation routes take and answer.
import { Type, type Static } from "typebox";
import { EVALUATION_JOB_STATES } from "../store/store.ts";
import { SessionFilterQuery } from "./route-schemas.ts";

export const EvaluatorList = Type.Object({
  evaluators: Type.Array(Type.Object({
    name: Type.String(), description: Type.String(), kind: Type.Enum(["CODE", "LLM"]),
    worst: Type.Union([Type.Object({
      label: Type.Union([Type.String(), Type.Null()]),
      score: Type.Enum(["higher", "lower"]),
    }), Type.Null()], { description: "What a bad result looks like: its label, and whether a higher score is worse" }),
    budget: Type.Optional(Type.Object({
      calls: Type.Integer(), tokens: Type.Integer(), limits: Type.Object({ calls: Type.Integer(), tokens: Type.Integer() }),
    }, { description: "An LLM judge's use of the project's daily budget (UTC day, this server)" })),
  })),
});
export type EvaluatorList = Static<typeof EvaluatorList>;

export const EvaluationRunRequest = Type.Object({
  sessionId: Type.Optional(Type.String({ description: "One session; otherwise every session the filter keeps (all, without one)" })),
  filter: Type.Optional(Type.Partial(SessionFilterQuery, { description: "The sessions list's filters" })),
  evaluators: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: "Default: every configured evaluator" })),
}, { additionalProperties: false });
export type EvaluationRunRequest = Static<typeof EvaluationRunRequest>;

/** At most this many annotations in one bulk request. */
export const MAX_BULK = 1000;

export const BulkAnnotations = Type.Object({
  annotations: Type.Array(Type.Object({
    sessionId: Type.Optional(Type.String({ description: "The session annotated (or traceId, with spanId for a span)" })),
    traceId: Type.Optional(Type.String()),
    spanId: Type.Optional(Type.String()),
  }, { additionalProperties: true, description: "A target and the fields of POST …/annotations" }), { minItems: 1, maxItems: MAX_BULK }),
}, { additionalProperties: false });
export type BulkAnnotations = Static<typeof BulkAnnotations>;

export const BulkResult = Type.Object({
  created: Type.Integer(),
  replaced: Type.Integer(),
  failed: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String() }), { description: "The annotations refused, by their place in the request; the others are stored" }),
});
export type BulkResult = Static<typeof BulkResult>;

export const EvaluationRun = Type.Object({
  runId: Type.String(),
  /** Sessions the run took (null when asked for later). */
  sessions: Type.Union([Type.Integer(), Type.Null()]),
  evaluators: Type.Union([Type.Array(Type.String()), Type.Null()]),
  queued: Type.Integer(),
  running: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
  total: Type.Integer(),
});
export type EvaluationRun = Static<typeof EvaluationRun>;

export const SessionEvaluationJobs = Type.Object({
  jobs: Type.Array(Type.Object({
    evaluator: Type.String(),
    version: Type.Integer({ description: "The session's span count when it was evaluated: a new turn makes a new version" }),
    runId: Type.String({ description: "The on-demand run that asked for it; empty for the session going quiet or being closed" }),
    state: Type.Enum(EVALUATION_JOB_STATES),
    attempts: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()], { description: "Why the last attempt failed; a queued job with one is tried again" }),
    createdAt: Type.String({ format: "date-time" }),
    finishedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  }), { description: "Newest first; the results themselves are the session's annotations" }),
});
export type SessionEvaluationJobs = Static<typeof SessionEvaluationJobs>;
