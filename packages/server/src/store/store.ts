// The store interface. Everything that speaks SQL lives behind it: SQLite (embedded, default)
// and ClickHouse (scale-out) implement the same contract.
import type { SessionSortKey, SortOrder, UserSortKey } from "../api/types.ts";
import type {
  AnnotationRecord, AnnotationSummaryRecord, AnnotationTargetRecord, ProjectRollup, SessionRollup, SpanRecord, TraceRollup,
  UserRollup,
} from "./records.ts";

/** Keyset position: the sort column's value and the id of the last row seen. */
export interface Cursor {
  value: number;
  id: string;
}

export interface Page<T> {
  rows: T[];
  /** Where the next page starts, or null on the last page. */
  next: Cursor | null;
}

export interface SessionFilter {
  userId?: string;
  /** Sessions overlapping [fromUs, toUs]. */
  fromUs?: number;
  toUs?: number;
  /** Words that must all appear in one span's input, output or messages. */
  text?: string;
  tag?: string;
  hasErrors?: boolean;
  /** Sessions where a span's metadata has this key with this value (compared as text). */
  metadata?: { key: string; value: string };
  /** Sessions whose summary of this annotation name has the label and/or a mean score in range. */
  annotation?: { name: string; label?: string; scoreMin?: number; scoreMax?: number };
  /** Sessions in this lifecycle state. */
  state?: "open" | "idle" | "closed";
}

/** A rollup column, or the mean score of an annotation name (only sessions that have one). */
export type SessionSort = SessionSortKey | { annotation: string };

export interface SessionQuery {
  project: string;
  limit: number;
  sort: SessionSort;
  order: SortOrder;
  after: Cursor | null;
  filter: SessionFilter;
}

export interface UserQuery {
  project: string;
  limit: number;
  sort: UserSortKey;
  order: SortOrder;
  after: Cursor | null;
  /** A substring of the user id. */
  search?: string;
  /** Users with at least `minSessions` sessions started since `sinceUs` that have the annotation (with this label). */
  labelled?: { name: string; label?: string; minSessions: number; sinceUs: number };
}

export interface AnnotationFields {
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  annotatorKind: "HUMAN" | "LLM" | "CODE";
  identifier: string;
  metadata: Record<string, unknown> | null;
}

/** Per time bucket (by the sessions' start): sessions by their most frequent label, and their mean score. */
export interface AnnotationDistributionRecord {
  bucketUs: number;
  series: Array<{ startUs: number; sessions: number; meanScore: number | null; labels: Record<string, number> }>;
}

/** Totals of a set of sessions, and the same per time bucket. */
export interface StatsRecord {
  sessionCount: number;
  userCount: number;
  avgDurationUs: number;
  avgTraces: number;
  tokens: { prompt: number; completion: number; total: number; cacheRead: number; cacheWrite: number; reasoning: number };
  cost: number;
  errorSessions: number;
  /** The bucket size of `series`: an hour for up to three days of data, else a day. */
  bucketUs: number;
  series: Array<{ startUs: number; sessionCount: number; traceCount: number; tokens: number; cost: number; errorCount: number; scores?: Record<string, number> }>;
}

export interface SearchRecord {
  sessions: Array<{ sessionId: string; userIds: string[]; startUs: number; match: "id" | "text" }>;
  users: Array<{ userId: string; sessionCount: number }>;
  traces: Array<{ traceId: string; sessionId: string | null; startUs: number }>;
}

/** What a deletion names: a session, a trace, or a user (erasure: every session they took part in, whole). */
export type DeleteTarget = { type: "session"; sessionId: string } | { type: "trace"; traceId: string } | { type: "user"; userId: string };

/** What a deletion removed. `sessions` counts sessions left with no trace. */
export interface DeletedRecord {
  traces: number;
  spans: number;
  sessions: number;
  annotations: number;
}

/** A review queue: sessions for people to step through, reviewing them under `annotation`. */
export interface ReviewQueueRecord {
  id: string;
  name: string;
  annotation: string;
  /** The labels a reviewer picks from. */
  labels: string[];
  createdBy: string;
  createdUs: number;
  total: number;
  reviewed: number;
}

export interface ReviewItemRecord {
  /** 1-based place in the queue. */
  position: number;
  sessionId: string;
  reviewedBy: string | null;
  reviewedUs: number | null;
}

/** An evaluation to run: one evaluator on one version (span count) of a session. */
export interface EvaluationJob {
  id: number;
  project: string;
  sessionId: string;
  evaluator: string;
  version: number;
  /** Including this one. */
  attempts: number;
  /** The on-demand run that asked for it ("" when the session went idle or closed). */
  runId: string;
  /** The store's own identity of the job where the id is not all of it (ClickHouse): given back with its outcome. */
  key?: string;
}

export interface EvaluationResultRecord {
  label: string | null;
  score: number | null;
  explanation: string | null;
  /** What it points at: { turn (1-based), traceId }. */
  metadata: Record<string, unknown> | null;
  annotatorKind?: "CODE" | "LLM";
}

