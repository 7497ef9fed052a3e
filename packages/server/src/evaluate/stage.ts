// The evaluation stage, in the background: marks sessions idle once they have been quiet for
// their project's idle time, queues the evaluators for every idle or closed session not yet
// evaluated at its version, and works through the queue a few jobs at a time. Jobs live in the
// store (a restart loses none; a job is taken under a lease, and its result is written with it in
// one transaction, so none completes twice); a failure is retried with backoff, then recorded.
import type { EvaluationJob, EvaluationOutcome, Store } from "../store/store.ts";
import type { Evaluator } from "./evaluators/index.ts";
import { BudgetSpent } from "./llm/judge.ts";
import { readTranscript, type Transcript } from "./transcript.ts";

export const DEFAULT_IDLE_MS = 15 * 60_000;
/** Attempts before a job is recorded as failed; the waits between them double from 2 s. */
export const MAX_ATTEMPTS = 5;
const BATCH = 500;
/** Jobs taken at once: each batch's claim and results wait behind an ingest commit, so a batch is worth filling. */
const BATCH_JOBS = 64;
/** The wait between passes is at least this many times the last pass's looking. */
const POLL_RATIO = 20;
/** After sessions ended, the wait is at least this many times it: looking at most a fifth of the time while sessions keep ending. */
const WAKE_RATIO = 4;
const MAX_WAIT_MS = 60_000;

export interface EvaluationStageOptions {
  store: Store;
  evaluators: Evaluator[];
  /** A project's quiet time before its sessions count as idle. */
  idleMs: (project: string) => number;
  /**
   * How often to look for idle and closed sessions and due jobs. Default: a quarter of the
   * shortest idle time, 250 ms to 5 s, or 20 times as long as the last look took (at most a
   * minute); after sessions ended (wake), 4 times.
   */
  tickMs?: number;
  /** Jobs run at once. Default 2. */
  concurrency?: number;
  /**
   * While the server is busy (exports or pages in the last second), the share of time the runner
   * works: after each batch it rests for as long as the batch took times (1 - share) / share, so a backlog never crowds out ingest and browsing. Default 0.2; when
   * nothing else happens it works without rest.
   */
  share?: number;
  /** Whether exports or pages are being served now. Default: always. */
  busy?: () => boolean;
  /** How long a taken job is someone's before another run may take it. Default 2 minutes. */
  leaseMs?: number;
  log?: (message: string) => void;
  onFinished?: (evaluator: string, outcome: "done" | "retry" | "failed") => void;
}

export class EvaluationStage {
  readonly #o: EvaluationStageOptions;
  readonly #byName: Map<string, Evaluator>;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** When the timer fires (ms since the epoch). */
  #due = 0;
  #tick = 5_000;
  /** Sessions ended since the last pass began. */
  #woken = false;
  #passEnded = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  /** Ends the rest between batches early (on stop). */
  #wake: (() => void) | null = null;
  readonly #unconfiguredLogged = new Set<string>();
  /** How long the last pass took to look for work (not to do it). */
  #lookMs = 0;

  constructor(options: EvaluationStageOptions) {
    this.#o = options;
    this.#byName = new Map(options.evaluators.map((e) => [e.name, e]));
  }

