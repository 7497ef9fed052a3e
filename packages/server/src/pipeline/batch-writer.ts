// The batched writer: requests that arrive together share one store transaction (group
// commit), and each request's promise settles only once its spans are committed. The queue is
// bounded in spans and bytes, so a slow disk turns into back-pressure (503), never into memory
// growth.
import type { SpanRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

export interface BatchWriterOptions {
  /** Most spans committed in one transaction. */
  maxBatchSpans?: number;
  /** Most spans waiting for a commit before new requests are refused. */
  maxQueueSpans?: number;
  /** Most request bytes waiting for a commit before new requests are refused. */
  maxQueueBytes?: number;
}

/** The queue is full: the sender should retry later. */
export class QueueFullError extends Error {
  readonly retryAfterSeconds = 1;
}

interface Pending {
  spans: SpanRecord[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class BatchWriter {
  readonly #store: Store;
  readonly #maxBatchSpans: number;
  readonly #maxQueueSpans: number;
  readonly #maxQueueBytes: number;
  #queue: Pending[] = [];
  #queuedSpans = 0;
  #queuedBytes = 0;
  #draining: Promise<void> | null = null;

  constructor(store: Store, options: BatchWriterOptions = {}) {
    this.#store = store;
    this.#maxBatchSpans = options.maxBatchSpans ?? 10_000;
    this.#maxQueueSpans = options.maxQueueSpans ?? 200_000;
    this.#maxQueueBytes = options.maxQueueBytes ?? 256 * 1024 * 1024;
  }

  /** Resolves when the spans are committed; throws QueueFullError at once when the queue is full. */
  write(spans: SpanRecord[], bytes: number): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    if (this.#queue.length > 0 && (this.#queuedSpans + spans.length > this.#maxQueueSpans || this.#queuedBytes + bytes > this.#maxQueueBytes)) {
      throw new QueueFullError(`write queue full (${this.#queuedSpans} spans, ${this.#queuedBytes} bytes waiting)`);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ spans, bytes, resolve, reject });
      this.#queuedSpans += spans.length;
      this.#queuedBytes += bytes;
      this.#draining ??= this.#drain();
    });
  }

  /** Resolves once everything queued so far is committed. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Yield once so requests decoded in this turn of the event loop join the same commit.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#takeBatch();
      const spans = batch.flatMap((pending) => pending.spans);
      try {
        await this.#store.writeSpans(spans);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      } finally {
        for (const pending of batch) {
          this.#queuedSpans -= pending.spans.length;
          this.#queuedBytes -= pending.bytes;
        }
      }
    }
    this.#draining = null;
  }

  #takeBatch(): Pending[] {
    let count = 0;
    let take = 0;
    while (take < this.#queue.length && (take === 0 || count + this.#queue[take].spans.length <= this.#maxBatchSpans)) {
      count += this.#queue[take].spans.length;
      take++;
    }
    return this.#queue.splice(0, take);
  }
}
