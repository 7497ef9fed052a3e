// The ClickHouse store (issue 12): the same Store contract on ClickHouse, through an executor
// (http-executor.ts for servers and clusters, chdb-executor.ts embedded). Rollups are kept exact
// under retries and concurrent writers (span-writer.ts; docs/clickhouse.md).
//
// Every Store method is implemented; each concern has its file: span-writer.ts (writes and
// rollups), reads.ts and session-list.ts (lists and details), search-filters.ts, session-stats.ts,
// user-series.ts, search.ts, annotation-*.ts, review-queues.ts, counters.ts, session-state.ts
// (lifecycle), evaluation-jobs.ts (jobs claimed by compare-and-set), deletion.ts, export.ts (migrate).
import type { SpanRecord } from "../records.ts";
import type { BackgroundReads, Cursor, DeleteTarget, SessionFilter, SessionQuery, Store, UserQuery } from "../store.ts";
import { AnnotationReads } from "./annotation-reads.ts";
import { AnnotationWrites } from "./annotation-writes.ts";
import { Counters } from "./counters.ts";
import { checkIdentifier } from "./ddl.ts";
import { Deletion } from "./deletion.ts";
import { EvaluationJobs } from "./evaluation-jobs.ts";
import type { Executor } from "./executor.ts";
import { Export } from "./export.ts";
import { GroupCommit } from "./group-commit.ts";
import { migrate } from "./migrations.ts";
import { Reads } from "./reads.ts";
import { ReviewQueues } from "./review-queues.ts";
import { search } from "./search.ts";
import { listSessions } from "./session-list.ts";
import { SessionLifecycle } from "./session-state.ts";
import { sessionStats } from "./session-stats.ts";
import { SpanWriter } from "./span-writer.ts";
import { userSeries } from "./user-series.ts";

/** Most spans in one batch of merged writes (group-commit.ts). */
const MAX_BATCH_SPANS = 20_000;

export interface ClickHouseStoreOptions {
  executor: Executor;
  database: string;
  /** A cluster name: the schema is created ON CLUSTER with Replicated and Distributed tables. */
  cluster?: string | null;
}

export class ClickHouseStore implements Store {
  readonly #ex: Executor;
  readonly #db: string;
  readonly #writer: SpanWriter;
  readonly #reads: Reads;
  readonly #deletion: Deletion;
  readonly #annotations: AnnotationWrites;
  readonly #annotationReads: AnnotationReads;
  readonly #reviews: ReviewQueues;
  readonly #counters: Counters;
  readonly #lifecycle: SessionLifecycle;
  readonly #evaluations: EvaluationJobs;
  readonly #export: Export;
  readonly #commits: GroupCommit<SpanRecord>;

  private constructor(executor: Executor, database: string, cluster: string | null) {
    this.#ex = executor;
    this.#db = database;
    this.#lifecycle = new SessionLifecycle(executor, database);
    this.#writer = new SpanWriter(executor, database, (project, ids) => this.#lifecycle.close(project, ids),
      (project, ids) => this.#deletion.dropSpans(project, ids));
    this.#reads = new Reads(executor, database);
    this.#annotations = new AnnotationWrites(executor, database);
    this.#annotationReads = new AnnotationReads(executor, database);
    this.#reviews = new ReviewQueues(executor, database, this.#annotations);
    this.#counters = new Counters(executor, database);
    this.#deletion = new Deletion(executor, database, cluster, this.#annotations);
    this.#evaluations = new EvaluationJobs(executor, database, (project, results) => this.#annotations.upsertOfSessions(project, results));
    this.#export = new Export(executor, database, this.#lifecycle);
    this.#commits = new GroupCommit((spans) => this.#writer.write(spans), MAX_BATCH_SPANS);
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
    return spans.length ? this.#commits.add(spans) : Promise.resolve();
  }