  get evaluators(): Evaluator[] {
    return [...this.#byName.values()];
  }

  start(projectsIdleMs: number[] = []): void {
    const shortest = Math.min(this.#o.idleMs(""), ...projectsIdleMs);
    this.#tick = Math.max(250, Math.min(5_000, shortest / 4));
    this.#passEnded = Date.now();
    this.#schedule();
  }

  /**
   * Sessions ended (their last turn said so): their evaluations are due now, so the next look
   * comes sooner than the one for idle sessions. Closes through the API and on-demand runs do not
   * wait at all (they call runOnce).
   */
  wake(): void {
    this.#woken = true;
    if (this.#timer) this.#schedule();
  }

  /** Sets the timer for the next pass, unless one is set sooner. */
  #schedule(): void {
    if (this.#stopped) return;
    // Looking costs a pass over every session (idle ones, due ones, due jobs): on a large
    // ClickHouse store, a fraction of a second or more. Unless a tick was configured, waiting
    // POLL_RATIO times that long (at most a minute) keeps looking under 5% of the store's time.
    const ratio = this.#woken ? WAKE_RATIO : POLL_RATIO;
    const due = this.#passEnded + (this.#o.tickMs ?? Math.min(MAX_WAIT_MS, Math.max(this.#tick, this.#lookMs * ratio)));
    if (this.#timer) {
      if (due >= this.#due) return;
      clearTimeout(this.#timer);
    }
    this.#due = due;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#woken = false;
      void this.runOnce().finally(() => {
        this.#passEnded = Date.now();
        this.#schedule();
      });
    }, Math.max(0, due - Date.now()));
    this.#timer.unref();
  }

  /** One pass: idle sessions, due jobs, and the queue worked through. Concurrent calls share it. */
  runOnce(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#pass();
      } while (this.#again && !this.#stopped);
    })().finally(() => (this.#running = null));
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    await this.#running;
  }

  async #pass(): Promise<void> {
    const { store, log = () => {} } = this.#o;
    const names = this.evaluators.map((e) => e.name);
    try {
      const started = performance.now();
      for (const name of await store.projectNames()) {
        const quietBefore = (Date.now() - this.#o.idleMs(name)) * 1000;
        while ((await store.markIdleSessions(name, quietBefore, BATCH)) === BATCH && !this.#stopped);
        if (names.length) while ((await store.scheduleEvaluations(name, names, BATCH)) === BATCH && !this.#stopped);
      }
      this.#lookMs = performance.now() - started;
      this.#lookMs += await this.#drain();
    } catch (error) {
      log(`evaluations: ${(error as Error).message}; trying again shortly`);
    }
  }

  /** Works through the due jobs; how long the last claim, the one that found none, took. */
  async #drain(): Promise<number> {
    const { store, concurrency = 2, leaseMs = 120_000 } = this.#o;
    while (!this.#stopped) {
      // A batch's results go to the writer in one call: each call waits behind an ingest commit.
      const batchStarted = performance.now();
      const jobs = await store.claimEvaluations(BATCH_JOBS, leaseMs * 1000);
      if (jobs.length === 0) return performance.now() - batchStarted;
      // A session's evaluators share one transcript.
      const groups = [...Map.groupBy(jobs, (job) => `${job.project}\u0000${job.sessionId}`).values()];
      const finished: Array<{ job: EvaluationJob; outcome: EvaluationOutcome }> = [];
      for (let i = 0; i < groups.length; i += concurrency) {
        for (const done of await Promise.all(groups.slice(i, i + concurrency).map((group) => this.#runSession(group)))) finished.push(...done);
        // Leave the event loop to exports and pages between groups.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await store.finishEvaluations(finished);
      for (const { job, outcome } of finished) this.#report(job, outcome);
      // The whole batch counts, its waits for the writer included: measured, resting on the
      // reading and evaluating alone let a backlog cost ingest 11% and session pages 4x.
      // A batch short of full emptied the queue: resting after it would only hold up jobs asked for meanwhile.
      const share = this.#o.share ?? 0.2;
      const batchMs = performance.now() - batchStarted;
      if (jobs.length === BATCH_JOBS && share < 1 && (this.#o.busy?.() ?? true)) await this.#rest((batchMs * (1 - share)) / share);
    }
    return 0;
  }

  #rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #runSession(jobs: EvaluationJob[]): Promise<Array<{ job: EvaluationJob; outcome: EvaluationOutcome }>> {
    // Jobs queued before their evaluator left the configuration: recorded as failed, and the
    // session is not read for them (a backlog of them once cost reads 4x while it drained).
    if (!jobs.some((job) => this.#byName.has(job.evaluator))) return jobs.map((job) => ({ job, outcome: unconfigured(job) }));
    let transcript: Transcript | null;
    try {
      transcript = await readTranscript(this.#o.store.backgroundReads(), jobs[0].project, jobs[0].sessionId);
    } catch (error) {
      return jobs.map((job) => ({ job, outcome: this.#failure(job, `reading the session failed: ${(error as Error).message}`) }));
    }
    const finished: Array<{ job: EvaluationJob; outcome: EvaluationOutcome }> = [];
    for (const job of jobs) {
      const evaluator = this.#byName.get(job.evaluator);
      let outcome: EvaluationOutcome;
      if (!transcript) outcome = { result: null }; // deleted meanwhile: nothing to evaluate
      else if (!evaluator) outcome = unconfigured(job);
      else {
        try {
          outcome = { result: await evaluator.run(transcript) };
        } catch (error) {
          // A spent budget is not the job's fault: it waits for the next day, however often.
          outcome = error instanceof BudgetSpent ? { error: error.message, retryAtUs: error.retryAtUs } : this.#failure(job, (error as Error).message);
        }
      }
      finished.push({ job, outcome });
    }
    return finished;
  }

  #failure(job: EvaluationJob, error: string): EvaluationOutcome {
    const retryAtUs = job.attempts >= MAX_ATTEMPTS ? null : (Date.now() + 2 ** job.attempts * 1000) * 1000;
    return { error, retryAtUs };
  }

  #report(job: EvaluationJob, outcome: EvaluationOutcome): void {
    const state = "error" in outcome ? (outcome.retryAtUs == null ? "failed" : "retry") : "done";
    if (state === "failed" && !this.#byName.has(job.evaluator)) {
      // Once per evaluator, not once for each of a backlog's jobs.
      if (!this.#unconfiguredLogged.has(job.evaluator)) {
        this.#unconfiguredLogged.add(job.evaluator);
        this.#o.log?.(`evaluations: jobs of "${job.evaluator}", which is no longer configured, are recorded as failed (logged once)`);
      }
    } else if (state === "failed") {
      this.#o.log?.(`evaluation ${job.evaluator} of session "${job.sessionId}" failed after ${job.attempts} attempts: ${(outcome as { error: string }).error}`);
    }
    this.#o.onFinished?.(job.evaluator, state);
  }
}

function unconfigured(job: EvaluationJob): EvaluationOutcome {
  return { error: `no evaluator named "${job.evaluator}" is configured`, retryAtUs: null };
}
