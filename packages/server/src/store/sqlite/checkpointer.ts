// Starts and stops the checkpointer thread (checkpoint-worker.ts) for a database file whose
// writers run with background checkpoints.
import { Worker } from "node:worker_threads";

export class Checkpointer {
  readonly #worker: Worker;

  constructor(path: string, intervalMs = 200) {
    this.#worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url), { workerData: { path, intervalMs } });
  }

  /** Checkpoints what is left, truncates the log and ends the thread. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.#worker.once("message", () => resolve());
      this.#worker.postMessage("stop");
    });
  }
}
