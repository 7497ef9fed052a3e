// Retention: a background stage that deletes, per project, the traces that started longer ago
// than the project keeps data (in days), as deletion does, so the rollups of what remains stay
// exact. It runs shortly after start-up and then every `intervalMs`, one project at a time.
import type { Store } from "../store/store.ts";

export const DAY_US = 86_400_000_000;

export interface RetentionPolicy {
  /** Days kept when a project has no setting of its own; null keeps everything. */
  days: number | null;
  /** Per project name. */
  projects: Record<string, { retentionDays?: number | null }>;
}

export interface RetentionOptions {
  store: Store;
  policy: RetentionPolicy;
  /** Default an hour. */
  intervalMs?: number;
  /** Default 10 s after start-up, off the start-up's busiest moment. */
  firstRunMs?: number;
  now?: () => number;
  log?: (message: string) => void;
  onExpired?: (traces: number) => void;
}

export class RetentionJob {
  readonly #options: RetentionOptions;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(options: RetentionOptions) {
    this.#options = options;
  }

  /** How many days the project keeps; null: forever. */
  daysOf(project: string): number | null {
    const own = this.#options.policy.projects[project]?.retentionDays;
    return own !== undefined ? own : this.#options.policy.days;
  }

  start(): void {
    if (!this.#enabled()) return;
    this.#schedule(this.#options.firstRunMs ?? 10_000);
  }

  /** One pass over every project; resolves when done. */
  runOnce(): Promise<void> {
    return (this.#running ??= this.#pass().finally(() => (this.#running = null)));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #enabled(): boolean {
    const { days, projects } = this.#options.policy;
    return days != null || Object.values(projects).some((p) => p.retentionDays != null);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.runOnce().finally(() => this.#schedule(this.#options.intervalMs ?? 3_600_000));
    }, ms);
    this.#timer.unref();
  }

  async #pass(): Promise<void> {
    const { store, log = () => {}, onExpired = () => {} } = this.#options;
    const now = (this.#options.now ?? Date.now)() * 1000;
    for (const name of await store.projectNames()) {
      const days = this.daysOf(name);
      if (days == null || this.#stopped) continue;
      try {
        const expired = await store.expireBefore(name, now - days * DAY_US);
        if (expired.traces > 0) {
          onExpired(expired.traces);
          log(`retention: project "${name}" keeps ${days} days; deleted ${expired.traces} traces (${expired.spans} spans, ${expired.sessions} whole sessions)`);
        }
      } catch (error) {
        log(`retention: project "${name}" failed: ${(error as Error).message}; trying again next run`);
      }
    }
  }
}
