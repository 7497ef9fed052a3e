// Annotation writes on ClickHouse: upsert, update and delete, each a new row version, and the
// session's summary of the name recomputed after it. Why this is exact without transactions, with
// retries and two servers at once (docs/clickhouse.md, "Annotations, review queues and counters"):
// an annotation's id is derived from its target, name and identifier, so concurrent upserts of one
// annotation are rows of one key and the highest version wins; deletions are rows too (deleted = 1)
// and stay. A summary is a full recomputation from every row of its session and name, versioned by
// the sum of those rows' versions: a later recomputation sees each row at an equal or higher
// version, so its version is at least as high and it wins; the writer whose row became visible last
// recomputes after it, so the winning summary counts every annotation.
import type { AnnotationRecord, AnnotationTargetRecord } from "../records.ts";
import type { AnnotationFields } from "../store.ts";
import { hourOf } from "../buckets.ts";
import { toAnnotation } from "../annotation-rows.ts";
import { annotationId, annotationRow } from "./annotation-rows.ts";
import { SYNC_INSERT, type Executor } from "./executor.ts";

type Patch = Partial<Omit<AnnotationFields, "name" | "identifier">>;
/** An annotation on a session, as a batch of them is written (the evaluation stage's results). */
export type SessionAnnotation = { sessionId: string; fields: AnnotationFields };

/** The annotation `fields` make of the target, kept from `live` (the current one, if any) what an upsert keeps. */
function upserted(id: string, project: string, target: AnnotationTargetRecord, sessionId: string | null, fields: AnnotationFields, live: AnnotationRecord | null): AnnotationRecord {
  const now = Date.now() * 1000;
  return {
    id, project, target, sessionId, name: fields.name, label: fields.label, score: fields.score, explanation: fields.explanation,
    annotatorKind: fields.annotatorKind, identifier: fields.identifier, metadata: fields.metadata ?? null,
    createdUs: live?.createdUs ?? now, updatedUs: now,
  };
}

export class AnnotationWrites {
  readonly #ex: Executor;
  readonly #db: string;

  constructor(executor: Executor, database: string) {
    this.#ex = executor;
    this.#db = database;
  }

