// What redaction replaced, per project and detector, counted on the main thread from what the
// ingest threads report, for the API (GET /api/v1/projects/:project/redaction). Since the server
// started: the lasting series is the Prometheus counter threadline_redactions_total.
import type { RedactionCount } from "./redactor.ts";
import { projectRedaction, type RedactionPlan } from "./settings.ts";

export interface RedactionStatus {
  project: string;
  /** The built-in detectors on, in the order they apply. */
  detectors: string[];
  /** The names of the project's own patterns, applied after them. */
  patterns: string[];
  /** Values replaced since `since`, by detector or pattern name. */
  redacted: Record<string, number>;
  total: number;
  since: string;
}

export class RedactionCounts {
  readonly #since = new Date().toISOString();
  readonly #plan: Pick<RedactionPlan, "defaults" | "projects">;
  readonly #counts = new Map<string, Map<string, number>>();

  constructor(plan: Pick<RedactionPlan, "defaults" | "projects">) {
    this.#plan = plan;
  }

  add(counts: readonly RedactionCount[]): void {
    for (const [project, detector, n] of counts) {
      let byDetector = this.#counts.get(project);
      if (!byDetector) this.#counts.set(project, (byDetector = new Map()));
      byDetector.set(detector, (byDetector.get(detector) ?? 0) + n);
    }
  }

  status(project: string): RedactionStatus {
    const { detectors, patterns } = projectRedaction(this.#plan.defaults, this.#plan.projects?.[project]?.redaction);
    const redacted = Object.fromEntries([...(this.#counts.get(project) ?? [])].sort(([a], [b]) => a.localeCompare(b)));
    const total = Object.values(redacted).reduce((sum, n) => sum + n, 0);
    return { project, detectors, patterns: patterns.map((p) => p.name), redacted, total, since: this.#since };
  }
}
