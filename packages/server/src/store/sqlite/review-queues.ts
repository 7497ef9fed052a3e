// Review queues (schema: review_queues, review_items): made from a list of sessions, read with
// their progress, and reviewed one item at a time, the reviewer's annotation and the item's mark
// in one transaction.
import { randomUUID } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { AnnotationFields, ReviewItemRecord, ReviewQueueRecord } from "../store.ts";
import type { AnnotationWrites } from "./annotation-writes.ts";
import type { Row } from "./rows.ts";
import { inTransaction } from "./transaction.ts";

const QUEUE = `SELECT q.*, count(i.position) AS total, count(i.reviewed_us) AS reviewed FROM review_queues q
  LEFT JOIN review_items i ON i.project = q.project AND i.queue_id = q.id`;

export class ReviewQueueWrites {
  readonly #db: DatabaseSync;
  readonly #annotations: AnnotationWrites;

  constructor(db: DatabaseSync, annotations: AnnotationWrites) {
    this.#db = db;
    this.#annotations = annotations;
  }

  create(project: string, queue: { name: string; annotation: string; labels: string[]; createdBy: string; sessionIds: string[] }, nowUs: number): ReviewQueueRecord {
    const id = randomUUID();
    return inTransaction(this.#db, () => {
      this.#db.prepare("INSERT INTO review_queues (project, id, name, annotation, labels, created_by, created_us) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(project, id, queue.name, queue.annotation, JSON.stringify(queue.labels), queue.createdBy, nowUs);
      const item = this.#db.prepare("INSERT INTO review_items (project, queue_id, position, session_id) VALUES (?, ?, ?, ?)");
      queue.sessionIds.forEach((sessionId, i) => item.run(project, id, i + 1, sessionId));
      return reviewQueue(this.#db, project, id)!;
    });
  }

  /** The reviewer's annotation of the item's session, and the item marked theirs; null when there is no such item or session. */
  review(project: string, queueId: string, position: number, reviewer: string, fields: Omit<AnnotationFields, "name" | "identifier" | "annotatorKind">, nowUs: number) {
    return inTransaction(this.#db, () => {
      const item = this.#db.prepare(`SELECT i.session_id, q.annotation FROM review_items i JOIN review_queues q ON q.project = i.project AND q.id = i.queue_id
        WHERE i.project = ? AND i.queue_id = ? AND i.position = ?`).get(project, queueId, position) as Row | undefined;
      if (!item) return null;
      const written = this.#annotations.upsertIn(project, { type: "session", sessionId: item.session_id as string }, {
        ...fields, name: item.annotation as string, identifier: reviewer, annotatorKind: "HUMAN",
      });
      if (!written) return null;
      this.#db.prepare("UPDATE review_items SET reviewed_by = ?, reviewed_us = ? WHERE project = ? AND queue_id = ? AND position = ?")
        .run(reviewer, nowUs, project, queueId, position);
      return written.annotation;
    });
  }

  delete(project: string, id: string): boolean {
    return inTransaction(this.#db, () => {
      this.#db.prepare("DELETE FROM review_items WHERE project = ? AND queue_id = ?").run(project, id);
      return Number(this.#db.prepare("DELETE FROM review_queues WHERE project = ? AND id = ?").run(project, id).changes) > 0;
    });
  }
}

export function reviewQueues(db: DatabaseSync, project: string): ReviewQueueRecord[] {
  return (db.prepare(`${QUEUE} WHERE q.project = ? GROUP BY q.id ORDER BY q.created_us DESC`).all(project) as Row[]).map(toQueue);
}

export function reviewQueue(db: DatabaseSync, project: string, id: string): ReviewQueueRecord | null {
  const row = db.prepare(`${QUEUE} WHERE q.project = ? AND q.id = ? GROUP BY q.id`).get(project, id) as Row | undefined;
  return row ? toQueue(row) : null;
}

export function reviewItems(db: DatabaseSync, project: string, queueId: string): ReviewItemRecord[] {
  return (db.prepare("SELECT * FROM review_items WHERE project = ? AND queue_id = ? ORDER BY position").all(project, queueId) as Row[]).map((row) => ({
    position: row.position as number,
    sessionId: row.session_id as string,
    reviewedBy: (row.reviewed_by as string | null) ?? null,
    reviewedUs: (row.reviewed_us as number | null) ?? null,
  }));
}

function toQueue(row: Row): ReviewQueueRecord {
  return {
    id: row.id as string, name: row.name as string, annotation: row.annotation as string, labels: JSON.parse(row.labels as string) as string[],
    createdBy: row.created_by as string, createdUs: row.created_us as number, total: row.total as number, reviewed: row.reviewed as number,
  };
}
