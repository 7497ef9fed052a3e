// Deleting traces with everything derived from them, on the writer's thread: their spans, their
// bodies (the bytes are zeroed, and a page left with nothing live is dropped, so retention frees
// space for new pages), their words in the search index, their annotations, their sessions'
// evaluation results, and their share of the session, user, hour, score and project rollups,
// which are recounted from what remains.
// A call deletes at most CHUNK traces in one transaction, so ingest commits between chunks.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { DeletedRecord, DeleteTarget } from "../store.ts";
import type { AnnotationWrites } from "./annotation-writes.ts";
import type { BodyLog } from "./body-log.ts";
import { PAGE_BYTES } from "./body-log.ts";
import type { HourlyRollups } from "./hours.ts";
import type { Recount } from "./recount.ts";
import type { Row } from "./rows.ts";
import { inTransaction } from "./transaction.ts";
import { EVALUATOR_IDENTIFIER } from "./evaluation-writes.ts";
import { SPANS_PER_TRACE } from "./schema.ts";

/** Traces per transaction: a chunk of a heavy user's erasure holds the writer for tens of ms. */
export const CHUNK = 500;

const TRACE = "trace_key, trace_id, session_id, user_id, span_count";

export interface DeletionParts {
  hours: HourlyRollups;
  recount: Recount;
  bodies: BodyLog;
  annotations: AnnotationWrites;
}

export class Deletion {
  readonly #db: DatabaseSync;
  readonly #parts: DeletionParts;
  readonly #sql: Record<string, StatementSync>;

