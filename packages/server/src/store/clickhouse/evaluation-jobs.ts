// The evaluation runner's jobs on ClickHouse, safe with several servers (docs/clickhouse.md,
// "Session lifecycle and evaluation jobs"). There are no row locks, so a claim is a compare-and-set
// by insert deduplication: claiming attempt N of a job inserts one row into eval_claims with the
// token `claim-<job>-<N>`; of servers claiming the same attempt only the first row is stored (the
// engine drops a block whose token it has seen), and each server reads the attempt back and runs
// the job only if the stored row names it. A retried claim insert is dropped the same way, and
// finds its own row. A job's state is never updated: it is read from its claims and outcomes.
// Outcomes are stored once the same way: one result per job (`done-<job>`, its annotation written
// just before it, see finish), and one retry or failure per attempt (`end-<job>-<N>`).
import { createHash, randomUUID } from "node:crypto";
import { EVALUATION_JOB_STATES, type EvaluationJob, type EvaluationJobStateRecord, type EvaluationOutcome, type EvaluationRunRecord } from "../store.ts";
import type { SessionAnnotation } from "./annotation-writes.ts";
import type { Executor, Row } from "./executor.ts";
import { TOMBSTONE } from "./rollup-sql.ts";
import { stateCondition } from "./session-state.ts";

/** Job states, as SQLite numbers them. */
const QUEUED = 0;
const RUNNING = 1;
const DONE = 2;
const FAILED = 3;
/** Outcome kinds: a retry later, a result (done), a failure for good. */
const RETRY = 1;

/** Evaluations write their results under this identifier: a rerun replaces the last result. */
export const EVALUATOR_IDENTIFIER = "threadline";

/** Writes results as their sessions' annotations (the annotation writer's upsert, for a batch). */
export type AnnotationSink = (project: string, results: SessionAnnotation[]) => Promise<void>;

interface JobKey {
  project: string;
  sessionId: string;
  evaluator: string;
  version: number;
  runId: string;
  /**
   * Grows with each deletion of the session's traces (its rollup version over TOMBSTONE): a session
   * that lost turns, or was deleted and sent again under its id, is a new session to evaluate, and
   * its jobs need new keys (the old ones' claim and outcome tokens would drop theirs).
   */
  deletions: number;
}

/** A job's identity: every server derives the same key (and id) from its fields. */
export function jobKey(job: JobKey): string {
  const fields = [job.project, job.sessionId, job.evaluator, job.version, job.runId];
  // Left out while zero, so that the keys of jobs queued before it are unchanged.
  return createHash("sha256").update(JSON.stringify(job.deletions ? [...fields, job.deletions] : fields)).digest("hex");
}

/** The session rollup's columns a job is keyed by. */
const KEYED_BY = `session_id, span_count, intDiv(ver, ${TOMBSTONE}) AS deletions`;
type KeyedSession = {
  session_id: string;
  span_count: number;
  deletions: number;
};

/** The API's numeric id: 52 bits of the key (the key itself is what the tables use). */
const jobId = (key: string) => parseInt(key.slice(0, 13), 16);

/**
 * The jobs `where` keeps, with their state, attempts and when they are due, read from their claims
 * and outcomes (only those jobs' claims and outcomes are read).
 */