/** A result (null: the evaluator has nothing to say about this session), or an error. */
export type EvaluationOutcome = { result: EvaluationResultRecord | null } | { error: string; retryAtUs: number | null };

export interface EvaluationRunRecord {
  queued: number;
  running: number;
  done: number;
  failed: number;
}

/** A job's states, in the order both stores number them. */
export const EVALUATION_JOB_STATES = ["queued", "running", "done", "failed"] as const;

/** One evaluation job of a session: what ran (or will), how far it is, and why it last failed. */
export interface EvaluationJobStateRecord {
  evaluator: string;
  /** The session's version (span count) it evaluates. */
  version: number;
  /** The on-demand run that asked for it; "" for the session's idle or close. */
  runId: string;
  state: (typeof EVALUATION_JOB_STATES)[number];
  attempts: number;
  /** The last attempt's error: a queued job with one waits to be tried again. */
  error: string | null;
  createdUs: number;
  /** When it was done or failed for good. */
  finishedUs: number | null;
}

/** A session's lifecycle state and the version (span count) its evaluations were last scheduled at. */
export interface SessionStateRecord {
  sessionId: string;
  state: "open" | "idle" | "closed";
  evaluatedVersion: number | null;
}

/** What a session's page opens with (Store.getSessionDetail). */
export interface SessionDetailRecord {
  session: SessionRollup;
  /** The first page of its traces. */
  traces: Page<TraceRollup>;
  summaries: AnnotationSummaryRecord[];
  /** The annotations on the session itself. */
  annotations: AnnotationRecord[];
  /** The spans of its first trace (where the session's metadata is read from). */
  firstTraceSpans: SpanRecord[];
}

export type BackgroundReads = Pick<Store, "getSession" | "listSessionTraces" | "getTraceSpans">;

export interface Store {
  /**
   * Stores spans and brings the trace, session, user and project rollups up to date,
   * atomically. Idempotent on (project, trace id, span id): a span seen before changes nothing.
   * Resolves once the batch is durably committed.
   */
  writeSpans(spans: SpanRecord[]): Promise<void>;
  /**
   * Optional: lets an ingest thread write spans itself, without the main thread. Each call opens
   * a channel: `module` (a URL) exports `connect(data)`, which returns a writeSpans for that thread;
   * `transfer` lists what `data` hands over (message ports).
   */
  workerSink?(): { module: string; data: unknown; transfer: Transferable[] };
  listProjects(): Promise<ProjectRollup[]>;
  getProject(name: string): Promise<ProjectRollup | null>;
  /** Whether the project ever had a span: the check every request makes, so it counts nothing. */
  hasProject(name: string): Promise<boolean>;
  /** The projects' names, without their totals: what the background stages go through. */
  projectNames(): Promise<string[]>;
  listSessions(query: SessionQuery): Promise<Page<SessionRollup>>;
  getSession(project: string, sessionId: string): Promise<SessionRollup | null>;
  /**
   * The session with the first `traceLimit` of its traces, its annotations and its first trace's
   * spans, in one read: the page a person opens most, kept to one trip to the database under load.
   */
  getSessionDetail(project: string, sessionId: string, traceLimit: number): Promise<SessionDetailRecord | null>;
  /** A page of the session's traces in time order. */
  listSessionTraces(project: string, sessionId: string, limit: number, after: Cursor | null): Promise<Page<TraceRollup>>;
  /** The spans of several traces (time order within each). */
  getTraceSpans(project: string, traceIds: string[]): Promise<Map<string, SpanRecord[]>>;
  /** The trace's rollup and its spans in time order, or null when no span of it is stored. */
  getTrace(project: string, traceId: string): Promise<{ trace: TraceRollup; spans: SpanRecord[] } | null>;
  listUsers(query: UserQuery): Promise<Page<UserRollup>>;
  getUser(project: string, userId: string): Promise<UserRollup | null>;
  /** Totals of the sessions the filter keeps, bucketed over time. */
  sessionStats(project: string, filter: SessionFilter): Promise<StatsRecord>;
  /** A user's activity over time, with the mean annotation scores per bucket. */
  userSeries(project: string, userId: string): Promise<{ bucketUs: number; series: StatsRecord["series"] }>;
  search(project: string, text: string, limit: number): Promise<SearchRecord>;

