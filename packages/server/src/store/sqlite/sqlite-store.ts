// The embedded store: SQLite through node:sqlite, in WAL mode. Writes (spans and annotations) go
// to one writer thread; reads to a pool of reader threads, each with its own connection, so
// neither waits for the other and the main thread stays free for receiving exports.
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import type { AnnotationTargetRecord, SpanRecord } from "../records.ts";
import type {
  AnnotationFields, BackgroundReads, Cursor, DeletedRecord, DeleteTarget, EvaluationJob, EvaluationOutcome, SessionFilter, SessionQuery, SessionStateRecord, Store, UserQuery,
} from "../store.ts";
import { Checkpointer } from "./checkpointer.ts";
import { openDatabase } from "./database.ts";
import { readApi, type ReadApi, type ReadMethod } from "./read-api.ts";
import { prepareSpans, resourceSerializer, type PreparedTrace } from "./rows.ts";
import { Thread, ThreadPool } from "./threads.ts";
import { writeApi, type WriteApi } from "./write-api.ts";

export interface SqliteStoreOptions {
  /** SQLite file, or ":memory:" (which implies working on the calling thread). */
  path: string;
  /** Read and write on worker threads (default), or on the calling thread. */
  writeInWorker?: boolean;
  /** Reader threads. Default: one per core, at least 2 and at most 4. */
  readers?: number;
  /** Past this size the write-ahead log is checkpointed and started over (wal-guard.ts). Default 256 MiB. */
  walLimitBytes?: number;
  log?: (line: string) => void;
}

type Read = <M extends ReadMethod>(method: M, ...args: Parameters<ReadApi[M]>) => Promise<ReturnType<ReadApi[M]>>;
type WriteMethod = Exclude<keyof WriteApi, "spans">;
type Write = <M extends WriteMethod>(method: M, ...args: Parameters<WriteApi[M]>) => Promise<ReturnType<WriteApi[M]>>;

export class SqliteStore implements Store {
  readonly #read: Read;
  /** Reads for background work: their own thread, at a lower priority (the main reads without workers). */
  readonly #readBehind: Read;
  readonly #write: Write;
  readonly #writeTraces: (traces: PreparedTrace[], spans: number) => Promise<void>;
  readonly #close: () => Promise<void>;
  readonly #resourceJson = resourceSerializer();
  /** Opens a channel from another thread to the writer (null without a writer thread). */
  readonly #openChannel: (() => { module: string; data: unknown; transfer: Transferable[] }) | null = null;

