// Deletion for erasure (a session, a trace, a user's every session) and retention (traces started
// before a time) on ClickHouse, with every rollup recounted (docs/clickhouse.md, "Deletion").
//
// Why it is exact without transactions: a deleted trace is not removed from the rollup tables but
// overwritten by a tombstone whose version (TOMBSTONE) is above any version a writer can give it
// (a trace's version is its span count): the index row files it under no session or user, and its
// trace rows are scrubbed copies (no text, zero counts). ReplacingMergeTree keeps the tombstones
// over any row a concurrent writer makes from the deleted spans, the recomputations (rollup-sql.ts)
// count the trace as not live, and their versions only grow (the tombstones' versions are summed
// in), so a recomputation after the deletion wins over every one before it, from any server. A
// retry of the deletion finds no live trace and changes nothing. The spans and the older trace rows
// (which carry what was said) go by lightweight DELETE, which every read, FINAL and the text index
// included, honours at once; the bytes go at the parts' next merge.
//
// A deleted trace stays deleted (SQLite starts it over): the deletion marks it in trace_seen before
// its DELETE, and a writer, after storing spans, drops what it stored of a marked trace. A writer
// that checked before the mark stored before it, so the DELETE takes its spans; one that checks
// after sees the mark. Starting over would need a writer's read-back ordered after the DELETE,
// which ClickHouse does not give across servers; and an exporter's late retry must not bring
// erased words back.
import { randomUUID } from "node:crypto";
import type { DeletedRecord, DeleteTarget } from "../store.ts";
import type { Executor, Params } from "./executor.ts";
import { SYNC_INSERT } from "./executor.ts";
import { toAnnotation } from "../annotation-rows.ts";
import { annotationRow } from "./annotation-rows.ts";
import { EVALUATOR_IDENTIFIER } from "./evaluation-jobs.ts";
import { recomputeSessions, recomputeUsers, TOMBSTONE } from "./rollup-sql.ts";
import { TOKEN_FIELDS } from "./span-rows.ts";

/** trace_seen's batch of a deletion's mark (a batch is otherwise a hex digest). */
export const DELETED_BATCH = "deleted:";
/** Where the index files a deleted trace: no session or user id is this. */
const NOWHERE = "\u0000deleted";
/** Traces per round: keeps IN lists, and each round's work, small. */
const CHUNK = 1000;

/**
 * The annotation store's part: deletes the annotations (and evaluation results) of these sessions
 * and of these traces; how many it deleted. Wired by the store once annotations exist on ClickHouse.
 */
export interface AnnotationHooks {
  dropSessions(project: string, sessionIds: string[]): Promise<number>;
  dropTraces(project: string, traceIds: string[]): Promise<number>;
  refreshSummaries(project: string, pairs: Array<[sessionId: string, name: string]>): Promise<void>;
}

const ZERO: DeletedRecord = { traces: 0, spans: 0, sessions: 0, annotations: 0 };
const add = (a: DeletedRecord, b: DeletedRecord): DeletedRecord => ({
  traces: a.traces + b.traces, spans: a.spans + b.spans, sessions: a.sessions + b.sessions, annotations: a.annotations + b.annotations,
});

const ZERO_TOKENS = TOKEN_FIELDS.map(([column]) => `0 AS ${column}`).join(", ");

export class Deletion {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #cluster: string | null;
  readonly #annotations: AnnotationHooks | null;

  constructor(executor: Executor, database: string, cluster: string | null, annotations: AnnotationHooks | null) {
    this.#ex = executor;
    this.#db = database;
    this.#cluster = cluster;
    this.#annotations = annotations;
  }