  /** The session a target belongs to (null: a trace of no session); undefined when the target does not exist. */
  async #sessionOf(project: string, target: AnnotationTargetRecord): Promise<string | null | undefined> {
    const db = this.#db;
    if (target.type === "session") {
      const rows = await this.#ex.query(`SELECT 1 FROM ${db}.sessions FINAL WHERE project = {p:String} AND session_id = {s:String} AND deleted = 0`,
        { p: project, s: target.sessionId });
      return rows.length ? target.sessionId : undefined;
    }
    const trace = await this.#ex.query<{ session_id: string }>(
      `SELECT session_id FROM ${db}.trace_index FINAL WHERE project = {p:String} AND trace_id = {t:String}`, { p: project, t: target.traceId });
    if (!trace.length) return undefined;
    if (target.type === "span") {
      const span = await this.#ex.query(`SELECT 1 FROM ${db}.spans WHERE project = {p:String} AND trace_id = {t:String} AND span_id = {s:String} LIMIT 1`,
        { p: project, t: target.traceId, s: target.spanId });
      if (!span.length) return undefined;
    }
    return trace[0].session_id || null;
  }

  /** The annotation's latest row, deleted or not, and its version. */
  async #latest(project: string, id: string): Promise<{ annotation: AnnotationRecord; ver: number; deleted: boolean } | null> {
    const rows = await this.#ex.query(`SELECT * FROM ${this.#db}.annotations FINAL WHERE project = {p:String} AND id = {id:String}`, { p: project, id });
    return rows.length ? { annotation: toAnnotation(rows[0]), ver: Number(rows[0].ver), deleted: Number(rows[0].deleted) === 1 } : null;
  }

  /** Writes the annotation's next version and recomputes its session's summary. */
  async #put(annotation: AnnotationRecord, previousVer: number, deleted: boolean): Promise<void> {
    // Microseconds, and always past the row it replaces (two writes in one millisecond).
    const ver = Math.max(Date.now() * 1000, previousVer + 1);
    await this.#ex.insert(`${this.#db}.annotations`, [annotationRow(annotation, ver, deleted)], SYNC_INSERT);
    if (annotation.sessionId) await this.refreshSummaries(annotation.project, [[annotation.sessionId, annotation.name]]);
  }

  async upsert(project: string, target: AnnotationTargetRecord, fields: AnnotationFields): Promise<{ annotation: AnnotationRecord; created: boolean } | null> {
    const sessionId = await this.#sessionOf(project, target);
    if (sessionId === undefined) return null;
    const id = annotationId(project, target, fields.name, fields.identifier);
    const latest = await this.#latest(project, id);
    const live = latest && !latest.deleted ? latest.annotation : null;
    const annotation = upserted(id, project, target, sessionId, fields, live);
    await this.#put(annotation, latest?.ver ?? 0, false);
    return { annotation, created: !live };
  }

  /**
   * Upserts of annotations on sessions, in four statements for the whole batch where each upsert
   * takes six (on chdb ~70 ms each: a batch of 64 evaluation results took 4.3 s one by one).
   * The same rows and summaries, so the same exactness; of two for one annotation the last wins,
   * as when written one after the other. Annotations of sessions that do not exist are not written.
   */
  async upsertOfSessions(project: string, items: SessionAnnotation[]): Promise<void> {
    const db = this.#db;
    const sessionIds = [...new Set(items.map((i) => i.sessionId))];
    if (!sessionIds.length) return;
    const existing = new Set((await this.#ex.query<{ session_id: string }>(`SELECT session_id FROM ${db}.sessions FINAL
      WHERE project = {p:String} AND session_id IN {s:Array(String)} AND deleted = 0`, { p: project, s: sessionIds })).map((r) => r.session_id));
    const byId = new Map<string, SessionAnnotation>();
    for (const item of items) {
      if (existing.has(item.sessionId)) byId.set(annotationId(project, { type: "session", sessionId: item.sessionId }, item.fields.name, item.fields.identifier), item);
    }
    if (!byId.size) return;
    const latest = new Map((await this.#ex.query(`SELECT * FROM ${db}.annotations FINAL WHERE project = {p:String} AND id IN {ids:Array(String)}`,
      { p: project, ids: [...byId.keys()] })).map((row) => [row.id as string, row]));
    const rows = [...byId].map(([id, { sessionId, fields }]) => {
      const previous = latest.get(id);
      const live = previous && Number(previous.deleted) === 0 ? toAnnotation(previous) : null;
      const annotation = upserted(id, project, { type: "session", sessionId }, sessionId, fields, live);
      return annotationRow(annotation, Math.max(annotation.updatedUs, Number(previous?.ver ?? 0) + 1), false);
    });
    await this.#ex.insert(`${db}.annotations`, rows, SYNC_INSERT);
    await this.refreshSummaries(project, [...byId.values()].map((i) => [i.sessionId, i.fields.name]));
  }

  async update(project: string, id: string, patch: Patch): Promise<AnnotationRecord | null> {
    const latest = await this.#latest(project, id);
    if (!latest || latest.deleted) return null;
    const current = latest.annotation;
    const annotation: AnnotationRecord = {
      ...current,
      label: patch.label !== undefined ? patch.label : current.label,
      score: patch.score !== undefined ? patch.score : current.score,
      explanation: patch.explanation !== undefined ? patch.explanation : current.explanation,
      annotatorKind: patch.annotatorKind ?? current.annotatorKind,
      metadata: patch.metadata !== undefined ? patch.metadata : current.metadata,
      updatedUs: Date.now() * 1000,
    };
    await this.#put(annotation, latest.ver, false);
    return annotation;
  }

  async delete(project: string, id: string): Promise<AnnotationRecord | null> {
    const latest = await this.#latest(project, id);
    if (!latest || latest.deleted) return null;
    await this.#put(latest.annotation, latest.ver, true);
    return latest.annotation;
  }

  /** Deletes every annotation of the sessions (on them, their traces and spans) and their summaries (deletion.ts's AnnotationHooks). */
  dropSessions = (project: string, sessionIds: string[]) => this.#drop(project, "session_id", sessionIds);

  /** Deletes the annotations of the traces and of their spans, and recomputes their sessions' summaries. */
  dropTraces = (project: string, traceIds: string[]) => this.#drop(project, "trace_id", traceIds);

  /** Tombstones the live annotations whose `column` is one of `ids`, then recomputes every summary they counted in; how many. Safe to run again. */
  async #drop(project: string, column: "session_id" | "trace_id", ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const params = { p: project, ids };
    const rows = await this.#ex.query(`SELECT * FROM ${this.#db}.annotations FINAL
      WHERE project = {p:String} AND ${column} IN {ids:Array(String)} AND deleted = 0`, params);
    const now = Date.now() * 1000;
    if (rows.length) {
      await this.#ex.insert(`${this.#db}.annotations`, rows.map((r) => annotationRow(toAnnotation(r), Math.max(now, Number(r.ver) + 1), true)), SYNC_INSERT);
    }
    // Every (session, name) these ids ever had, so a retry after a failure still recomputes them.
    const names = await this.#ex.query<{ session_id: string; name: string }>(`SELECT DISTINCT session_id, name FROM ${this.#db}.annotations
      WHERE project = {p:String} AND ${column} IN {ids:Array(String)} AND session_id IS NOT NULL`, params);
    await this.refreshSummaries(project, names.map((n) => [n.session_id, n.name]));
    return rows.length;
  }

  /**
   * Recomputes the summaries of these (session, name) pairs from all their rows (a deleted summary
   * where none is live), in three statements for all.
   */
  async refreshSummaries(project: string, pairs: Array<[sessionId: string, name: string]>): Promise<void> {
    if (!pairs.length) return;
    const db = this.#db;
    const key = (sessionId: string, name: string) => JSON.stringify([sessionId, name]);
    const params = { p: project, s: [...new Set(pairs.map(([s]) => s))], n: [...new Set(pairs.map(([, n]) => n))] };
    const [rows, starts] = await Promise.all([
      this.#ex.query(`SELECT session_id, name, label, score, annotator_kind, deleted, toString(ver) AS ver_text FROM ${db}.annotations FINAL
        WHERE project = {p:String} AND session_id IN {s:Array(String)} AND name IN {n:Array(String)}`, params),
      this.#ex.query<{ session_id: string; start_us: number }>(`SELECT session_id, start_us FROM ${db}.sessions FINAL
        WHERE project = {p:String} AND session_id IN {s:Array(String)} AND deleted = 0`, params),
    ]);
    const rowsOf = Map.groupBy(rows, (r) => key(r.session_id as string, r.name as string));
    const startOf = new Map(starts.map((r) => [r.session_id, Number(r.start_us)]));
    const summaries = [...new Map(pairs.map(([s, n]) => [key(s, n), [s, n] as const])).values()].map(([sessionId, name]) => {
      const mine = rowsOf.get(key(sessionId, name)) ?? [];
      const start = startOf.get(sessionId);
      const ver = mine.reduce((sum, r) => sum + BigInt(r.ver_text as string), 0n);
      const live = mine.filter((r) => Number(r.deleted) === 0);
      const scores = live.flatMap((r) => (r.score == null ? [] : [Number(r.score)]));
      return {
        project, session_id: sessionId, name, annotator_kind: mostFrequent(live.map((r) => r.annotator_kind as string)) ?? "HUMAN",
        score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
        label: mostFrequent(live.flatMap((r) => (r.label == null ? [] : [r.label as string]))), count: live.length,
        hour_us: start != null ? hourOf(start) : 0, ver: ver.toString(), deleted: live.length && start != null ? 0 : 1,
      };
    });
    await this.#ex.insert(`${db}.session_scores`, summaries, SYNC_INSERT);
  }
}

/** The most frequent value, ties to the first in alphabetical order (as SQLite's summaries). */
function mostFrequent(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}
