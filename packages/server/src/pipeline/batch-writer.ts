// The write stage of the ingest pipeline: it admits requests' spans to the store within a bound
// on spans and bytes waiting to be committed, so a slow disk turns into back-pressure (503 with
// Retry-After), never into memory growth. Each request's promise settles only once its spans
// are committed. Requests are handed on at once; the store groups whatever is waiting into one
// transaction (group commit; see store/sqlite/write-worker.ts).
import type { SpanRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

export interface BatchWriterOptions {
  /** Most spans waiting for a commit before new requests are refused. */
  maxQueueSpans?: number;
  /** Most request bytes waiting for a commit before new requests are refused. */
  maxQueueBytes?: number;
}

/** The queue is full: the sender should retry later. */
export class QueueFullError extends Error {
  readonly retryAfterSeconds = 1;
}

export class BatchWriter {
  readonly #store: Store;
  readonly #maxQueueSpans: number;
  readonly #maxQueueBytes: number;
  #queuedSpans = 0;
  #queuedBytes = 0;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(store: Store, options: BatchWriterOptions = {}) {
    this.#store = store;
    this.#maxQueueSpans = options.maxQueueSpans ?? 200_000;
    this.#maxQueueBytes = options.maxQueueBytes ?? 256 * 1024 * 1024;
  }

  /** Resolves when the spans are committed; throws QueueFullError at once when the queue is full. */
  write(spans: SpanRecord[], bytes: number): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    const busy = this.#inFlight.size > 0;
    if (busy && (this.#queuedSpans + spans.length > this.#maxQueueSpans || this.#queuedBytes + bytes > this.#maxQueueBytes)) {
      throw new QueueFullError(`write queue full (${this.#queuedSpans} spans, ${this.#queuedBytes} bytes waiting)`);
    }
    this.#queuedSpans += spans.length;
    this.#queuedBytes += bytes;
    const committed = this.#store.writeSpans(spans).finally(() => {
      this.#queuedSpans -= spans.length;
      this.#queuedBytes -= bytes;
      this.#inFlight.delete(committed);
    });
    this.#inFlight.add(committed);
    return committed;
  }

  /** Resolves once everything admitted so far is committed (or failed). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }
}
