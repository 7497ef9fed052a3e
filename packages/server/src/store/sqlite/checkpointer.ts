// Starts and stops the checkpointer thread (checkpoint-worker.ts) for a database file whose
// writers run with background checkpoints.
import { Worker } from "node:worker_threads";

export class Checkpointer {
  readonly #worker: Worker;

  /** With `walLimitBytes`, a writer's WalGuard restarts the log past that size and this thread stands aside. */
  constructor(path: string, { log = () => {}, intervalMs = 200, walLimitBytes = null }: { log?: (line: string) => void; intervalMs?: number; walLimitBytes?: number | null } = {}) {
    this.#worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url), { workerData: { path, intervalMs, walLimitBytes } });
    this.#worker.on("message", (message: unknown) => {
      if (typeof message === "object" && message && "log" in message) log(String(message.log));
    });
  }

  /** Checkpoints what is left, truncates the log and ends the thread. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.#worker.on("message", (message) => message === "closed" && resolve());
      this.#worker.postMessage("stop");
    });
  }
}