const jobStates = (db: string, where: string) => `SELECT j.project AS project, j.session_id AS session_id, j.evaluator AS evaluator,
    j.version AS version, j.run_id AS run_id, j.job_key AS job_key, j.id AS id, j.created_us AS created_us, c.attempts AS attempts, c.lease_until_us AS lease_until_us,
    multiIf(o.done, ${DONE}, c.attempts = 0, ${QUEUED}, o.end_attempt = c.attempts, if(o.end_kind = ${RETRY}, ${QUEUED}, ${FAILED}), ${RUNNING}) AS state,
    if(c.attempts > 0 AND o.end_attempt = c.attempts, o.retry_at_us, j.run_after_us) AS due_us
  FROM (SELECT * FROM ${db}.eval_jobs FINAL WHERE ${where}) AS j
  LEFT JOIN (
    SELECT job_key, max(attempt) AS attempts, argMax(lease, attempt) AS lease_until_us FROM (
      -- Beyond the deduplication window two rows of one attempt could be stored: the first claimed wins.
      SELECT job_key, attempt, argMin(lease_until_us, (claimed_us, owner)) AS lease FROM ${db}.eval_claims WHERE job_key IN (SELECT job_key FROM ${db}.eval_jobs WHERE ${where}) GROUP BY job_key, attempt)
    GROUP BY job_key) AS c ON c.job_key = j.job_key
  LEFT JOIN (
    SELECT job_key, countIf(kind = ${DONE}) > 0 AS done, maxIf(attempt, kind != ${DONE}) AS end_attempt,
      argMaxIf(kind, attempt, kind != ${DONE}) AS end_kind, argMaxIf(retry_at_us, attempt, kind != ${DONE}) AS retry_at_us
    FROM ${db}.eval_outcomes WHERE job_key IN (SELECT job_key FROM ${db}.eval_jobs WHERE ${where}) GROUP BY job_key) AS o ON o.job_key = j.job_key`;

const toJob = (row: Row, attempts: number): EvaluationJob => ({
  id: Number(row.id), project: row.project as string, sessionId: row.session_id as string, evaluator: row.evaluator as string,
  version: Number(row.version), attempts, runId: row.run_id as string, key: row.job_key as string,
});

const toKeys = (project: string, sessions: KeyedSession[], evaluators: string[], runId: string): JobKey[] =>
  sessions.flatMap((s) => evaluators.map((evaluator) => ({
    project, sessionId: s.session_id, evaluator, version: Number(s.span_count), runId, deletions: Number(s.deletions),
  })));

export class EvaluationJobs {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #annotate: AnnotationSink;

  constructor(executor: Executor, database: string, annotate: AnnotationSink) {
    this.#ex = executor;
    this.#db = database;
    this.#annotate = annotate;
  }

