// The ClickHouse store (issue 12): the same Store contract on ClickHouse, through an executor
// (http-executor.ts for servers and clusters, chdb-executor.ts embedded). Rollups are kept exact
// under retries and concurrent writers (span-writer.ts; docs/clickhouse.md).
//
// Implemented: writeSpans, listProjects, getProject, listSessions (every sort key but an
// annotation's score; filters userId, fromUs, toUs, tag, hasErrors, text, metadata), sessionStats,
// userSeries (without scores yet), search (session-stats.ts, user-series.ts, search.ts,
// search-filters.ts), getSession, listSessionTraces,
// getTraceSpans, getTrace, listUsers (but `labelled`), getUser, backgroundReads, close, deleteData and
// expireBefore (deletion.ts).
// Not implemented yet (they throw "ClickHouse store: <method> is not implemented yet"):
// the sessions filters annotation and state,
// annotations (upsertAnnotation, updateAnnotation, deleteAnnotation, listAnnotations,
// listTraceAnnotations, annotationNames, annotationDistribution, sessionAnnotationSummaries,
// userAnnotationSummaries), the session lifecycle (markIdleSessions,
// closeSession; sessions read as open, endSession()'s marker spans are dropped), evaluations
// (scheduleEvaluations, requestEvaluations, claimEvaluations, finishEvaluations, evaluationRun),
// review queues (createReviewQueue, listReviewQueues, getReviewQueue, reviewItem, deleteReviewQueue),
// llmUsage, addLlmUsage, addRedactions, redactionCounts.
import type { SpanRecord } from "../records.ts";
import type { BackgroundReads, Cursor, DeleteTarget, SessionFilter, SessionQuery, Store, UserQuery } from "../store.ts";
import { checkIdentifier } from "./ddl.ts";
import { Deletion } from "./deletion.ts";
import type { Executor } from "./executor.ts";
import { migrate } from "./migrations.ts";
import { Reads } from "./reads.ts";
import { search } from "./search.ts";
import { listSessions } from "./session-list.ts";
import { sessionStats } from "./session-stats.ts";
import { SpanWriter } from "./span-writer.ts";
import { userSeries } from "./user-series.ts";

export interface ClickHouseStoreOptions {
  executor: Executor;
  database: string;
  /** A cluster name: the schema is created ON CLUSTER with Replicated and Distributed tables. */
  cluster?: string | null;
}

const notYet = (method: string) => async (): Promise<never> => {
  throw new Error(`ClickHouse store: ${method} is not implemented yet`);
};

export class ClickHouseStore implements Store {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #writer: SpanWriter;
  readonly #reads: Reads;
  readonly #deletion: Deletion;

  private constructor(executor: Executor, database: string, cluster: string | null) {
    this.#ex = executor;
    this.#db = database;
    this.#writer = new SpanWriter(executor, database);
    this.#reads = new Reads(executor, database);
    // Annotations on this store: pass their AnnotationHooks here once they exist (deletion.ts).
    this.#deletion = new Deletion(executor, database, cluster, null);
  }

  /** Opens the store, running the migrations not yet applied; closes the executor if they fail. */
  static async open({ executor, database, cluster = null }: ClickHouseStoreOptions): Promise<ClickHouseStore> {
    try {
      checkIdentifier(database, "the ClickHouse database name");
      await migrate(executor, { database, cluster });
    } catch (error) {
      await executor.close();
      throw error;
    }
    return new ClickHouseStore(executor, database, cluster);
  }

  get database(): string {
    return this.#db;
  }

  writeSpans(spans: SpanRecord[]): Promise<void> {
    return spans.length ? this.#writer.write(spans) : Promise.resolve();
  }

  listProjects = () => this.#reads.projects(null);
  getProject = async (name: string) => (await this.#reads.projects(name))[0] ?? null;
  listSessions = (query: SessionQuery) => listSessions(this.#ex, this.#db, query);
  getSession = (project: string, sessionId: string) => this.#reads.session(project, sessionId);
  listSessionTraces = (project: string, sessionId: string, limit: number, after: Cursor | null) =>
    this.#reads.sessionTraces(project, sessionId, limit, after);
  getTraceSpans = (project: string, traceIds: string[]) => this.#reads.spans(project, traceIds);
  getTrace = async (project: string, traceId: string) => {
    const trace = await this.#reads.trace(project, traceId);
    return trace ? { trace, spans: (await this.#reads.spans(project, [traceId])).get(traceId) ?? [] } : null;
  };
  listUsers = (query: UserQuery) => this.#reads.users(query);
  getUser = (project: string, userId: string) => this.#reads.user(project, userId);

  readonly #background: BackgroundReads = {
    getSession: (project, sessionId) => this.getSession(project, sessionId),
    listSessionTraces: (project, sessionId, limit, after) => this.listSessionTraces(project, sessionId, limit, after),
    getTraceSpans: (project, traceIds) => this.getTraceSpans(project, traceIds),
  };

  backgroundReads(): BackgroundReads {
    return this.#background;
  }

  sessionStats = (project: string, filter: SessionFilter) => sessionStats(this.#ex, this.#db, project, filter);
  userSeries = (project: string, userId: string) => userSeries(this.#ex, this.#db, project, userId);
  search = (project: string, text: string, limit: number) => search(this.#ex, this.#db, project, text, limit);
  upsertAnnotation = notYet("upsertAnnotation");
  updateAnnotation = notYet("updateAnnotation");
  deleteAnnotation = notYet("deleteAnnotation");
  listAnnotations = notYet("listAnnotations");
  listTraceAnnotations = notYet("listTraceAnnotations");
  annotationNames = notYet("annotationNames");
  annotationDistribution = notYet("annotationDistribution");
  sessionAnnotationSummaries = notYet("sessionAnnotationSummaries");
  userAnnotationSummaries = notYet("userAnnotationSummaries");
  deleteData = (project: string, target: DeleteTarget) => this.#deletion.delete(project, target);
  markIdleSessions = notYet("markIdleSessions");
  closeSession = notYet("closeSession");
  scheduleEvaluations = notYet("scheduleEvaluations");
  requestEvaluations = notYet("requestEvaluations");
  claimEvaluations = notYet("claimEvaluations");
  finishEvaluations = notYet("finishEvaluations");
  evaluationRun = notYet("evaluationRun");
  createReviewQueue = notYet("createReviewQueue");
  listReviewQueues = notYet("listReviewQueues");
  getReviewQueue = notYet("getReviewQueue");
  reviewItem = notYet("reviewItem");
  deleteReviewQueue = notYet("deleteReviewQueue");
  llmUsage = notYet("llmUsage");
  addLlmUsage = notYet("addLlmUsage");
  addRedactions = notYet("addRedactions");
  redactionCounts = notYet("redactionCounts");
  expireBefore = (project: string, beforeUs: number) => this.#deletion.expire(project, beforeUs);

  close(): Promise<void> {
    return this.#ex.close();
  }
}
