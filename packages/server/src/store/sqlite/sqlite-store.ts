// The embedded store: SQLite through node:sqlite, in WAL mode.
import type { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import type { Attributes } from "../../otlp/types.ts";
import type { AnnotationTargetRecord, ProjectRollup, SessionRollup, SpanRecord, TraceRollup, UserRollup } from "../records.ts";
import type { AnnotationFields, Cursor, Page, SessionFilter, SessionQuery, Store, UserQuery } from "../store.ts";
import { SqliteAnnotations } from "./annotations.ts";
import { Checkpointer } from "./checkpointer.ts";
import { openDatabase } from "./database.ts";
import { SqliteReader } from "./reader.ts";
import { prepareSpan } from "./rows.ts";
import type { WriteReply, WriteRequest } from "./write-worker.ts";
import { SqliteWriter } from "./writer.ts";

export interface SqliteStoreOptions {
  /** SQLite file, or ":memory:" (which implies writing on the calling thread). */
  path: string;
  /** Commit on a worker thread (default), or on the calling thread. */
  writeInWorker?: boolean;
}

export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #reader: SqliteReader;
  readonly #annotations: SqliteAnnotations;
  readonly #write: (request: WriteRequest) => Promise<void>;
  readonly #worker: Worker | null = null;
  readonly #checkpointer: Checkpointer | null = null;
  /** Spans of one request share their resource object: serialize it once. */
  #resourceJson = new WeakMap<Attributes, string>();

  constructor({ path, writeInWorker = true }: SqliteStoreOptions) {
    this.#db = openDatabase(path);
    this.#reader = new SqliteReader(this.#db);
    this.#annotations = new SqliteAnnotations(this.#db);
    if (writeInWorker && path !== ":memory:") {
      const worker = new Worker(new URL("./write-worker.ts", import.meta.url), { workerData: { path } });
      this.#worker = worker;
      this.#write = workerCalls(worker);
      this.#checkpointer = new Checkpointer(path);
    } else {
      const writer = new SqliteWriter(this.#db);
      this.#write = async (request) => {
        if ("spans" in request) writer.write(request.spans);
      };
    }
  }

  writeSpans(spans: SpanRecord[]): Promise<void> {
    const prepared = spans.map((span) => {
      let resource = this.#resourceJson.get(span.resource);
      if (resource === undefined) this.#resourceJson.set(span.resource, (resource = JSON.stringify(span.resource)));
      return prepareSpan(span, resource);
    });
    return this.#write({ id: 0, spans: prepared });
  }

  async listProjects(): Promise<ProjectRollup[]> {
    return this.#reader.listProjects();
  }

  async getProject(name: string): Promise<ProjectRollup | null> {
    return this.#reader.getProject(name);
  }

  async listSessions(query: SessionQuery): Promise<Page<SessionRollup>> {
    return this.#reader.listSessions(query);
  }

  async getSession(project: string, sessionId: string): Promise<SessionRollup | null> {
    return this.#reader.getSession(project, sessionId);
  }

  async listSessionTraces(project: string, sessionId: string, limit: number, after: Cursor | null): Promise<Page<TraceRollup>> {
    return this.#reader.listSessionTraces(project, sessionId, limit, after);
  }

  async getTraceSpans(project: string, traceIds: string[]) {
    return this.#reader.getTraceSpans(project, traceIds);
  }

  async sessionStats(project: string, filter: SessionFilter) {
    return this.#reader.sessionStats(project, filter);
  }

  async userSeries(project: string, userId: string) {
    return this.#reader.userSeries(project, userId);
  }

  async search(project: string, text: string, limit: number) {
    return this.#reader.search(project, text, limit);
  }

  async upsertAnnotation(project: string, target: AnnotationTargetRecord, fields: AnnotationFields) {
    return this.#annotations.upsert(project, target, fields);
  }

  async updateAnnotation(project: string, id: string, patch: Partial<Omit<AnnotationFields, "name" | "identifier">>) {
    return this.#annotations.update(project, id, patch);
  }

  async deleteAnnotation(project: string, id: string) {
    return this.#annotations.delete(project, id);
  }

  async listAnnotations(project: string, target: AnnotationTargetRecord) {
    return this.#annotations.ofTarget(project, target);
  }

  async listTraceAnnotations(project: string, traceIds: string[]) {
    return this.#annotations.ofTraces(project, traceIds);
  }

  async annotationNames(project: string) {
    return this.#annotations.names(project);
  }

  async sessionAnnotationSummaries(project: string, sessionIds: string[]) {
    return this.#annotations.sessionSummaries(project, sessionIds);
  }

  async userAnnotationSummaries(project: string, userIds: string[]) {
    return this.#annotations.userSummaries(project, userIds);
  }

  async getTrace(project: string, traceId: string): Promise<{ trace: TraceRollup; spans: SpanRecord[] } | null> {
    return this.#reader.getTrace(project, traceId);
  }

  async listUsers(query: UserQuery): Promise<Page<UserRollup>> {
    return this.#reader.listUsers(query);
  }

  async getUser(project: string, userId: string): Promise<UserRollup | null> {
    return this.#reader.getUser(project, userId);
  }

  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    if (this.#worker) await this.#write({ id: 0, close: true });
    await this.#checkpointer?.stop();
    this.#db.exec("PRAGMA optimize");
    this.#db.close();
  }
}

/** Request/reply over the worker's port: each call resolves with the worker's answer to it. */
function workerCalls(worker: Worker): (request: WriteRequest) => Promise<void> {
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.on("message", (reply: WriteReply) => {
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) call?.reject(new Error(reply.error));
    else call?.resolve();
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`the SQLite writer thread exited (code ${code})`)));
  return (request) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
}