  constructor({ path, writeInWorker = true, readers, walLimitBytes = 256 * 2 ** 20, log = () => {} }: SqliteStoreOptions) {
    const db = openDatabase(path); // creates the schema, or refuses a database of another format
    if (!writeInWorker || path === ":memory:") {
      const read = readApi(db) as Record<string, (...args: unknown[]) => unknown>;
      const write = writeApi(db) as Record<string, (...args: unknown[]) => unknown>;
      this.#read = (async (method: string, ...args: unknown[]) => read[method](...args)) as Read;
      this.#readBehind = this.#read;
      this.#write = (async (method: string, ...args: unknown[]) => write[method](...args)) as Write;
      this.#writeTraces = async (traces) => void write.spans(traces);
      this.#close = async () => {
        db.exec("PRAGMA optimize");
        db.close();
      };
      return;
    }
    db.close();
    const writer = new Thread(new URL("./write-worker.ts", import.meta.url), { path, walLimitBytes }, log);
    const checkpointer = new Checkpointer(path, { log, walLimitBytes });
    const pool = new ThreadPool(readers ?? Math.min(4, Math.max(2, availableParallelism())), () => new Thread(new URL("./read-worker.ts", import.meta.url), { path }, log));
    this.#read = ((method: ReadMethod, ...args: unknown[]) => pool.call({ method, args })) as Read;
    const behind = new Thread(new URL("./read-worker.ts", import.meta.url), { path, background: true }, log);
    this.#readBehind = ((method: ReadMethod, ...args: unknown[]) => behind.call({ method, args })) as Read;
    this.#write = ((method: WriteMethod, ...args: unknown[]) => writer.call({ op: "call", method, args })) as Write;
    this.#writeTraces = (traces, spans) => writer.call({ op: "spans", traces, spans });
    this.#openChannel = () => {
      const { port1, port2 } = new MessageChannel();
      writer.post({ op: "port", port: port1 }, [port1]);
      return { module: new URL("./worker-sink.ts", import.meta.url).href, data: { port: port2 }, transfer: [port2] };
    };
    let closed: Promise<void> | null = null;
    this.#close = () =>
      (closed ??= (async () => {
        await pool.close("close");
        behind.post("close");
        await behind.terminate();
        await writer.call({ op: "close" });
        await writer.terminate();
        await checkpointer.stop();
      })());
  }

  writeSpans(spans: SpanRecord[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    return this.#writeTraces(prepareSpans(spans, this.#resourceJson), spans.length);
  }

  workerSink(): { module: string; data: unknown; transfer: Transferable[] } {
    if (!this.#openChannel) throw new Error("this store writes on the calling thread; it has no writer thread to connect to");
    return this.#openChannel();
  }

  listProjects = () => this.#read("listProjects");
  getProject = (name: string) => this.#read("getProject", name);
  // Projects are never removed, so one found once is remembered: every API request checks its
  // project, and under ingest each trip to a reader thread counts.
  readonly #knownProjects = new Set<string>();
  hasProject = async (name: string) => {
    if (this.#knownProjects.has(name)) return true;
    const found = (await this.getProject(name)) != null;
    if (found) this.#knownProjects.add(name);
    return found;
  };
  projectNames = async () => (await this.listProjects()).map((p) => p.name);
  listSessions = (query: SessionQuery) => this.#read("listSessions", query);
  getSession = (project: string, sessionId: string) => this.#read("getSession", project, sessionId);
  getSessionDetail = (project: string, sessionId: string, traceLimit: number) => this.#read("getSessionDetail", project, sessionId, traceLimit);
  listSessionTraces = (project: string, sessionId: string, limit: number, after: Cursor | null) =>
    this.#read("listSessionTraces", project, sessionId, limit, after);
  getTraceSpans = (project: string, traceIds: string[]) => this.#read("getTraceSpans", project, traceIds);
  getTrace = (project: string, traceId: string) => this.#read("getTrace", project, traceId);
  listUsers = (query: UserQuery) => this.#read("listUsers", query);
  getUser = (project: string, userId: string) => this.#read("getUser", project, userId);
  sessionStats = (project: string, filter: SessionFilter) => this.#read("sessionStats", project, filter);
  userSeries = (project: string, userId: string) => this.#read("userSeries", project, userId);
  search = (project: string, text: string, limit: number) => this.#read("search", project, text, limit);
  listAnnotations = (project: string, target: AnnotationTargetRecord) => this.#read("listAnnotations", project, target);
  listTraceAnnotations = (project: string, traceIds: string[]) => this.#read("listTraceAnnotations", project, traceIds);
  annotationNames = (project: string) => this.#read("annotationNames", project);
  annotationDistribution = (project: string, name: string, fromUs: number, toUs: number) =>
    this.#read("annotationDistribution", project, name, fromUs, toUs);
  sessionAnnotationSummaries = (project: string, sessionIds: string[]) => this.#read("sessionAnnotationSummaries", project, sessionIds);
  userAnnotationSummaries = (project: string, userIds: string[], labelsSinceUs: number) =>
    this.#read("userAnnotationSummaries", project, userIds, labelsSinceUs);

  upsertAnnotation = (project: string, target: AnnotationTargetRecord, fields: AnnotationFields) =>
    this.#write("upsertAnnotation", project, target, fields);
  updateAnnotation = (project: string, id: string, patch: Partial<Omit<AnnotationFields, "name" | "identifier">>) =>
    this.#write("updateAnnotation", project, id, patch);
  deleteAnnotation = (project: string, id: string) => this.#write("deleteAnnotation", project, id);

  async deleteData(project: string, target: DeleteTarget): Promise<DeletedRecord | null> {
    let total: DeletedRecord | null = null;
    for (let chunk; (chunk = await this.#write("deleteChunk", project, target)); ) total = addDeleted(total, chunk);
    return total;
  }

  readonly #background: BackgroundReads = {
    getSession: (project: string, sessionId: string) => this.#readBehind("getSession", project, sessionId),
    listSessionTraces: (project: string, sessionId: string, limit: number, after: Cursor | null) =>
      this.#readBehind("listSessionTraces", project, sessionId, limit, after),
    getTraceSpans: (project: string, traceIds: string[]) => this.#readBehind("getTraceSpans", project, traceIds),
  };

  backgroundReads(): BackgroundReads {
    return this.#background;
  }

  markIdleSessions = (project: string, quietBeforeUs: number, limit: number) => this.#write("markIdle", project, quietBeforeUs, limit);
  closeSession = (project: string, sessionId: string) => this.#write("closeSession", project, sessionId);
  scheduleEvaluations = (project: string, evaluators: string[], limit: number) =>
    this.#write("scheduleEvaluations", project, evaluators, limit, Date.now() * 1000);
  requestEvaluations = (project: string, sessionIds: string[], evaluators: string[], runId: string) =>
    this.#write("requestEvaluations", project, sessionIds, evaluators, runId, Date.now() * 1000);
  claimEvaluations = (limit: number, leaseUs: number) => this.#write("claimEvaluations", limit, Date.now() * 1000, leaseUs);
  finishEvaluations = (finished: Array<{ job: EvaluationJob; outcome: EvaluationOutcome }>) => this.#write("finishEvaluations", finished, Date.now() * 1000);
  evaluationRun = (runId: string) => this.#read("evaluationRun", runId);
  sessionEvaluationJobs = (project: string, sessionId: string, limit: number) => this.#read("sessionEvaluationJobs", project, sessionId, limit);
  createReviewQueue = (project: string, queue: Parameters<Store["createReviewQueue"]>[1]) => this.#write("createReviewQueue", project, queue, Date.now() * 1000);
  listReviewQueues = (project: string) => this.#read("listReviewQueues", project);
  getReviewQueue = (project: string, id: string) => this.#read("getReviewQueue", project, id);
  reviewItem = (project: string, queueId: string, position: number, reviewer: string, fields: Parameters<Store["reviewItem"]>[4]) =>
    this.#write("reviewItem", project, queueId, position, reviewer, fields, Date.now() * 1000);
  llmUsage = (day: string) => this.#read("llmUsage", day);
  addLlmUsage = (project: string, day: string, calls: number, tokens: number) => this.#write("addLlmUsage", project, day, calls, tokens);
  addRedactions = (counts: Array<[string, string, number]>) => this.#write("addRedactions", counts);
  redactionCounts = (project: string) => this.#read("redactionCounts", project);
  deleteReviewQueue = (project: string, id: string) => this.#write("deleteReviewQueue", project, id);

  exportTraceIds = (project: string, after: string | null, limit: number) => this.#read("exportTraceIds", project, after, limit);
  exportAnnotations = (project: string, after: string | null, limit: number) => this.#read("exportAnnotations", project, after, limit);
  exportSessionStates = (project: string, after: string | null, limit: number) => this.#read("exportSessionStates", project, after, limit);
  importSessionStates = (project: string, states: SessionStateRecord[]) => this.#write("importSessionStates", project, states);

  async expireBefore(project: string, beforeUs: number): Promise<DeletedRecord> {
    let total: DeletedRecord | null = null;
    for (let chunk; (chunk = await this.#write("expireChunk", project, beforeUs)); ) total = addDeleted(total, chunk);
    return total ?? { traces: 0, spans: 0, sessions: 0, annotations: 0 };
  }

  close(): Promise<void> {
    return this.#close();
  }
}

function addDeleted(a: DeletedRecord | null, b: DeletedRecord): DeletedRecord {
  if (!a) return b;
  return { traces: a.traces + b.traces, spans: a.spans + b.spans, sessions: a.sessions + b.sessions, annotations: a.annotations + b.annotations };
}