  /** Jobs as rows of eval_jobs; two servers queuing the same job write the same row (it collapses). */
  async #enqueue(jobs: JobKey[], nowUs: number): Promise<void> {
    await this.#ex.insert(`${this.#db}.eval_jobs`, jobs.map((job) => {
      const key = jobKey(job);
      return { project: job.project, session_id: job.sessionId, evaluator: job.evaluator, version: job.version, run_id: job.runId,
        job_key: key, id: jobId(key), run_after_us: nowUs, created_us: nowUs };
    }));
  }

  /** Queues the evaluators for up to `limit` idle or closed sessions not scheduled at their span count. */
  async schedule(project: string, evaluators: string[], limit: number): Promise<number> {
    const db = this.#db;
    const due = await this.#ex.query<KeyedSession>(`SELECT s.session_id AS session_id, s.span_count AS span_count, s.deletions AS deletions
      FROM (SELECT ${KEYED_BY} FROM ${db}.sessions FINAL WHERE project = {p:String} AND deleted = 0 AND NOT ${stateCondition(db, "open")}) AS s
      LEFT JOIN (SELECT session_id, version FROM ${db}.eval_scheduled FINAL WHERE project = {p:String}) AS e ON e.session_id = s.session_id
      WHERE e.session_id = '' OR e.version != s.span_count
      ORDER BY s.session_id LIMIT {n:UInt32}`, { p: project, n: limit });
    if (due.length === 0) return 0;
    const now = Date.now() * 1000;
    // Jobs first: a server dying between the two statements leaves the session due, and queuing again is harmless.
    await this.#enqueue(toKeys(project, due, evaluators, ""), now);
    await this.#ex.insert(`${db}.eval_scheduled`, due.map((s) => ({ project, session_id: s.session_id, version: Number(s.span_count), scheduled_us: now })));
    return due.length;
  }

  /** On demand: queues the evaluators for these sessions under `runId`; returns the jobs new to the queue. */
  async request(project: string, sessionIds: string[], evaluators: string[], runId: string): Promise<number> {
    if (sessionIds.length === 0 || evaluators.length === 0) return 0;
    const db = this.#db;
    const sessions = await this.#ex.query<KeyedSession>(`SELECT ${KEYED_BY} FROM ${db}.sessions FINAL
      WHERE project = {p:String} AND session_id IN {ids:Array(String)} AND deleted = 0`, { p: project, ids: sessionIds });
    const jobs = toKeys(project, sessions, evaluators, runId);
    const known = new Set((await this.#ex.query<{ job_key: string }>(`SELECT DISTINCT job_key FROM ${db}.eval_jobs
      WHERE project = {p:String} AND session_id IN {ids:Array(String)} AND run_id = {run:String}`, { p: project, ids: sessionIds, run: runId })).map((r) => r.job_key));
    const fresh = jobs.filter((job) => !known.has(jobKey(job)));
    if (fresh.length) await this.#enqueue(fresh, Date.now() * 1000);
    return fresh.length;
  }

  /** Takes up to `limit` due jobs (queued and due, or running under a lease that ran out), leased for `leaseUs`. */
  async claim(limit: number, leaseUs: number): Promise<EvaluationJob[]> {
    const db = this.#db;
    const now = Date.now() * 1000;
    // Jobs finished for good (a result or a last failure) are most of the history: left out first.
    const unfinished = `job_key NOT IN (SELECT job_key FROM ${db}.eval_outcomes WHERE kind != ${RETRY})`;
    const candidates = await this.#ex.query(`SELECT * FROM (${jobStates(db, unfinished)})
      WHERE (state = ${QUEUED} AND due_us <= {now:Int64}) OR (state = ${RUNNING} AND lease_until_us < {now:Int64})
      ORDER BY due_us, id LIMIT {n:UInt32}`, { now, n: limit });
    if (candidates.length === 0) return [];
    const owner = randomUUID();
    // One insert per claim: a deduplication token covers one insert (block), not a row of it.
    await Promise.all(candidates.map((row) => {
      const attempt = Number(row.attempts) + 1;
      return this.#ex.insert(`${db}.eval_claims`, [{ job_key: row.job_key, attempt, owner, lease_until_us: now + leaseUs, claimed_us: now }],
        { insert_deduplication_token: `claim-${row.job_key as string}-${attempt}` });
    }));
    const winners = await this.#claimWinners(candidates.map((row) => row.job_key as string));
    return candidates
      .filter((row) => winners.get(`${row.job_key as string}-${Number(row.attempts) + 1}`) === owner)
      .map((row) => toJob(row, Number(row.attempts) + 1));
  }

  /** Who holds each (job, attempt): the stored row's owner (the first stored, should two be). */
  async #claimWinners(keys: string[]): Promise<Map<string, string>> {
    const rows = await this.#ex.query<{ job_key: string; attempt: number; owner: string }>(`SELECT job_key, attempt,
        argMin(owner, (claimed_us, owner)) AS owner FROM ${this.#db}.eval_claims WHERE job_key IN {keys:Array(String)} GROUP BY job_key, attempt`, { keys });
    return new Map(rows.map((r) => [`${r.job_key}-${Number(r.attempt)}`, r.owner]));
  }

  /**
   * Jobs' outcomes. Results go to their sessions' annotations first, then into eval_outcomes once
   * per job (its token): a server dying in between leaves the job running, so it is claimed again
   * when its lease runs out and its annotation rewritten (the same name and identifier, replaced),
   * never lost. A job finished before (a slow runner finishing twice) writes nothing more. An
   * error retries at `retryAtUs`, or fails the job for good when that is null.
   */
  async finish(finished: Array<{ job: EvaluationJob; outcome: EvaluationOutcome }>): Promise<void> {
    if (finished.length === 0) return;
    const db = this.#db;
    const owner = randomUUID();
    const now = Date.now() * 1000;
    const keyed = finished.map(({ job, outcome }) => ({ job, outcome, key: job.key ?? jobKey({ ...job, deletions: 0 }) }));
    const done = await this.#done(keyed.filter(({ outcome }) => !("error" in outcome)).map(({ key }) => key));
    const rows: Array<{ key: string; token: string; row: Row }> = [];
    const results: Array<SessionAnnotation & { project: string }> = [];
    for (const { job, outcome, key } of keyed) {
      const base = { job_key: key, attempt: job.attempts, owner, finished_us: now, error: null, retry_at_us: 0 };
      if ("error" in outcome) {
        const kind = outcome.retryAtUs == null ? FAILED : RETRY;
        rows.push({ key, token: `end-${key}-${job.attempts}`, row: { ...base, kind, error: outcome.error, retry_at_us: outcome.retryAtUs ?? 0 } });
        continue;
      }
      if (done.has(key)) continue;
      done.add(key); // the same job twice in one call: the first outcome
      const r = outcome.result;
      if (r) {
        results.push({ project: job.project, sessionId: job.sessionId, fields: {
          name: job.evaluator, label: r.label, score: r.score, explanation: r.explanation, annotatorKind: r.annotatorKind ?? "CODE",
          identifier: EVALUATOR_IDENTIFIER, metadata: { ...r.metadata, version: job.version },
        } });
      }
      rows.push({ key, token: `done-${key}`, row: { ...base, kind: DONE } });
    }
    for (const [project, ofProject] of Map.groupBy(results, (r) => r.project)) await this.#annotate(project, ofProject);
    await Promise.all(rows.map(({ token, row }) => this.#ex.insert(`${db}.eval_outcomes`, [row], { insert_deduplication_token: token })));
  }

  /** The jobs of these keys that have their result. */
  async #done(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.#ex.query<{ job_key: string }>(`SELECT DISTINCT job_key FROM ${this.#db}.eval_outcomes
      WHERE job_key IN {keys:Array(String)} AND kind = ${DONE}`, { keys });
    return new Set(rows.map((r) => r.job_key));
  }

  /** A session's jobs, newest first: their states, with the last attempt's error and when they finished from their outcomes. */
  async ofSession(project: string, sessionId: string, limit: number): Promise<EvaluationJobStateRecord[]> {
    const db = this.#db;
    const where = "project = {p:String} AND session_id = {s:String}";
    const rows = await this.#ex.query(`SELECT s.*, o.error AS error, o.done_us AS done_us, o.end_us AS end_us FROM (${jobStates(db, where)}) AS s
      LEFT JOIN (SELECT job_key, argMaxIf(error, attempt, kind != ${DONE}) AS error, maxIf(finished_us, kind = ${DONE}) AS done_us,
          argMaxIf(finished_us, attempt, kind != ${DONE}) AS end_us
        FROM ${db}.eval_outcomes WHERE job_key IN (SELECT job_key FROM ${db}.eval_jobs WHERE ${where}) GROUP BY job_key) AS o ON o.job_key = s.job_key
      ORDER BY s.created_us DESC, s.job_key LIMIT {n:UInt32}`, { p: project, s: sessionId, n: limit });
    return rows.map((row) => {
      const state = Number(row.state);
      return {
        evaluator: row.evaluator as string, version: Number(row.version), runId: row.run_id as string, state: EVALUATION_JOB_STATES[state],
        attempts: Number(row.attempts), error: state === DONE ? null : ((row.error as string | null) ?? null), createdUs: Number(row.created_us),
        finishedUs: state === DONE ? Number(row.done_us) : state === FAILED ? Number(row.end_us) : null,
      };
    });
  }

  /** How far an on-demand run is. */
  async run(runId: string): Promise<EvaluationRunRecord> {
    const rows = await this.#ex.query<{ state: number; n: number }>(`SELECT state, count() AS n FROM (${jobStates(this.#db, "run_id = {run:String}")})
      GROUP BY state`, { run: runId });
    const counts = [0, 0, 0, 0];
    for (const row of rows) counts[Number(row.state)] = Number(row.n);
    return { queued: counts[QUEUED], running: counts[RUNNING], done: counts[DONE], failed: counts[FAILED] };
  }
}
