// Review queues: made from the sessions a filter keeps, stepped through by people who score each
// session under the queue's annotation name, beside the evaluators' results of that name; and how
// far each evaluator agrees with the reviewers.
import type { NewReviewQueue, Review, ReviewQueue, ReviewQueueDetail, ReviewQueueList } from "../api/review-types.ts";
import type { AnnotationRecord } from "../store/records.ts";
import type { ReviewQueueRecord, Store } from "../store/store.ts";
import { annotationView } from "./annotation-service.ts";
import type { ChangeFeed } from "../pipeline/change-feed.ts";
import { QueryError } from "./params.ts";
import type { QueryService } from "./query-service.ts";
import { iso } from "./shapes.ts";

export class ReviewService {
  readonly #store: Store;
  readonly #queries: QueryService;
  readonly #changes: ChangeFeed;

  constructor(store: Store, queries: QueryService, changes: ChangeFeed) {
    this.#store = store;
    this.#queries = queries;
    this.#changes = changes;
  }

  async list(project: string): Promise<ReviewQueueList> {
    return { queues: (await this.#store.listReviewQueues(project)).map(queueView) };
  }

  async create(project: string, request: NewReviewQueue, createdBy: string): Promise<ReviewQueue> {
    const sessionIds = await this.#queries.sessionIds(project, { ...request.filter, sort: request.sort, order: request.order }, request.limit ?? 100);
    if (sessionIds.length === 0) throw new QueryError(400, "the filter keeps no session: a queue needs at least one");
    const known = (await this.#store.annotationNames(project)).find((n) => n.name === request.annotation)?.labels ?? [];
    const labels = [...new Set(request.labels ?? known)];
    return queueView(await this.#store.createReviewQueue(project, { name: request.name.trim(), annotation: request.annotation, labels, createdBy, sessionIds }));
  }

  async get(project: string, id: string): Promise<ReviewQueueDetail> {
    const found = await this.#store.getReviewQueue(project, id);
    if (!found) throw new QueryError(404, `no review queue "${id}" in project "${project}"`);
    const { queue, items } = found;
    const ofSession = await Promise.all(items.map((item) => this.#store.listAnnotations(project, { type: "session", sessionId: item.sessionId })));
    const judged = items.map((item, i) => {
      const named = ofSession[i].filter((a) => a.name === queue.annotation);
      const review = item.reviewedBy ? (named.find((a) => a.annotatorKind === "HUMAN" && a.identifier === item.reviewedBy) ?? null) : null;
      return { item, review, others: named.filter((a) => a !== review) };
    });
    return {
      queue: queueView(queue),
      items: judged.map(({ item, review, others }) => ({
        position: item.position, sessionId: item.sessionId, reviewedBy: item.reviewedBy, reviewedAt: item.reviewedUs == null ? null : iso(item.reviewedUs),
        review: review && annotationView(review),
        verdicts: others.map(({ annotatorKind, identifier, label, score }) => ({ annotatorKind, identifier, label, score })),
      })),
      agreement: agreement(judged.flatMap(({ review, others }) => (review ? [{ review, others: others.filter((a) => a.annotatorKind !== "HUMAN") }] : []))),
    };
  }

  async review(project: string, id: string, position: number, reviewer: string, body: Review): Promise<ReviewQueueDetail["items"][number]["review"]> {
    const found = await this.#store.getReviewQueue(project, id);
    if (!found) throw new QueryError(404, `no review queue "${id}" in project "${project}"`);
    const { label = null, score = null, explanation = null } = body;
    if (label === null && score === null && !explanation) throw new QueryError(400, "a review needs a label, a score or a note");
    if (label !== null && found.queue.labels.length && !found.queue.labels.includes(label)) {
      throw new QueryError(400, `label must be one of ${found.queue.labels.join(", ")}, not "${label}"`);
    }
    if (score !== null && !Number.isFinite(score)) throw new QueryError(400, "score must be a finite number");
    const written = await this.#store.reviewItem(project, id, position, reviewer, { label, score, explanation: explanation?.trim() || null, metadata: { reviewQueue: id } });
    if (!written) throw new QueryError(404, `no item ${position} in review queue "${id}" (or its session was deleted)`);
    this.#changes.touched(project, written.sessionId, null);
    return annotationView(written);
  }

  async delete(project: string, id: string): Promise<void> {
    if (!(await this.#store.deleteReviewQueue(project, id))) throw new QueryError(404, `no review queue "${id}" in project "${project}"`);
  }
}

function queueView(q: ReviewQueueRecord): ReviewQueue {
  return { id: q.id, name: q.name, annotation: q.annotation, labels: q.labels, createdBy: q.createdBy, createdAt: iso(q.createdUs), total: q.total, reviewed: q.reviewed };
}

/** Per evaluator (kind and identifier): how often the reviewer chose its label, and how far apart the scores are. */
function agreement(reviewed: Array<{ review: AnnotationRecord; others: AnnotationRecord[] }>): ReviewQueueDetail["agreement"] {
  const by = new Map<string, { annotatorKind: string; identifier: string; compared: number; labels: number; same: number; scores: number; diff: number }>();
  for (const { review, others } of reviewed) {
    for (const other of others) {
      const key = `${other.annotatorKind}\u0000${other.identifier}`;
      let entry = by.get(key);
      if (!entry) by.set(key, (entry = { annotatorKind: other.annotatorKind, identifier: other.identifier, compared: 0, labels: 0, same: 0, scores: 0, diff: 0 }));
      entry.compared++;
      if (review.label !== null && other.label !== null) {
        entry.labels++;
        if (review.label === other.label) entry.same++;
      }
      if (review.score !== null && other.score !== null) {
        entry.scores++;
        entry.diff += Math.abs(review.score - other.score);
      }
    }
  }
  return [...by.values()].map((e) => ({
    annotatorKind: e.annotatorKind, identifier: e.identifier, compared: e.compared,
    sameLabel: e.labels ? e.same / e.labels : null, meanScoreDifference: e.scores ? e.diff / e.scores : null,
  }));
}
