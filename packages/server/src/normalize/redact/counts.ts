// What redaction replaced, per project and detector: counted on the main thread from what the
// ingest threads report once an export's spans are committed, and kept in the store (flushed
// every second and on close, so a busy stream of exports costs one small write a second), so
// the API's counts survive a restart. The Prometheus counter threadline_redactions_total is
// the same count as a time series.
import type { Store } from "../../store/store.ts";
import type { RedactionCount } from "./redactor.ts";
import { projectRedaction, type RedactionPlan } from "./settings.ts";

export interface RedactionStatus {
  project: string;
  /** The built-in detectors on, in the order they apply. */
  detectors: string[];
  /** The names of the project's own patterns, applied after them. */
  patterns: string[];
  /** Values replaced, by detector or pattern name. */
  redacted: Record<string, number>;
  total: number;
}

const FLUSH_MS = 1_000;

export class RedactionCounts {
  readonly #plan: Pick<RedactionPlan, "defaults" | "projects">;
  readonly #store: Pick<Store, "addRedactions" | "redactionCounts">;
  /** Counted, not yet in the store. */
  #pending: RedactionCount[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(plan: Pick<RedactionPlan, "defaults" | "projects">, store: Pick<Store, "addRedactions" | "redactionCounts">) {
    this.#plan = plan;
    this.#store = store;
  }

  add(counts: readonly RedactionCount[]): void {
    this.#pending.push(...counts);
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes what is pending; the close path awaits it before the store closes. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) {
      // A failed write keeps the counts for the next flush rather than losing them.
      this.#flushing = this.#flushing.then(() => this.#store.addRedactions(batch)).catch(() => this.add(batch));
    }
    return this.#flushing;
  }

  async status(project: string): Promise<RedactionStatus> {
    const { detectors, patterns } = projectRedaction(this.#plan.defaults, this.#plan.projects?.[project]?.redaction);
    const counts = new Map(Object.entries(await this.#store.redactionCounts(project)));
    for (const [p, detector, n] of this.#pending) if (p === project) counts.set(detector, (counts.get(detector) ?? 0) + n);
    const redacted = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
    const total = Object.values(redacted).reduce((sum, n) => sum + n, 0);
    return { project, detectors, patterns: patterns.map((p) => p.name), redacted, total };
  }
}
