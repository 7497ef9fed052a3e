// The evaluation stage's writes, on the writer's thread: sessions going idle, the jobs due for
// them, claiming jobs under a lease, and a job's result written with its annotation in one
// transaction, so a result is never written twice and never lost once its job is done.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { EvaluationJob, EvaluationOutcome, SessionStateRecord } from "../store.ts";
import type { AnnotationWrites } from "./annotation-writes.ts";
import type { Row } from "./rows.ts";
import { inTransaction } from "./transaction.ts";
import { CLOSED, IDLE, OPEN } from "./schema.ts";

const QUEUED = 0;
const RUNNING = 1;
const DONE = 2;
const FAILED = 3;
/** Evaluations write their results under this identifier: a rerun replaces the last result. */
export const EVALUATOR_IDENTIFIER = "threadline";

const toJob = (row: Row): EvaluationJob => ({
  id: row.id as number, project: row.project as string, sessionId: row.session_id as string, evaluator: row.evaluator as string,
  version: row.version as number, attempts: row.attempts as number, runId: row.run_id as string,
});

export class EvaluationWrites {
  readonly #db: DatabaseSync;
  readonly #sql: Record<string, StatementSync>;
  readonly #annotations: AnnotationWrites;

  constructor(db: DatabaseSync, annotations: AnnotationWrites) {
    this.#db = db;
    this.#annotations = annotations;
    const statements: Record<string, string> = {
      markIdle: `UPDATE sessions SET state = ${IDLE} WHERE rowid IN (SELECT rowid FROM sessions INDEXED BY sessions_open
        WHERE project = ? AND state = ${OPEN} AND end_us < ? LIMIT ?)`,
      due: `SELECT session_id, span_count FROM sessions INDEXED BY sessions_due
        WHERE project = ? AND state > ${OPEN} AND evaluated_version IS NOT span_count LIMIT ?`,
      scheduled: "UPDATE sessions SET evaluated_version = ? WHERE project = ? AND session_id = ?",
      enqueue: `INSERT INTO eval_jobs (project, session_id, evaluator, version, state, run_after_us, run_id, created_us)
        VALUES (?, ?, ?, ?, ${QUEUED}, ?, ?, ?) ON CONFLICT DO NOTHING`,
      version: "SELECT span_count FROM sessions WHERE project = ? AND session_id = ?",
      close: `UPDATE sessions SET state = ${CLOSED} WHERE project = ? AND session_id = ?`,
      idle: `UPDATE sessions SET state = ${IDLE} WHERE project = ? AND session_id = ? AND state = ${OPEN}`,
      evaluatedAt: "UPDATE sessions SET evaluated_version = ? WHERE project = ? AND session_id = ? AND span_count = ?",
      claimable: `SELECT * FROM eval_jobs INDEXED BY eval_jobs_due WHERE state < ${DONE} AND run_after_us <= ?
        AND (state = ${QUEUED} OR lease_until_us < ?) ORDER BY run_after_us LIMIT ?`,
      claim: `UPDATE eval_jobs SET state = ${RUNNING}, lease_until_us = ?, attempts = attempts + 1 WHERE id = ?`,
      finish: `UPDATE eval_jobs SET state = ${DONE}, label = ?, score = ?, explanation = ?, metadata = ?, error = NULL, finished_us = ?
        WHERE id = ? AND state = ${RUNNING}`,
      retry: `UPDATE eval_jobs SET state = ${QUEUED}, error = ?, run_after_us = ?, lease_until_us = NULL WHERE id = ?`,
      fail: `UPDATE eval_jobs SET state = ${FAILED}, error = ?, finished_us = ?, lease_until_us = NULL WHERE id = ?`,
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, db.prepare(text)]));
  }

  /** Marks up to `limit` open sessions with nothing since `quietBeforeUs` idle; returns how many. */
  markIdle(project: string, quietBeforeUs: number, limit: number): number {
    return Number(this.#sql.markIdle.run(project, quietBeforeUs, limit).changes);
  }

  /** Queues the evaluators for up to `limit` idle or closed sessions not yet evaluated at their version. */
  schedule(project: string, evaluators: string[], limit: number, nowUs: number): number {
    return this.#transaction(() => {
      const due = this.#sql.due.all(project, limit) as Row[];
      for (const { session_id, span_count } of due) {
        for (const evaluator of evaluators) this.#sql.enqueue.run(project, session_id as string, evaluator, span_count as number, nowUs, "", nowUs);
        this.#sql.scheduled.run(span_count as number, project, session_id as string);
      }
      return due.length;
    });
  }

  closeSession(project: string, sessionId: string): boolean {
    return Number(this.#sql.close.run(project, sessionId).changes) > 0;
  }

  /** Store.importSessionStates. */
  importStates(project: string, states: SessionStateRecord[]): void {
    this.#transaction(() => {
      for (const s of states) {
        if (s.state === "closed") this.#sql.close.run(project, s.sessionId);
        if (s.state === "idle") this.#sql.idle.run(project, s.sessionId);
        if (s.evaluatedVersion != null) this.#sql.evaluatedAt.run(s.evaluatedVersion, project, s.sessionId, s.evaluatedVersion);
      }
    });
  }

  /** On demand: queues the evaluators for these sessions under `runId`; returns the jobs queued. */
  request(project: string, sessionIds: string[], evaluators: string[], runId: string, nowUs: number): number {
    return this.#transaction(() => {
      let queued = 0;
      for (const sessionId of sessionIds) {
        const session = this.#sql.version.get(project, sessionId) as Row | undefined;
        if (!session) continue;
        for (const evaluator of evaluators) {
          queued += Number(this.#sql.enqueue.run(project, sessionId, evaluator, session.span_count as number, nowUs, runId, nowUs).changes);
        }
      }
      return queued;
    });
  }

  /** Takes up to `limit` due jobs (queued, or running under a lease that ran out), leased for `leaseUs`. */
  claim(limit: number, nowUs: number, leaseUs: number): EvaluationJob[] {
    return this.#transaction(() => {
      const rows = this.#sql.claimable.all(nowUs, nowUs, limit) as Row[];
      for (const row of rows) this.#sql.claim.run(nowUs + leaseUs, row.id as number);
      return rows.map((row) => ({ ...toJob(row), attempts: (row.attempts as number) + 1 }));
    });
  }

  /**
   * A job's outcome. A result is written as the session's annotation of the evaluator's name
   * (CODE, identifier "threadline", replacing the last one) with the job, in one transaction;
   * an error retries at `retryAtUs`, or fails the job for good when that is null.
   */
  finish(finished: Array<{ job: EvaluationJob; outcome: EvaluationOutcome }>, nowUs: number): void {
    if (finished.length === 0) return;
    this.#transaction(() => {
      for (const { job, outcome } of finished) this.#finishOne(job, outcome, nowUs);
    });
  }

  #finishOne(job: EvaluationJob, outcome: EvaluationOutcome, nowUs: number): void {
    if ("error" in outcome) {
      if (outcome.retryAtUs == null) this.#sql.fail.run(outcome.error, nowUs, job.id);
      else this.#sql.retry.run(outcome.error, outcome.retryAtUs, job.id);
      return;
    }
    const r = outcome.result;
    const metadata = r ? JSON.stringify(r.metadata ?? null) : null;
    if (Number(this.#sql.finish.run(r?.label ?? null, r?.score ?? null, r?.explanation ?? null, metadata, nowUs, job.id).changes) === 0) return;
    if (!r) return;
    this.#annotations.upsertIn(job.project, { type: "session", sessionId: job.sessionId }, {
      name: job.evaluator, label: r.label, score: r.score, explanation: r.explanation, annotatorKind: r.annotatorKind ?? "CODE",
      identifier: EVALUATOR_IDENTIFIER, metadata: { ...r.metadata, version: job.version },
    });
  }

  #transaction<T>(work: () => T): T {
    return inTransaction(this.#db, work);
  }
}
