// Review queues on ClickHouse. Without transactions the order of writes keeps them consistent: a
// queue's items are written before the queue row (a queue that can be read has all its items);
// reviewing writes the reviewer's annotation (annotation-writes.ts, exact on its own) before the
// item's mark, so a mark always has its annotation, and a retried review writes the same rows again.
// Deleting writes the queue's row with deleted = 1; its items are then unreachable.
import { randomUUID } from "node:crypto";
import type { AnnotationRecord } from "../records.ts";
import type { AnnotationFields, ReviewItemRecord, ReviewQueueRecord } from "../store.ts";
import type { AnnotationWrites } from "./annotation-writes.ts";
import { SYNC_INSERT, type Executor, type Row } from "./executor.ts";

type NewQueue = { name: string; annotation: string; labels: string[]; createdBy: string; sessionIds: string[] };

export class ReviewQueues {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #annotations: AnnotationWrites;

  constructor(executor: Executor, database: string, annotations: AnnotationWrites) {
    this.#ex = executor;
    this.#db = database;
    this.#annotations = annotations;
  }

  async create(project: string, queue: NewQueue): Promise<ReviewQueueRecord> {
    const id = randomUUID();
    const createdUs = Date.now() * 1000;
    if (queue.sessionIds.length) {
      await this.#ex.insert(`${this.#db}.review_items`, queue.sessionIds.map((sessionId, i) => ({
        project, queue_id: id, position: i + 1, session_id: sessionId, reviewed_by: null, reviewed_us: null, ver: 0,
      })), SYNC_INSERT);
    }
    await this.#ex.insert(`${this.#db}.review_queues`, [{
      project, id, name: queue.name, annotation: queue.annotation, labels: queue.labels, created_by: queue.createdBy, created_us: createdUs, ver: 1, deleted: 0,
    }], SYNC_INSERT);
    return { id, name: queue.name, annotation: queue.annotation, labels: queue.labels, createdBy: queue.createdBy, createdUs, total: queue.sessionIds.length, reviewed: 0 };
  }

  async #queues(project: string, id: string | null): Promise<ReviewQueueRecord[]> {
    const db = this.#db;
    const only = id == null ? "" : "AND id = {id:String}";
    const rows = await this.#ex.query(`SELECT q.*, i.total AS total, i.reviewed AS reviewed
      FROM (SELECT * FROM ${db}.review_queues FINAL WHERE project = {p:String} AND deleted = 0 ${only}) AS q
      LEFT JOIN (SELECT queue_id, count() AS total, countIf(reviewed_us IS NOT NULL) AS reviewed FROM ${db}.review_items FINAL
        WHERE project = {p:String} ${id == null ? "" : "AND queue_id = {id:String}"} GROUP BY queue_id) AS i ON i.queue_id = q.id
      ORDER BY q.created_us DESC, q.id SETTINGS join_use_nulls = 0`, id == null ? { p: project } : { p: project, id });
    return rows.map(toQueue);
  }

  list = (project: string) => this.#queues(project, null);

  async get(project: string, id: string): Promise<{ queue: ReviewQueueRecord; items: ReviewItemRecord[] } | null> {
    const [queue] = await this.#queues(project, id);
    if (!queue) return null;
    const rows = await this.#ex.query(`SELECT * FROM ${this.#db}.review_items FINAL WHERE project = {p:String} AND queue_id = {id:String} ORDER BY position`,
      { p: project, id });
    return {
      queue,
      items: rows.map((row) => ({
        position: Number(row.position), sessionId: row.session_id as string, reviewedBy: (row.reviewed_by as string | null) ?? null,
        reviewedUs: row.reviewed_us == null ? null : Number(row.reviewed_us),
      })),
    };
  }

  /** The reviewer's annotation of the item's session, then the item marked theirs; null when there is no such item or session. */
  async review(project: string, queueId: string, position: number, reviewer: string, fields: Omit<AnnotationFields, "name" | "identifier" | "annotatorKind">): Promise<AnnotationRecord | null> {
    // No item there (and a position past UInt32 would be an engine error, not a 404).
    if (!Number.isInteger(position) || position < 1 || position > 0xffffffff) return null;
    const [item] = await this.#ex.query(`SELECT i.session_id AS session_id, q.annotation AS annotation, i.ver AS ver
      FROM (SELECT * FROM ${this.#db}.review_items FINAL WHERE project = {p:String} AND queue_id = {q:String} AND position = {n:UInt32}) AS i
      INNER JOIN (SELECT * FROM ${this.#db}.review_queues FINAL WHERE project = {p:String} AND id = {q:String} AND deleted = 0) AS q ON q.id = i.queue_id`,
    { p: project, q: queueId, n: position });
    if (!item) return null;
    const sessionId = item.session_id as string;
    const written = await this.#annotations.upsert(project, { type: "session", sessionId }, {
      ...fields, name: item.annotation as string, identifier: reviewer, annotatorKind: "HUMAN",
    });
    if (!written) return null;
    const nowUs = Date.now() * 1000;
    await this.#ex.insert(`${this.#db}.review_items`, [{
      project, queue_id: queueId, position, session_id: sessionId, reviewed_by: reviewer, reviewed_us: nowUs, ver: Math.max(nowUs, Number(item.ver) + 1),
    }], SYNC_INSERT);
    return written.annotation;
  }

  /** True when the queue was there. */
  async delete(project: string, id: string): Promise<boolean> {
    const rows = await this.#ex.query(`SELECT * FROM ${this.#db}.review_queues FINAL WHERE project = {p:String} AND id = {id:String} AND deleted = 0`, { p: project, id });
    if (!rows.length) return false;
    await this.#ex.insert(`${this.#db}.review_queues`, [{ ...rows[0], ver: Number(rows[0].ver) + 1, deleted: 1 }], SYNC_INSERT);
    return true;
  }
}

function toQueue(row: Row): ReviewQueueRecord {
  return {
    id: row.id as string, name: row.name as string, annotation: row.annotation as string, labels: row.labels as string[],
    createdBy: row.created_by as string, createdUs: Number(row.created_us), total: Number(row.total), reviewed: Number(row.reviewed),
  };
}