  constructor(db: DatabaseSync, parts: DeletionParts) {
    this.#db = db;
    this.#parts = parts;
    const statements: Record<string, string> = {
      ofSession: `SELECT ${TRACE} FROM traces WHERE project = ? AND session_id = ? LIMIT ${CHUNK}`,
      ofTrace: `SELECT ${TRACE} FROM traces WHERE project = ? AND trace_id = ?`,
      ofUser: `SELECT ${TRACE} FROM traces WHERE project = ? AND user_id = ? LIMIT ${CHUNK}`,
      sessionOfUser: "SELECT session_id FROM user_sessions WHERE project = ? AND user_id = ? LIMIT 1",
      sessionExists: "SELECT 1 FROM sessions WHERE project = ? AND session_id = ?",
      sessionsBefore: "SELECT session_id FROM sessions WHERE project = ? AND start_us < ? ORDER BY start_us LIMIT 20",
      ofSessionBefore: `SELECT ${TRACE} FROM traces WHERE project = ? AND session_id = ? AND start_us < ? LIMIT ?`,
      loneBefore: `SELECT ${TRACE} FROM traces WHERE project = ? AND session_id IS NULL AND start_us < ? LIMIT ?`,
      blocks: "SELECT DISTINCT body_at, body_len FROM spans WHERE span_key BETWEEN ? AND ?",
      page: "SELECT data FROM body_pages WHERE page = ?",
      putPage: "UPDATE body_pages SET data = ? WHERE page = ?",
      dropPage: "DELETE FROM body_pages WHERE page = ?",
      words: "DELETE FROM spans_fts WHERE rowid BETWEEN ? AND ?",
      spans: "DELETE FROM spans WHERE span_key BETWEEN ? AND ?",
      scoredNames: "SELECT DISTINCT session_id, name FROM annotations WHERE project = ? AND trace_id = ? AND session_id IS NOT NULL",
      traceAnnotations: "DELETE FROM annotations WHERE project = ? AND trace_id = ?",
      sessionAnnotations: "DELETE FROM annotations WHERE project = ? AND session_id = ?",
      sessionScores: "DELETE FROM session_scores WHERE project = ? AND session_id = ?",
      reviewItems: "DELETE FROM review_items WHERE project = ? AND session_id = ?",
      // Evaluation results quote what was said: they go with the session's deleted turns.
      evaluations: "DELETE FROM eval_jobs WHERE project = ? AND session_id = ?",
      evaluatorNames: `SELECT name FROM annotations WHERE project = ? AND session_id = ? AND target_type = 'session' AND identifier = '${EVALUATOR_IDENTIFIER}'`,
      evaluatorResults: `DELETE FROM annotations WHERE project = ? AND session_id = ? AND target_type = 'session' AND identifier = '${EVALUATOR_IDENTIFIER}'`,
      trace: "DELETE FROM traces WHERE trace_key = ?",
      project: `UPDATE projects SET trace_count = trace_count - ?, span_count = span_count - ?,
        session_count = session_count + ?, user_count = user_count + ? WHERE name = ?`,
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, db.prepare(text)]));
  }

  /** Deletes the next chunk of the target's traces; null when the target has none (left). */
  delete(project: string, target: DeleteTarget): DeletedRecord | null {
    const sql = this.#sql;
    let rows: Row[];
    if (target.type === "trace") rows = sql.ofTrace.all(project, target.traceId) as Row[];
    else if (target.type === "session") rows = sql.ofSession.all(project, target.sessionId) as Row[];
    else {
      // Erasure takes every session the user took part in, whole: the other turns of their
      // conversations hold what they said too. Then their traces outside any session.
      const session = sql.sessionOfUser.get(project, target.userId) as Row | undefined;
      rows = session ? (sql.ofSession.all(project, session.session_id as string) as Row[]) : (sql.ofUser.all(project, target.userId) as Row[]);
    }
    return rows.length ? this.#transaction(() => this.#deleteTraces(project, rows)) : null;
  }

  /** Retention: deletes the next chunk of traces that started before `beforeUs`; null when none is left. */
  expire(project: string, beforeUs: number): DeletedRecord | null {
    const sql = this.#sql;
    const rows: Row[] = [];
    for (const { session_id } of sql.sessionsBefore.all(project, beforeUs) as Row[]) {
      rows.push(...(sql.ofSessionBefore.all(project, session_id as string, beforeUs, CHUNK - rows.length) as Row[]));
      if (rows.length >= CHUNK) break;
    }
    if (rows.length < CHUNK) rows.push(...(sql.loneBefore.all(project, beforeUs, CHUNK - rows.length) as Row[]));
    return rows.length ? this.#transaction(() => this.#deleteTraces(project, rows)) : null;
  }

  #deleteTraces(project: string, traces: Row[]): DeletedRecord {
    const sql = this.#sql;
    const done: DeletedRecord = { traces: traces.length, spans: 0, sessions: 0, annotations: 0 };
    const sessions = new Set<string>();
    const users = new Set<string>();
    const rescore = new Map<string, Set<string>>();
    const blocks: Array<[number, number]> = [];
    for (const t of traces) {
      const lo = (t.trace_key as number) * SPANS_PER_TRACE;
      const hi = lo + SPANS_PER_TRACE - 1;
      for (const b of sql.blocks.all(lo, hi) as Row[]) blocks.push([b.body_at as number, b.body_len as number]);
      for (const a of sql.scoredNames.all(project, t.trace_id as string) as Row[]) {
        const names = rescore.get(a.session_id as string) ?? new Set<string>();
        rescore.set(a.session_id as string, names.add(a.name as string));
      }
      done.annotations += Number(sql.traceAnnotations.run(project, t.trace_id as string).changes);
      sql.words.run(lo, hi);
      done.spans += Number(sql.spans.run(lo, hi).changes);
      sql.trace.run(t.trace_key as number);
      if (t.session_id != null) sessions.add(t.session_id as string);
      if (t.user_id != null) users.add(t.user_id as string);
    }
    this.#eraseBlocks(blocks);

    const { recount, annotations, hours } = this.#parts;
    let userChange = 0;
    for (const sessionId of sessions) {
      sql.evaluations.run(project, sessionId);
      const change = recount.session(project, sessionId);
      done.sessions -= change.existence;
      for (const userId of change.users) users.add(userId);
      if (!sql.sessionExists.get(project, sessionId)) {
        // Its users were unlinked by the recount, which took the session's scores off their totals.
        done.annotations += Number(sql.sessionAnnotations.run(project, sessionId).changes);
        sql.sessionScores.run(project, sessionId);
        sql.reviewItems.run(project, sessionId);
      } else {
        // What remains is evaluated again once quiet; the results about the whole go meanwhile.
        const names = new Set([...(rescore.get(sessionId) ?? []), ...(sql.evaluatorNames.all(project, sessionId) as Row[]).map((r) => r.name as string)]);
        done.annotations += Number(sql.evaluatorResults.run(project, sessionId).changes);
        for (const name of names) annotations.refreshScore(project, sessionId, name);
      }
    }
    for (const userId of users) userChange += recount.user(project, userId);
    hours.apply();
    sql.project.run(done.traces, done.spans, -done.sessions, userChange, project);
    return done;
  }

  /** Zeroes the blocks' bytes; drops each page that holds nothing else. */
  #eraseBlocks(blocks: Array<[number, number]>): void {
    const pages = new Map<number, Uint8Array>();
    for (const [offset, length] of blocks) {
      for (let page = Math.floor(offset / PAGE_BYTES); page * PAGE_BYTES < offset + length; page++) {
        let data = pages.get(page);
        if (!data) {
          const row = this.#sql.page.get(page) as Row | undefined;
          if (!row) continue;
          pages.set(page, (data = new Uint8Array(row.data as Uint8Array)));
        }
        const from = Math.max(0, offset - page * PAGE_BYTES);
        data.fill(0, from, Math.min(data.length, offset + length - page * PAGE_BYTES));
      }
    }
    // A live compressed block is never all zeros, so an all-zero page holds nothing live.
    for (const [page, data] of pages) {
      if (data.every((b) => b === 0)) this.#sql.dropPage.run(page);
      else this.#sql.putPage.run(data, page);
    }
  }

  #transaction<T>(work: () => T): T {
    try {
      return inTransaction(this.#db, work);
    } catch (error) {
      this.#parts.hours.discard();
      throw error;
    } finally {
      // The log keeps its last page in memory; it may have been zeroed or dropped.
      this.#parts.bodies.reload();
    }
  }
}