  upsertAnnotation(project: string, target: AnnotationTargetRecord, fields: AnnotationFields): Promise<{ annotation: AnnotationRecord; created: boolean } | null>;
  updateAnnotation(project: string, id: string, patch: Partial<Omit<AnnotationFields, "name" | "identifier">>): Promise<AnnotationRecord | null>;
  /** The deleted annotation, or null when there was none. */
  deleteAnnotation(project: string, id: string): Promise<AnnotationRecord | null>;
  listAnnotations(project: string, target: AnnotationTargetRecord): Promise<AnnotationRecord[]>;
  /** Annotations of these traces and of their spans. */
  listTraceAnnotations(project: string, traceIds: string[]): Promise<AnnotationRecord[]>;
  annotationNames(project: string): Promise<Array<{ name: string; annotatorKinds: AnnotationRecord["annotatorKind"][]; count: number; labels: string[]; minScore: number | null; maxScore: number | null }>>;
  /** How the sessions' summaries of `name` spread over the sessions' start times in the window. */
  annotationDistribution(project: string, name: string, fromUs: number, toUs: number): Promise<AnnotationDistributionRecord>;
  sessionAnnotationSummaries(project: string, sessionIds: string[]): Promise<Map<string, AnnotationSummaryRecord[]>>;
  /** Users' summaries over all their sessions, with label counts over the sessions started since `labelsSinceUs`. */
  userAnnotationSummaries(project: string, userIds: string[], labelsSinceUs: number): Promise<Map<string, AnnotationSummaryRecord[]>>;
  /**
   * Deletes the target's traces with everything derived from them (spans, bodies, search words,
   * annotations) and recounts the rollups of what remains; null when there was nothing to delete.
   * Done in chunks, so ingest goes on meanwhile; a deletion cut short is finished by running it again.
   */
  deleteData(project: string, target: DeleteTarget): Promise<DeletedRecord | null>;
  /**
   * The reads background work needs, on a reader of lower priority where the store has one, so
   * that a backlog of evaluations does not make people browsing wait.
   */
  backgroundReads(): BackgroundReads;
  /** Lifecycle: marks up to `limit` open sessions quiet since `quietBeforeUs` idle; how many it marked. */
  markIdleSessions(project: string, quietBeforeUs: number, limit: number): Promise<number>;
  /** Ends a session (a new turn reopens it); false when there is no such session. */
  closeSession(project: string, sessionId: string): Promise<boolean>;
  /** Queues the evaluators for up to `limit` idle or closed sessions not evaluated at their version; how many sessions. */
  scheduleEvaluations(project: string, evaluators: string[], limit: number): Promise<number>;
  /** On demand: queues the evaluators for these sessions under `runId`; how many jobs. */
  requestEvaluations(project: string, sessionIds: string[], evaluators: string[], runId: string): Promise<number>;
  /** Takes up to `limit` due jobs under a lease of `leaseUs`: a job whose lease runs out is taken again. */
  claimEvaluations(limit: number, leaseUs: number): Promise<EvaluationJob[]>;
  /** Jobs' outcomes, in one transaction; a result is written as its session's annotation with its job. */
  finishEvaluations(finished: Array<{ job: EvaluationJob; outcome: EvaluationOutcome }>): Promise<void>;
  /** How far an on-demand run is. */
  evaluationRun(runId: string): Promise<EvaluationRunRecord>;
  /** The session's evaluation jobs, newest first (at most `limit`). */
  sessionEvaluationJobs(project: string, sessionId: string, limit: number): Promise<EvaluationJobStateRecord[]>;
  createReviewQueue(project: string, queue: { name: string; annotation: string; labels: string[]; createdBy: string; sessionIds: string[] }): Promise<ReviewQueueRecord>;
  listReviewQueues(project: string): Promise<ReviewQueueRecord[]>;
  getReviewQueue(project: string, id: string): Promise<{ queue: ReviewQueueRecord; items: ReviewItemRecord[] } | null>;
  /** Writes the reviewer's HUMAN annotation of the item's session (identifier: the reviewer) and marks the item reviewed, together. */
  reviewItem(project: string, queueId: string, position: number, reviewer: string, fields: Omit<AnnotationFields, "name" | "identifier" | "annotatorKind">): Promise<AnnotationRecord | null>;
  deleteReviewQueue(project: string, id: string): Promise<boolean>;
  /** LLM judges' use of a UTC day (YYYY-MM-DD), per project. */
  llmUsage(day: string): Promise<Array<{ project: string; calls: number; tokens: number }>>;
  addLlmUsage(project: string, day: string, calls: number, tokens: number): Promise<void>;
  /** Adds what redaction replaced in committed spans: [project, detector or pattern name, values]. */
  addRedactions(counts: Array<[string, string, number]>): Promise<void>;
  /** What redaction replaced in the project, by detector or pattern name. */
  redactionCounts(project: string): Promise<Record<string, number>>;
  /** Retention: deletes, as deleteData does, every trace of the project that started before `beforeUs`. */
  expireBefore(project: string, beforeUs: number): Promise<DeletedRecord>;

  // Moving a project to another store (threadline migrate), page by page in id order.
  /** The project's trace ids after `after`. */
  exportTraceIds(project: string, after: string | null, limit: number): Promise<string[]>;
  /** The project's annotations with an id after `after`. */
  exportAnnotations(project: string, after: string | null, limit: number): Promise<AnnotationRecord[]>;
  /** The project's sessions' states after the session id `after`. */
  exportSessionStates(project: string, after: string | null, limit: number): Promise<SessionStateRecord[]>;
  /**
   * States exported from another store, for sessions already written here: idle and closed ones
   * are set so, and a session evaluated at its present version is not scheduled again.
   */
  importSessionStates(project: string, states: SessionStateRecord[]): Promise<void>;
  close(): Promise<void>;
}
