// The bound on what waits for a commit: request bytes (counted before decoding) and spans
// (counted once decoded, on whichever thread decodes them). A slow disk turns into
// back-pressure (503 with Retry-After), never into memory growth. The counters live in shared
// memory so the ingest threads and the main thread keep one account.

/** The queue is full: the sender should retry later. */
export class QueueFullError extends Error {
  readonly retryAfterSeconds = 1;
}

export interface WriteQueueLimits {
  /** Most spans waiting for a commit before new requests are refused. */
  maxSpans: number;
  /** Most request bytes waiting for a commit before new requests are refused. */
  maxBytes: number;
}

const SPANS = 0;
const BYTES = 1;
const REQUESTS = 2;

export class WriteQueue {
  readonly limits: WriteQueueLimits;
  /** Pass to another thread's WriteQueue to share the account. */
  readonly memory: SharedArrayBuffer;
  readonly #counts: Int32Array;

  constructor(limits: WriteQueueLimits, memory = new SharedArrayBuffer(12)) {
    this.limits = limits;
    this.memory = memory;
    this.#counts = new Int32Array(memory);
  }

  /** Admits a request's bytes; throws QueueFullError when they do not fit (a lone request always does). */
  admitRequest(bytes: number): void {
    const before = Atomics.add(this.#counts, BYTES, bytes);
    if (Atomics.load(this.#counts, REQUESTS) > 0 && before + bytes > this.limits.maxBytes) {
      Atomics.sub(this.#counts, BYTES, bytes);
      throw new QueueFullError(`write queue full (${before} bytes waiting)`);
    }
    Atomics.add(this.#counts, REQUESTS, 1);
  }

  releaseRequest(bytes: number): void {
    Atomics.sub(this.#counts, BYTES, bytes);
    Atomics.sub(this.#counts, REQUESTS, 1);
  }

  /** Admits a decoded request's spans, unless others already fill the queue. */
  admitSpans(count: number): void {
    const before = Atomics.add(this.#counts, SPANS, count);
    if (before > 0 && before + count > this.limits.maxSpans) {
      Atomics.sub(this.#counts, SPANS, count);
      throw new QueueFullError(`write queue full (${before} spans waiting)`);
    }
  }

  releaseSpans(count: number): void {
    Atomics.sub(this.#counts, SPANS, count);
  }

  /**
   * Whether a request of `declaredBytes` (its Content-Length, 0 when unknown) would be refused:
   * checked before its body is read and inflated, so a full queue costs no memory or CPU.
   */
  refuses(declaredBytes: number): boolean {
    const { spans, bytes, requests } = this.depth();
    return requests > 0 && (bytes + declaredBytes > this.limits.maxBytes || spans >= this.limits.maxSpans);
  }

  /** What is admitted and not yet committed. */
  depth(): { spans: number; bytes: number; requests: number } {
    return { spans: Atomics.load(this.#counts, SPANS), bytes: Atomics.load(this.#counts, BYTES), requests: Atomics.load(this.#counts, REQUESTS) };
  }
}
