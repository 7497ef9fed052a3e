// The soak's ingest traffic, generated ahead on a worker thread (soak-worker.ts) so generation
// does not stall the clients' event loop (their latencies are timed on it). `take()` waits for
// (and reserves) a generated batch; then `batches` hands it to sendAll without blocking. The
// buffer holds at most `ahead` batches.
import { Worker } from "node:worker_threads";
import type { Batch } from "../traffic.ts";
import type { SoakTrafficOptions } from "./soak-worker.ts";

export interface SoakTraffic {
  /** Resolves once a batch is buffered for the caller (rejects when the generator died). */
  take(): Promise<void>;
  batches: Iterable<Batch>;
  /** Resolves once the buffer is first full: a clock started before it would open with a burst of late slots. */
  filled: Promise<void>;
  /** Stops the generator; pending take()s resolve (the caller's stop() then ends its loop). */
  stop(): Promise<void>;
}

export function soakTraffic(options: SoakTrafficOptions, ahead: number): SoakTraffic {
  const worker = new Worker(new URL("./soak-worker.ts", import.meta.url), { workerData: options });
  const buffer: Batch[] = [];
  const waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let requested = 0;
  let reserved = 0;
  let failure: Error | null = null;
  let stopped = false;
  let markFilled = () => {};
  let failFilled = (_error: Error) => {};
  const filled = new Promise<void>((resolve, reject) => {
    markFilled = resolve;
    failFilled = reject;
  });

  const wake = () => {
    while (waiters.length && (stopped || buffer.length > reserved)) {
      if (!stopped) reserved++;
      waiters.shift()!.resolve();
    }
  };
  // Ask for more once half the buffer is used: fewer, larger messages.
  const topUp = () => {
    const want = ahead - buffer.length - requested;
    if (!stopped && want >= ahead / 2) {
      requested += want;
      worker.postMessage({ credit: want });
    }
  };
  const fail = (error: Error) => {
    failure ??= error;
    failFilled(failure);
    for (const waiter of waiters.splice(0)) waiter.reject(failure);
  };
  worker.on("message", (message: { batches: Batch[] }) => {
    requested -= message.batches.length;
    buffer.push(...message.batches);
    if (requested === 0) markFilled();
    wake();
  });
  worker.once("error", fail);
  worker.once("exit", (code) => {
    if (!stopped) fail(new Error(`the traffic generator thread exited with ${code}`));
  });
  topUp();

  return {
    filled,
    take: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        waiters.push({ resolve, reject });
        wake();
      }),
    batches: {
      [Symbol.iterator]: () => ({
        next: (): IteratorResult<Batch> => {
          const value = buffer.shift();
          if (!value) return { done: true, value: undefined };
          reserved = Math.max(0, reserved - 1);
          topUp();
          return { done: false, value };
        },
      }),
    },
    async stop() {
      stopped = true;
      wake();
      await worker.terminate();
    },
  };
}
