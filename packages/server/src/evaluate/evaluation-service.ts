// The evaluation routes' side: closing a session, re-running evaluators on one session or on
// every session a filter keeps, and how far such a run is.
import { randomUUID } from "node:crypto";
import type { BulkAnnotations, BulkResult, EvaluationRun, EvaluationRunRequest, SessionEvaluationJobs } from "../api/evaluation-types.ts";
import type { AnnotationService } from "../query/annotation-service.ts";
import { iso } from "../query/shapes.ts";
import type { AnnotationTargetRecord } from "../store/records.ts";
import type { LlmBudget } from "./llm/judge.ts";
import { readTranscript } from "./transcript.ts";
import type { SessionFilterQuery } from "../api/route-schemas.ts";
import { QueryError, requireProject } from "../query/params.ts";
import type { QueryService } from "../query/query-service.ts";
import type { Store } from "../store/store.ts";
import type { EvaluationStage } from "./stage.ts";

/** A run takes at most this many sessions (the filter's first, newest first). */
export const MAX_RUN_SESSIONS = 100_000;

export class EvaluationService {
  readonly #store: Store;
  readonly #queries: QueryService;
  readonly #stage: EvaluationStage;

  readonly #annotations: AnnotationService;
  readonly #budget: LlmBudget | null;

  constructor(store: Store, queries: QueryService, annotations: AnnotationService, stage: EvaluationStage, budget: LlmBudget | null = null) {
    this.#store = store;
    this.#queries = queries;
    this.#annotations = annotations;
    this.#stage = stage;
    this.#budget = budget;
  }

  /** 404 for a project that does not exist (before a stream starts, when an error can still be answered). */
  requireProject(project: string): Promise<void> {
    return requireProject(this.#store, project);
  }

  /** The evaluators, with the LLM budget's use today in this project. */
  async evaluators(project: string) {
    const budget = await this.#budget?.usage(project);
    return {
      evaluators: this.#stage.evaluators.map(({ name, description, kind = "CODE", worst = null }) => ({ name, description, kind, worst, ...(kind === "LLM" && budget ? { budget } : {}) })),
    };
  }

  async close(project: string, sessionId: string): Promise<void> {
    if (!(await this.#store.closeSession(project, sessionId))) throw new QueryError(404, `no session "${sessionId}" in project "${project}"`);
    void this.#stage.runOnce();
  }

  async run(project: string, request: EvaluationRunRequest): Promise<EvaluationRun> {
    const known = this.#stage.evaluators.map((e) => e.name);
    const evaluators = request.evaluators ?? known;
    const unknown = evaluators.find((name) => !known.includes(name));
    if (unknown) throw new QueryError(400, `no evaluator named "${unknown}"; there are ${known.join(", ")}`);
    if (request.sessionId) await this.#queries.requireSession(project, request.sessionId);
    const sessionIds = request.sessionId ? [request.sessionId] : await this.#queries.sessionIds(project, request.filter ?? {}, MAX_RUN_SESSIONS);
    const runId = randomUUID();
    let queued = 0;
    for (let i = 0; i < sessionIds.length; i += 500) queued += await this.#store.requestEvaluations(project, sessionIds.slice(i, i + 500), evaluators, runId);
    void this.#stage.runOnce();
    return { runId, sessions: sessionIds.length, evaluators, ...(await this.#store.evaluationRun(runId)), total: queued };
  }

  /** Many annotations from an outside pipeline: each stored or refused on its own. */
  async bulk(project: string, { annotations }: BulkAnnotations): Promise<BulkResult> {
    const result: BulkResult = { created: 0, replaced: 0, failed: [] };
    for (const [index, item] of annotations.entries()) {
      const { sessionId, traceId, spanId, ...fields } = item as Record<string, unknown>;
      try {
        const target: AnnotationTargetRecord | null =
          typeof spanId === "string" && typeof traceId === "string" ? { type: "span", traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase() }
          : typeof traceId === "string" ? { type: "trace", traceId: traceId.toLowerCase() }
          : typeof sessionId === "string" ? { type: "session", sessionId } : null;
        if (!target) throw new QueryError(400, "name a sessionId, a traceId, or a traceId and spanId");
        const { created } = await this.#annotations.put(project, target, fields);
        if (created) result.created++;
        else result.replaced++;
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        result.failed.push({ index, error: error.message });
      }
    }
    return result;
  }

  /** Sessions with their transcripts, one JSON line each, as the list's filters keep them (newest first). */
  async *transcripts(project: string, filter: SessionFilterQuery, limit: number): AsyncGenerator<string> {
    let cursor: string | undefined;
    let sent = 0;
    do {
      const page = await this.#queries.listSessions(project, { ...filter, limit: Math.min(100, limit - sent), cursor });
      for (const session of page.sessions) {
        const transcript = await readTranscript(this.#store, project, session.sessionId);
        if (!transcript) continue;
        yield `${JSON.stringify({ session, turns: transcript.turns, omittedTurns: transcript.omitted })}\n`;
        sent++;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor && sent < limit);
  }

  async sessionJobs(project: string, sessionId: string, limit: number): Promise<SessionEvaluationJobs> {
    await this.#queries.requireSession(project, sessionId);
    const jobs = await this.#store.sessionEvaluationJobs(project, sessionId, limit);
    return { jobs: jobs.map(({ createdUs, finishedUs, ...job }) => ({ ...job, createdAt: iso(createdUs), finishedAt: finishedUs == null ? null : iso(finishedUs) })) };
  }

  async progress(runId: string): Promise<EvaluationRun> {
    const counts = await this.#store.evaluationRun(runId);
    const total = counts.queued + counts.running + counts.done + counts.failed;
    if (total === 0) throw new QueryError(404, `no evaluation run "${runId}"`);
    return { runId, sessions: null, evaluators: null, ...counts, total };
  }
}