  listProjects = () => this.#reads.projects(null);
  getProject = async (name: string) => (await this.#reads.projects(name))[0] ?? null;
  hasProject = (name: string) => this.#reads.hasProject(name);
  projectNames = () => this.#reads.projectNames();
  listSessions = (query: SessionQuery) => listSessions(this.#ex, this.#db, query);
  getSession = (project: string, sessionId: string) => this.#reads.session(project, sessionId);
  getSessionDetail: Store["getSessionDetail"] = async (project, sessionId, traceLimit) => {
    const session = await this.#reads.session(project, sessionId);
    if (!session) return null;
    const [traces, summaries, annotations] = await Promise.all([
      this.#reads.sessionTraces(project, sessionId, traceLimit, null),
      this.#annotationReads.sessionSummaries(project, [sessionId]),
      this.#annotationReads.ofTarget(project, { type: "session", sessionId }),
    ]);
    const first = traces.rows[0]?.traceId;
    const firstTraceSpans = first ? ((await this.#reads.spans(project, [first])).get(first) ?? []) : [];
    return { session, traces, summaries: summaries.get(sessionId) ?? [], annotations, firstTraceSpans };
  };
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
  deleteData = (project: string, target: DeleteTarget) => this.#deletion.delete(project, target);
  // Session lifecycle and evaluation jobs (session-state.ts, evaluation-jobs.ts).
  markIdleSessions: Store["markIdleSessions"] = (project, quietBeforeUs, limit) => this.#lifecycle.markIdle(project, quietBeforeUs, limit);
  closeSession: Store["closeSession"] = async (project, sessionId) => (await this.#lifecycle.close(project, [sessionId])).length > 0;
  scheduleEvaluations: Store["scheduleEvaluations"] = (project, evaluators, limit) => this.#evaluations.schedule(project, evaluators, limit);
  requestEvaluations: Store["requestEvaluations"] = (project, sessionIds, evaluators, runId) => this.#evaluations.request(project, sessionIds, evaluators, runId);
  claimEvaluations: Store["claimEvaluations"] = (limit, leaseUs) => this.#evaluations.claim(limit, leaseUs);
  finishEvaluations: Store["finishEvaluations"] = (finished) => this.#evaluations.finish(finished);
  evaluationRun: Store["evaluationRun"] = (runId) => this.#evaluations.run(runId);
  sessionEvaluationJobs: Store["sessionEvaluationJobs"] = (project, sessionId, limit) => this.#evaluations.ofSession(project, sessionId, limit);
  expireBefore = (project: string, beforeUs: number) => this.#deletion.expire(project, beforeUs);

  // Annotations, review queues and counters (annotation-writes.ts, annotation-reads.ts, review-queues.ts, counters.ts).
  upsertAnnotation: Store["upsertAnnotation"] = (project, target, fields) => this.#annotations.upsert(project, target, fields);
  updateAnnotation: Store["updateAnnotation"] = (project, id, patch) => this.#annotations.update(project, id, patch);
  deleteAnnotation: Store["deleteAnnotation"] = (project, id) => this.#annotations.delete(project, id);
  listAnnotations: Store["listAnnotations"] = (project, target) => this.#annotationReads.ofTarget(project, target);
  listTraceAnnotations: Store["listTraceAnnotations"] = (project, traceIds) => this.#annotationReads.ofTraces(project, traceIds);
  annotationNames: Store["annotationNames"] = (project) => this.#annotationReads.names(project);
  annotationDistribution: Store["annotationDistribution"] = (project, name, fromUs, toUs) => this.#annotationReads.distribution(project, name, fromUs, toUs);
  sessionAnnotationSummaries: Store["sessionAnnotationSummaries"] = (project, ids) => this.#annotationReads.sessionSummaries(project, ids);
  userAnnotationSummaries: Store["userAnnotationSummaries"] = (project, ids, sinceUs) => this.#annotationReads.userSummaries(project, ids, sinceUs);
  createReviewQueue: Store["createReviewQueue"] = (project, queue) => this.#reviews.create(project, queue);
  listReviewQueues: Store["listReviewQueues"] = (project) => this.#reviews.list(project);
  getReviewQueue: Store["getReviewQueue"] = (project, id) => this.#reviews.get(project, id);
  reviewItem: Store["reviewItem"] = (project, queueId, position, reviewer, fields) => this.#reviews.review(project, queueId, position, reviewer, fields);
  deleteReviewQueue: Store["deleteReviewQueue"] = (project, id) => this.#reviews.delete(project, id);
  llmUsage: Store["llmUsage"] = (day) => this.#counters.llmUsage(day);
  addLlmUsage: Store["addLlmUsage"] = (project, day, calls, tokens) => this.#counters.addLlmUsage(project, day, calls, tokens);
  addRedactions: Store["addRedactions"] = (counts) => this.#counters.addRedactions(counts);
  redactionCounts: Store["redactionCounts"] = (project) => this.#counters.redactionCounts(project);

  // Moving a project between stores (export.ts).
  exportTraceIds: Store["exportTraceIds"] = (project, after, limit) => this.#export.traceIds(project, after, limit);
  exportAnnotations: Store["exportAnnotations"] = (project, after, limit) => this.#export.annotations(project, after, limit);
  exportSessionStates: Store["exportSessionStates"] = (project, after, limit) => this.#export.sessionStates(project, after, limit);
  importSessionStates: Store["importSessionStates"] = (project, states) => this.#export.importStates(project, states);

  close(): Promise<void> {
    return this.#ex.close();
  }
}
