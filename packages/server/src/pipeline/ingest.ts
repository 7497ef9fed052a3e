// The part of the ingest path every receiver shares: admit a request to the write queue, then
// decode, normalize and store it (stage.ts) on an ingest thread, or on this thread for a store
// that cannot take spans from another one. Resolves once the spans are committed.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { DecodeError } from "../otlp/decode.ts";
import { DEFAULT_CAPS, type SpanCaps } from "../normalize/caps.ts";
import type { PriceTable } from "../normalize/prices.ts";
import { Redactor, type RedactionCount } from "../normalize/redact/redactor.ts";
import type { RedactionPlan } from "../normalize/redact/settings.ts";
import type { Store } from "../store/store.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { ChangeFeed } from "./change-feed.ts";
import type { IngestReply, IngestRequest } from "./ingest-worker.ts";
import { runStage, type RawExport, type StageResult } from "./stage.ts";
import { QueueFullError, WriteQueue, type WriteQueueLimits } from "./write-queue.ts";

export interface IngestResult {
  /** Spans refused as invalid (the rest were stored). */
  rejectedSpans: number;
  /** Why, when some were refused. */
  errorMessage: string;
}

export type Ingest = (body: RawExport) => Promise<IngestResult>;

export interface IngestOptions {
  store: Store;
  prices: PriceTable;
  /** The extra price file, for the ingest threads to load as well. */
  pricesFile?: string;
  changes?: ChangeFeed;
  limits: WriteQueueLimits;
  caps?: SpanCaps;
  /** Ingest threads (0: on this thread). Default: one per core but one, at least 1 and at most 4. */
  threads?: number;
  metrics?: Metrics;
  /** Each project's redaction rules and the pseudonym key, for every ingest thread. */
  redaction?: RedactionPlan;
  /** What redaction replaced in an export, once its spans are committed. */
  redacted?: (counts: RedactionCount[]) => void;
  /** Committed spans ended their sessions. */
  sessionsEnded?: () => void;
}

export interface IngestStage {
  ingest: Ingest;
  /** Waits for what was admitted, then stops the threads. */
  close(): Promise<void>;
  /** What is admitted and not yet committed. */
  depth(): { spans: number; bytes: number; requests: number };
  /** Whether an export of this declared size would be refused now (before reading it). */
  refuses(declaredBytes: number): boolean;
}

export function createIngest(options: IngestOptions): IngestStage {
  const queue = new WriteQueue(options.limits);
  const inFlight = new Set<Promise<unknown>>();
  const threads = options.threads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  const sink = threads > 0 ? options.store.workerSink?.bind(options.store) : undefined;
  const { run, close } = sink
    ? ingestThreads(threads, sink, queue, options)
    : { run: onThisThread(queue, options), close: async () => {} };

  const ingest: Ingest = async (body) => {
    const size = body.bytes.length; // read first: the bytes are handed over to an ingest thread
    const started = performance.now();
    try {
      queue.admitRequest(size);
    } catch (error) {
      options.metrics?.refused("queue_full");
      throw error;
    }
    const done = run(body).finally(() => {
      queue.releaseRequest(size);
      inFlight.delete(done);
    });
    inFlight.add(done);
    let result: StageResult;
    try {
      result = await done;
    } catch (error) {
      options.metrics?.refused(error instanceof DecodeError ? "decode" : error instanceof QueueFullError ? "queue_full" : "store_error");
      throw error;
    }
    options.metrics?.exported(result.acceptedSpans + result.rejectedSpans, result.rejectedSpans, (performance.now() - started) / 1000);
    if (result.redacted.length > 0) options.redacted?.(result.redacted);
    for (const [project, sessionId, traceId] of result.touched) options.changes?.touched(project, sessionId, traceId);
    if (result.endsSessions) options.sessionsEnded?.();
    return { rejectedSpans: result.rejectedSpans, errorMessage: result.errorMessage };
  };
  return {
    ingest,
    async close() {
      await Promise.allSettled([...inFlight]);
      await close();
    },
    depth: () => queue.depth(),
    refuses: (declaredBytes) => queue.refuses(declaredBytes),
  };
}

function onThisThread(queue: WriteQueue, options: IngestOptions) {
  const redactor = options.redaction ? new Redactor(options.redaction) : undefined;
  return (body: RawExport) => runStage(body, options.prices, options.caps ?? DEFAULT_CAPS, queue, (spans) => options.store.writeSpans(spans), redactor);
}

/** A pool of ingest threads, each handing its spans to the store through its own sink. */
function ingestThreads(count: number, sink: NonNullable<Store["workerSink"]>, queue: WriteQueue, options: IngestOptions) {
  type Call = { resolve: (result: StageResult) => void; reject: (error: Error) => void };
  let nextId = 1;
  let closing = false;
  const spawn = (slot: number) => {
    const { module, data, transfer } = sink();
    const worker = new Worker(new URL("./ingest-worker.ts", import.meta.url), {
      workerData: {
        pricesFile: options.pricesFile, caps: options.caps ?? DEFAULT_CAPS, limits: options.limits, queue: queue.memory, sink: { module, data }, redaction: options.redaction,
      },
      transferList: transfer as never,
    });
    const state = { worker, pending: new Map<number, Call>() };
    worker.on("message", (reply: IngestReply) => {
      const call = state.pending.get(reply.id);
      state.pending.delete(reply.id);
      if (!call) return;
      if (reply.result) return call.resolve(reply.result);
      const { kind, message } = reply.error!;
      call.reject(kind === "decode" ? new DecodeError(message) : kind === "queue" ? new QueueFullError(message) : new Error(message));
    });
    // A thread that dies fails its requests (retryable for the exporter) and is replaced.
    worker.on("exit", (code) => {
      for (const call of state.pending.values()) call.reject(new Error(`an ingest thread exited (code ${code})`));
      if (!closing) workers[slot] = spawn(slot);
    });
    return state;
  };
  const workers = Array.from({ length: count }, (_, slot) => spawn(slot));
  const run = (body: RawExport) =>
    new Promise<StageResult>((resolve, reject) => {
      const target = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      target.pending.set(id, { resolve, reject });
      // Handed over, not copied, unless the bytes share their memory with other buffers.
      const own = body.bytes.byteOffset === 0 && body.bytes.byteLength === body.bytes.buffer.byteLength && !(body.bytes.buffer instanceof SharedArrayBuffer);
      const bytes = own ? body.bytes : new Uint8Array(body.bytes);
      target.worker.postMessage({ id, ...body, bytes } satisfies IngestRequest, [bytes.buffer as ArrayBuffer]);
    });
  return {
    run,
    async close() {
      closing = true;
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}
