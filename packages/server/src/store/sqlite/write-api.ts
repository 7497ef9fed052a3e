// Every write the store offers, on one connection: what the writer thread runs (write-worker.ts),
// and what the store runs in-thread when it has no workers (":memory:").
import type { DatabaseSync } from "node:sqlite";
import { AnnotationWrites } from "./annotation-writes.ts";
import type { Deletion } from "./deletion.ts";
import { EvaluationWrites } from "./evaluation-writes.ts";
import { ReviewQueueWrites } from "./review-queues.ts";
import type { PreparedTrace } from "./rows.ts";
import { inTransaction } from "./transaction.ts";
import { SqliteWriter } from "./writer.ts";

export function writeApi(db: DatabaseSync) {
  const annotations = new AnnotationWrites(db);
  const writer = new SqliteWriter(db, annotations);
  const evaluations = new EvaluationWrites(db, annotations);
  const reviews = new ReviewQueueWrites(db, annotations);
  const addUsage = db.prepare(`INSERT INTO llm_usage (project, day, calls, tokens) VALUES (?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, tokens = tokens + excluded.tokens`);
  const addRedaction = db.prepare(`INSERT INTO redactions (project, detector, count) VALUES (?, ?, ?)
    ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  return {
    spans: (traces: PreparedTrace[]) => writer.write(traces),
    upsertAnnotation: (...args: Parameters<AnnotationWrites["upsert"]>) => annotations.upsert(...args),
    updateAnnotation: (...args: Parameters<AnnotationWrites["update"]>) => annotations.update(...args),
    deleteAnnotation: (...args: Parameters<AnnotationWrites["delete"]>) => annotations.delete(...args),
    /** One chunk of a deletion (deletion.ts); the store calls it until it answers null. */
    deleteChunk: (...args: Parameters<Deletion["delete"]>) => writer.deletion.delete(...args),
    expireChunk: (...args: Parameters<Deletion["expire"]>) => writer.deletion.expire(...args),
    markIdle: (...args: Parameters<EvaluationWrites["markIdle"]>) => evaluations.markIdle(...args),
    closeSession: (...args: Parameters<EvaluationWrites["closeSession"]>) => evaluations.closeSession(...args),
    importSessionStates: (...args: Parameters<EvaluationWrites["importStates"]>) => evaluations.importStates(...args),
    scheduleEvaluations: (...args: Parameters<EvaluationWrites["schedule"]>) => evaluations.schedule(...args),
    requestEvaluations: (...args: Parameters<EvaluationWrites["request"]>) => evaluations.request(...args),
    claimEvaluations: (...args: Parameters<EvaluationWrites["claim"]>) => evaluations.claim(...args),
    finishEvaluations: (...args: Parameters<EvaluationWrites["finish"]>) => evaluations.finish(...args),
    createReviewQueue: (...args: Parameters<ReviewQueueWrites["create"]>) => reviews.create(...args),
    reviewItem: (...args: Parameters<ReviewQueueWrites["review"]>) => reviews.review(...args),
    deleteReviewQueue: (...args: Parameters<ReviewQueueWrites["delete"]>) => reviews.delete(...args),
    addLlmUsage: (project: string, day: string, calls: number, tokens: number) => void addUsage.run(project, day, calls, tokens),
    addRedactions: (counts: Array<[string, string, number]>) =>
      inTransaction(db, () => {
        for (const [project, detector, n] of counts) addRedaction.run(project, detector, n);
      }),
  };
}

export type WriteApi = ReturnType<typeof writeApi>;
