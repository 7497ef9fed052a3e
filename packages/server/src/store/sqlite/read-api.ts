// Every read the store offers, on one connection: what a reader thread runs (read-worker.ts), and
// what the store runs in-thread when it has no workers (":memory:").
import type { DatabaseSync } from "node:sqlite";
import { EVALUATION_JOB_STATES, type EvaluationJobStateRecord, type SessionDetailRecord } from "../store.ts";
import { annotationDistribution, AnnotationReads } from "./annotation-reads.ts";
import { exportReads } from "./export-reads.ts";
import { SqliteReader } from "./reader.ts";
import { reviewItems, reviewQueue, reviewQueues } from "./review-queues.ts";

export function readApi(db: DatabaseSync) {
  const reader = new SqliteReader(db);
  const annotations = new AnnotationReads(db);
  const usage = db.prepare("SELECT project, calls, tokens FROM llm_usage WHERE day = ?");
  const redactions = db.prepare("SELECT detector, count FROM redactions WHERE project = ?");
  const run = db.prepare("SELECT state, count(*) AS n FROM eval_jobs INDEXED BY eval_jobs_by_run WHERE run_id = ? GROUP BY state");
  // The UNIQUE (project, session_id, ...) index finds a session's jobs.
  const jobs = db.prepare(`SELECT evaluator, version, run_id, state, attempts, error, created_us, finished_us FROM eval_jobs
    WHERE project = ? AND session_id = ? ORDER BY created_us DESC, id DESC LIMIT ?`);
  return {
    ...exportReads(db),
    listProjects: () => reader.listProjects(),
    getProject: (name: string) => reader.getProject(name),
    listSessions: (...args: Parameters<SqliteReader["listSessions"]>) => reader.listSessions(...args),
    getSession: (...args: Parameters<SqliteReader["getSession"]>) => reader.getSession(...args),
    getSessionDetail: (project: string, sessionId: string, traceLimit: number): SessionDetailRecord | null => {
      // One read transaction: the parts agree with each other even while commits land.
      db.exec("BEGIN");
      try {
        const session = reader.getSession(project, sessionId);
        if (!session) return null;
        const traces = reader.listSessionTraces(project, sessionId, traceLimit, null);
        const first = traces.rows[0]?.traceId;
        return {
          session,
          traces,
          summaries: annotations.sessionSummaries(project, [sessionId]).get(sessionId) ?? [],
          annotations: annotations.ofTarget(project, { type: "session", sessionId }),
          firstTraceSpans: first ? (reader.getTraceSpans(project, [first]).get(first) ?? []) : [],
        };
      } finally {
        db.exec("COMMIT");
      }
    },
    listSessionTraces: (...args: Parameters<SqliteReader["listSessionTraces"]>) => reader.listSessionTraces(...args),
    getTraceSpans: (...args: Parameters<SqliteReader["getTraceSpans"]>) => reader.getTraceSpans(...args),
    getTrace: (...args: Parameters<SqliteReader["getTrace"]>) => reader.getTrace(...args),
    listUsers: (...args: Parameters<SqliteReader["listUsers"]>) => reader.listUsers(...args),
    getUser: (...args: Parameters<SqliteReader["getUser"]>) => reader.getUser(...args),
    sessionStats: (...args: Parameters<SqliteReader["sessionStats"]>) => reader.sessionStats(...args),
    userSeries: (...args: Parameters<SqliteReader["userSeries"]>) => reader.userSeries(...args),
    search: (...args: Parameters<SqliteReader["search"]>) => reader.search(...args),
    listAnnotations: (...args: Parameters<AnnotationReads["ofTarget"]>) => annotations.ofTarget(...args),
    listTraceAnnotations: (...args: Parameters<AnnotationReads["ofTraces"]>) => annotations.ofTraces(...args),
    annotationNames: (...args: Parameters<AnnotationReads["names"]>) => annotations.names(...args),
    annotationDistribution: (project: string, name: string, fromUs: number, toUs: number) => annotationDistribution(db, project, name, fromUs, toUs),
    sessionAnnotationSummaries: (...args: Parameters<AnnotationReads["sessionSummaries"]>) => annotations.sessionSummaries(...args),
    userAnnotationSummaries: (...args: Parameters<AnnotationReads["userSummaries"]>) => annotations.userSummaries(...args),
    llmUsage: (day: string) => usage.all(day) as Array<{ project: string; calls: number; tokens: number }>,
    redactionCounts: (project: string) =>
      Object.fromEntries((redactions.all(project) as Array<{ detector: string; count: number }>).map((r) => [r.detector, r.count])),
    listReviewQueues: (project: string) => reviewQueues(db, project),
    getReviewQueue: (project: string, id: string) => {
      const queue = reviewQueue(db, project, id);
      return queue ? { queue, items: reviewItems(db, project, id) } : null;
    },
    evaluationRun: (runId: string) => {
      const counts = [0, 0, 0, 0];
      for (const row of run.all(runId) as Array<{ state: number; n: number }>) counts[row.state] = row.n;
      return { queued: counts[0], running: counts[1], done: counts[2], failed: counts[3] };
    },
    sessionEvaluationJobs: (project: string, sessionId: string, limit: number): EvaluationJobStateRecord[] =>
      (jobs.all(project, sessionId, limit) as Array<Record<string, number | string | null>>).map((row) => ({
        evaluator: row.evaluator as string, version: row.version as number, runId: row.run_id as string,
        state: EVALUATION_JOB_STATES[row.state as number], attempts: row.attempts as number, error: row.error as string | null,
        createdUs: row.created_us as number, finishedUs: row.state === 2 || row.state === 3 ? (row.finished_us as number) : null,
      })),
  };
}

export type ReadApi = ReturnType<typeof readApi>;
export type ReadMethod = keyof ReadApi;
export type ReadRequest = { id: number; method: ReadMethod; args: unknown[] };
export type Reply = { id: number; result?: unknown; error?: string };
