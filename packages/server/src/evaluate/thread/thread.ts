// The server's side of an evaluators' thread (the built-ins', the code evaluators'): starts it,
// waits for its modules to load (each import bounded by its evaluator's timeout), sends it
// transcripts and waits for results. Evaluating off the main thread keeps pages answering while
// a backlog is worked through: on the main thread, one session's frustration reading held every
// request back for ~18 ms.
// A call past its timeout terminates the thread (a busy loop never yields, so nothing less stops
// it) and the next call starts a fresh one; calls that were in flight with it fail and are retried.
import { Worker } from "node:worker_threads";
import type { FromWorker, ModuleToLoad, ToWorker } from "./worker.ts";

export interface LoadProblem {
  name: string;
  field: "module" | "export";
  message: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Running {
  worker: Worker;
  /** Settles once every module is imported or refused: the refusals. */
  ready: Promise<LoadProblem[]>;
  pending: Map<number, Pending>;
  /** Why it stopped, once it has. */
  stopped: string | null;
}

export class ModuleThread {
  readonly #modules: ModuleToLoad[];
  readonly #importMs: Map<string, number>;
  /** Whose thread this is, for messages: "the code evaluators". */
  readonly #whose: string;
  #running: Running | null = null;
  #nextId = 1;
  #closed = false;

  /** importMs: how long each module's import may take, by evaluator name. */
  constructor(modules: ModuleToLoad[], importMs: Map<string, number>, whose = "the code evaluators") {
    this.#modules = modules;
    this.#importMs = importMs;
    this.#whose = whose;
  }

  /** Starts the thread (if it is not running) and resolves with what could not be loaded. */
  async start(): Promise<LoadProblem[]> {
    return this.#live().ready;
  }

  /** The function's return value for this transcript; rejects on a throw, a crash or the timeout. */
  async call(name: string, transcript: unknown, timeoutMs: number): Promise<unknown> {
    const running = this.#live();
    const problem = (await running.ready).find((p) => p.name === name);
    if (problem) throw new Error(problem.message);
    if (running.stopped) throw new Error(running.stopped);
    const id = this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        running.pending.delete(id);
        reject(new Error(`timed out after ${timeoutMs} ms`));
        void this.#stop(running, `${this.#whose}' thread was restarted after "${name}" timed out`);
      }, timeoutMs);
      const settle = <T>(then: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        then(value);
      };
      running.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      running.worker.postMessage({ id, name, transcript } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#running) await this.#stop(this.#running, `${this.#whose} are stopped`);
  }

  #live(): Running {
    if (this.#closed) throw new Error(`${this.#whose} are stopped`);
    return (this.#running ??= this.#spawn());
  }

  #spawn(): Running {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { workerData: { modules: this.#modules } });
    // Idle, the thread does not keep the process alive; a call's timer does while one waits.
    worker.unref();
    const pending = new Map<number, Pending>();
    const problems: LoadProblem[] = [];
    let importing: string | null = null;
    let importTimer: ReturnType<typeof setTimeout> | undefined;
    let loaded!: (problems: LoadProblem[]) => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<LoadProblem[]>((resolve, reject) => {
      loaded = resolve;
      failed = reject;
    });
    ready.catch(() => {}); // whoever started the thread hears of it; a later failure is no one's
    const running: Running = { worker, ready, pending, stopped: null };
    // A load that cannot finish (a module looping at import) is that module's problem.
    const stuck = (message: string) => {
      clearTimeout(importTimer);
      if (importing === null) return failed(new Error(message));
      const name = importing;
      importing = null;
      problems.push({ name, field: "module", message: `cannot load ${this.#modules.find((m) => m.name === name)!.module}: ${message}` });
      loaded(problems);
    };
    worker.on("message", (message: FromWorker) => {
      if ("importing" in message) {
        importing = message.importing;
        const ms = this.#importMs.get(importing)!;
        clearTimeout(importTimer);
        importTimer = setTimeout(() => {
          stuck(`importing it did not finish within ${ms} ms`);
          void this.#stop(running, "a module did not finish importing");
        }, ms);
      } else if ("problem" in message) {
        problems.push(message.problem);
      } else if ("ready" in message) {
        clearTimeout(importTimer);
        importing = null;
        loaded(problems);
      } else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if ("error" in message) call?.reject(new Error(message.error));
        else call?.resolve(message.value);
      }
    });
    // An uncaught error in a module's stray callback, or process.exit() in one, ends the thread.
    let ended = "";
    worker.on("error", (error) => void (ended = error.message));
    worker.on("exit", (code) => {
      const why = `${this.#whose}' thread stopped (${ended || `exit code ${code}`})`;
      stuck(importing ? `the thread stopped while importing it (${ended || `exit code ${code}`})` : why);
      this.#failAll(running, why);
    });
    return running;
  }

  async #stop(running: Running, why: string): Promise<void> {
    this.#failAll(running, why);
    await running.worker.terminate();
  }

  #failAll(running: Running, why: string): void {
    if (this.#running === running) this.#running = null;
    running.stopped ??= why;
    for (const call of running.pending.values()) call.reject(new Error(why));
    running.pending.clear();
  }
}
