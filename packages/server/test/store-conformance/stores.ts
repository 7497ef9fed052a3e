// The stores the conformance suite runs against. Each factory opens a fresh, empty store in a
// throwaway directory; `implemented` names the methods it has so far ("all" when complete), and
// the suite skips, with a reason naming the method, every check that needs one it lacks.
import { join } from "node:path";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";

export type StoreMethod = keyof Store;

export interface StoreFactory {
  name: string;
  open(dir: string): Promise<Store>;
  /** Default "all". */
  implemented?: Set<StoreMethod> | "all";
}

/**
 * Every method of the Store interface. A Record over keyof Store, so a method added to the
 * interface fails the type check here until it is listed (and, one hopes, checked by the suite).
 */
export const STORE_METHODS: Record<StoreMethod, true> = {
  writeSpans: true, workerSink: true, listProjects: true, getProject: true, hasProject: true, projectNames: true, listSessions: true, getSession: true, getSessionDetail: true,
  listSessionTraces: true, getTraceSpans: true, getTrace: true, listUsers: true, getUser: true, sessionStats: true,
  userSeries: true, search: true, upsertAnnotation: true, updateAnnotation: true, deleteAnnotation: true,
  listAnnotations: true, listTraceAnnotations: true, annotationNames: true, annotationDistribution: true,
  sessionAnnotationSummaries: true, userAnnotationSummaries: true, deleteData: true, backgroundReads: true,
  markIdleSessions: true, closeSession: true, scheduleEvaluations: true, requestEvaluations: true,
  claimEvaluations: true, finishEvaluations: true, evaluationRun: true, sessionEvaluationJobs: true, createReviewQueue: true, listReviewQueues: true,
  getReviewQueue: true, reviewItem: true, deleteReviewQueue: true, llmUsage: true, addLlmUsage: true,
  addRedactions: true, redactionCounts: true, expireBefore: true, exportTraceIds: true, exportAnnotations: true,
  exportSessionStates: true, importSessionStates: true, close: true,
};

export const STORES: StoreFactory[] = [
  // As the server runs it: a writer thread and reader threads on a file.
  { name: "sqlite", open: async (dir) => new SqliteStore({ path: join(dir, "threadline.db"), readers: 2 }) },
  // The same store on the calling thread: a second registered store, so the cross-store
  // agreement checks run today (and catch answers that change across the worker boundary).
  { name: "sqlite-inline", open: async (dir) => new SqliteStore({ path: join(dir, "threadline.db"), writeInWorker: false }) },
  // The ClickHouse store on chdb (one engine per process: every test file opens its own path, each
  // store a fresh database on it).
  {
    name: "clickhouse-chdb",
    open: async (dir) => ClickHouseStore.open({ executor: await ChdbExecutor.open(chdbPath(dir)), database: `conformance_${++chdbDatabases}` }),
    // Every method but the optional workerSink (a SQLite writer thread's channel).
    implemented: new Set((Object.keys(STORE_METHODS) as StoreMethod[]).filter((method) => method !== "workerSink")),
  },
];

/** chdb keeps one data directory per process: the first store's, for every later one. */
let chdbDir: string | null = null;
let chdbDatabases = 0;
const chdbPath = (dir: string) => (chdbDir ??= join(dir, "chdb"));

/** The store methods a factory lacks, of those named. */
export function missing(factory: StoreFactory, methods: readonly StoreMethod[]): StoreMethod[] {
  const have = factory.implemented ?? "all";
  return have === "all" ? [] : methods.filter((m) => !have.has(m));
}
