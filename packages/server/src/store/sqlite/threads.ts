// Request/reply over worker threads and message ports: each call is posted with an id and
// resolves with the other side's answer to it. A pool spreads calls over several threads, each
// to the least busy.
import { Worker, type MessagePort } from "node:worker_threads";
import type { Reply } from "./read-api.ts";

/** Request/reply over anything that posts messages both ways (a worker, a message port). */
export class Calls {
  readonly #endpoint: Worker | MessagePort;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #exited: Error | null = null;

  constructor(endpoint: Worker | MessagePort, log: (line: string) => void = () => {}) {
    this.#endpoint = endpoint;
    endpoint.on("message", (message: Reply | { log: string }) => {
      if ("log" in message) return log(message.log);
      const call = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(message.error));
      else call?.resolve(message.result);
    });
  }

  get pending(): number {
    return this.#pending.size;
  }

  call<T>(message: object): Promise<T> {
    if (this.#exited) return Promise.reject(this.#exited);
    return new Promise<T>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#endpoint.postMessage({ ...message, id });
    });
  }

  failAll(error: Error): void {
    this.#exited = error;
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }
}

/** A worker thread, called like `Calls`. */
export class Thread extends Calls {
  readonly #worker: Worker;

  constructor(script: URL, workerData: unknown, log: (line: string) => void) {
    const worker = new Worker(script, { workerData });
    super(worker, log);
    this.#worker = worker;
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", (code) => this.failAll(new Error(`a SQLite thread exited (code ${code})`)));
  }

  post(message: unknown, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer as never);
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }
}

export class ThreadPool {
  readonly #threads: Thread[];

  constructor(size: number, make: () => Thread) {
    this.#threads = Array.from({ length: size }, make);
  }

  call<T>(message: object): Promise<T> {
    let best = this.#threads[0];
    for (const thread of this.#threads) if (thread.pending < best.pending) best = thread;
    return best.call<T>(message);
  }

  async close(message: unknown): Promise<void> {
    for (const thread of this.#threads) thread.post(message);
    await Promise.all(this.#threads.map((thread) => thread.terminate()));
  }
}