  async delete(project: string, target: DeleteTarget): Promise<DeletedRecord | null> {
    let total: DeletedRecord | null = null;
    for (let ids; (ids = await this.#targetTraces(project, target)).length; ) total = add(total ?? ZERO, await this.#deleteTraces(project, ids));
    return total;
  }

  async expire(project: string, beforeUs: number): Promise<DeletedRecord> {
    let total = ZERO;
    const sql = `SELECT trace_id FROM ${this.#db}.trace_index FINAL WHERE project = {p:String} AND start_us < {b:Int64} AND ver < ${TOMBSTONE} LIMIT ${CHUNK}`;
    for (let ids; (ids = await this.#ids(sql, { p: project, b: beforeUs })).length; ) total = add(total, await this.#deleteTraces(project, ids));
    return total;
  }

  /** The next chunk of the target's live traces. */
  async #targetTraces(project: string, target: DeleteTarget): Promise<string[]> {
    const db = this.#db;
    const live = `SELECT trace_id FROM ${db}.trace_index FINAL WHERE project = {p:String} AND ver < ${TOMBSTONE}`;
    if (target.type === "trace") return this.#ids(`${live} AND trace_id = {t:String}`, { p: project, t: target.traceId });
    if (target.type === "session") return this.#ids(this.#ofSessions(live), { p: project, s: [target.sessionId] });
    // Erasure takes every session the user took part in, whole (the other turns hold what they
    // said too), then their traces outside any session: as the SQLite store does.
    const params = { p: project, u: target.userId };
    const sessions = await this.#ex.query<{ session_id: string }>(`SELECT session_id FROM ${db}.sessions FINAL
      WHERE project = {p:String} AND has(user_ids, {u:String}) AND deleted = 0 LIMIT 20`, params);
    if (sessions.length) return this.#ids(this.#ofSessions(live), { p: project, s: sessions.map((s) => s.session_id) });
    return this.#ids(`${live} AND user_id = {u:String} AND trace_id IN
      (SELECT trace_id FROM ${db}.user_traces WHERE project = {p:String} AND user_id = {u:String})`, params);
  }

  #ofSessions(live: string): string {
    return `${live} AND session_id IN {s:Array(String)} AND trace_id IN
      (SELECT trace_id FROM ${this.#db}.traces WHERE project = {p:String} AND session_id IN {s:Array(String)}) LIMIT ${CHUNK}`;
  }

  async #ids(sql: string, params: Params): Promise<string[]> {
    return (await this.#ex.query<{ trace_id: string }>(sql, params)).map((r) => r.trace_id);
  }

  async #deleteTraces(project: string, traceIds: string[]): Promise<DeletedRecord> {
    const db = this.#db;
    const p = { p: project, ids: traceIds };
    const [spans] = await this.#ex.query<{ n: number }>(`SELECT count() AS n FROM ${db}.spans FINAL WHERE project = {p:String} AND trace_id IN {ids:Array(String)}`, p);
    const liveBefore = await this.#liveSessions(project, (await this.#links(p)).sessionIds);

    // 1. The mark that a writer checks after storing spans (span-writer.ts): one that finds it
    // drops what it stored of these traces itself; one that did not stored before this point,
    // so the DELETE below takes its spans. A deleted trace stays deleted.
    await this.#ex.insert(`${db}.trace_seen`, traceIds.map((id) => ({ project, trace_id: id, batch: `${DELETED_BATCH}${randomUUID()}` })), SYNC_INSERT);
    // 2. Tombstones: from here on no writer's row of these traces counts. (The filter is in a
    // subquery: beside REPLACE, `ver` in WHERE would be the new value.)
    await this.#ex.command(`INSERT INTO ${db}.traces SELECT * REPLACE (NULL AS root_span_name, 0 AS span_count, 0 AS error_count,
        0 AS llm_count, NULL AS input, NULL AS output, ${ZERO_TOKENS}, 0 AS cost, [] AS tags, [] AS models, [] AS metadata, ${TOMBSTONE} AS ver)
      FROM (SELECT * FROM ${db}.traces FINAL WHERE project = {p:String} AND trace_id IN {ids:Array(String)} AND ver < ${TOMBSTONE})`, p);
    await this.#ex.command(`INSERT INTO ${db}.user_traces SELECT * REPLACE (0 AS span_count, 0 AS error_count, ${ZERO_TOKENS}, 0 AS cost,
        ${TOMBSTONE} AS ver)
      FROM (SELECT * FROM ${db}.user_traces FINAL WHERE project = {p:String} AND trace_id IN {ids:Array(String)} AND ver < ${TOMBSTONE})`, p);
    await this.#ex.insert(`${db}.trace_index`, traceIds.map((id) => ({
      project, trace_id: id, session_id: NOWHERE, user_id: NOWHERE, start_us: 0, end_us: 0, ver: TOMBSTONE,
    })), SYNC_INSERT);

    // 3. What was said goes: the spans (and their words) and the trace rows that quote them.
    await this.dropSpans(project, traceIds);
    await this.#lightDelete("traces", `project = {p:String} AND trace_id IN {ids:Array(String)} AND ver < ${TOMBSTONE}`, p);
    await this.#lightDelete("user_traces", `project = {p:String} AND trace_id IN {ids:Array(String)} AND ver < ${TOMBSTONE}`, p);

    // 4. Every session and user the traces were ever filed under, read after the tombstones: a
    // writer that links one later recomputes it itself, after the tombstones.
    const { sessionIds, userIds } = await this.#links(p);
    if (sessionIds.length) await this.#ex.command(recomputeSessions(db), { p: project, ids: sessionIds });
    if (userIds.length) await this.#ex.command(recomputeUsers(db), { p: project, ids: userIds });
    // Their evaluation jobs go too, as on SQLite: what is left of a session, or a session sent
    // again under its id, is scheduled afresh, under new job keys (evaluation-jobs.ts, jobKey).
    for (const table of sessionIds.length ? ["eval_jobs", "eval_scheduled"] : []) {
      await this.#lightDelete(table, "project = {p:String} AND session_id IN {ids:Array(String)}", { p: project, ids: sessionIds });
    }
    const liveAfter = await this.#liveSessions(project, sessionIds);
    const gone = liveBefore.filter((id) => !liveAfter.includes(id));
    const kept = liveAfter.filter((id) => liveBefore.includes(id));
    const annotations = this.#annotations
      ? (await this.#annotations.dropTraces(project, traceIds)) + (await this.#annotations.dropSessions(project, gone)) +
        (await this.#dropEvaluatorResults(project, kept))
      : 0;
    // A review queue loses the sessions that are gone (as on SQLite), the rest keep their places.
    if (gone.length) await this.#lightDelete("review_items", "project = {p:String} AND session_id IN {ids:Array(String)}", { p: project, ids: gone });
    return { traces: traceIds.length, spans: Number(spans?.n ?? 0), sessions: gone.length, annotations };
  }

  /**
   * A session that keeps other turns loses its evaluators' results (they judged the whole, and may
   * quote what was deleted; SQLite does the same): tombstones above their versions, then the
   * summaries recomputed. What remains is evaluated again at its new version.
   */
  async #dropEvaluatorResults(project: string, sessionIds: string[]): Promise<number> {
    if (!sessionIds.length || !this.#annotations) return 0;
    const rows = await this.#ex.query(`SELECT * FROM ${this.#db}.annotations FINAL WHERE project = {p:String} AND session_id IN {s:Array(String)}
      AND target_type = 'session' AND identifier = {i:String} AND deleted = 0`, { p: project, s: sessionIds, i: EVALUATOR_IDENTIFIER });
    if (!rows.length) return 0;
    const now = Date.now() * 1000;
    await this.#ex.insert(`${this.#db}.annotations`, rows.map((r) => annotationRow(toAnnotation(r), Math.max(now, Number(r.ver) + 1), true)), SYNC_INSERT);
    await this.#annotations.refreshSummaries(project, rows.map((r) => [r.session_id as string, r.name as string]));
    return rows.length;
  }

  /** Deletes the traces' spans: also the writer's, for spans of deleted traces that arrive later. */
  dropSpans(project: string, traceIds: string[]): Promise<void> {
    return this.#lightDelete("spans", "project = {p:String} AND trace_id IN {ids:Array(String)}", { p: project, ids: traceIds });
  }

  async #links(p: Params): Promise<{ sessionIds: string[]; userIds: string[] }> {
    const links = await this.#ex.query<{ session_id: string; user_id: string }>(`SELECT DISTINCT session_id, user_id FROM ${this.#db}.trace_links
      WHERE project = {p:String} AND trace_id IN {ids:Array(String)}`, p);
    return { sessionIds: [...new Set(links.map((l) => l.session_id))].filter(Boolean), userIds: [...new Set(links.map((l) => l.user_id))].filter(Boolean) };
  }

  async #liveSessions(project: string, sessionIds: string[]): Promise<string[]> {
    if (!sessionIds.length) return [];
    const rows = await this.#ex.query<{ session_id: string }>(`SELECT session_id FROM ${this.#db}.sessions FINAL
      WHERE project = {p:String} AND session_id IN {s:Array(String)} AND deleted = 0`, { p: project, s: sessionIds });
    return rows.map((r) => r.session_id);
  }

  /** Lightweight DELETE: on a cluster it runs on the local tables (a Distributed table takes none). */
  #lightDelete(table: string, where: string, params: Params): Promise<void> {
    const target = this.#cluster ? `${this.#db}.${table}_local ON CLUSTER ${this.#cluster}` : `${this.#db}.${table}`;
    return this.#ex.command(`DELETE FROM ${target} WHERE ${where}`, params);
  }
}
