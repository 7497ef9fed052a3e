// Prometheus metrics (prom-client): what was received, kept and refused and why, the write
// queue, how long exports take to commit, and API latency by route. Served at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Why spans or whole exports were refused. */
export type RefusedReason = "invalid" | "decode" | "too_large" | "queue_full" | "unauthorized" | "store_error";

export class Metrics {
  readonly registry = new Registry();
  readonly #received: Counter;
  readonly #accepted: Counter;
  readonly #rejected: Counter;
  readonly #exportSeconds: Histogram;
  readonly #requestSeconds: Histogram;
  readonly #deleted: Counter;
  readonly #evaluations: Counter;
  readonly #redactions: Counter;

  constructor(queueDepth: () => { spans: number; bytes: number; requests: number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "threadline_" });
    this.#received = new Counter({ name: "threadline_spans_received_total", help: "Spans in decoded exports", registers });
    this.#accepted = new Counter({ name: "threadline_spans_accepted_total", help: "Spans committed", registers });
    this.#rejected = new Counter({ name: "threadline_spans_rejected_total", help: "Spans or exports refused, by reason (exports whose spans were never counted add 0 spans and 1 export)", labelNames: ["reason", "unit"], registers });
    this.#exportSeconds = new Histogram({
      name: "threadline_export_commit_seconds", help: "From an export's body read to its spans committed", registers,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.#requestSeconds = new Histogram({
      name: "threadline_http_request_seconds", help: "API and UI requests by route, method and status", labelNames: ["route", "method", "status"], registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.#deleted = new Counter({ name: "threadline_traces_deleted_total", help: "Traces deleted, by erasure (the API) or retention", labelNames: ["reason"], registers });
    this.#evaluations = new Counter({ name: "threadline_evaluation_jobs_total", help: "Evaluation jobs finished, by evaluator and outcome (done, retry, failed)", labelNames: ["evaluator", "outcome"], registers });
    this.#redactions = new Counter({ name: "threadline_redactions_total", help: "Values replaced by redaction before storing, by project and detector (or pattern name)", labelNames: ["project", "detector"], registers });
    for (const [name, key] of [["spans", "spans"], ["bytes", "bytes"], ["requests", "requests"]] as const) {
      new Gauge({ name: `threadline_write_queue_${name}`, help: `${name} admitted and not yet committed`, registers, collect() { this.set(queueDepth()[key]); } });
    }
  }

  exported(received: number, rejected: number, seconds: number): void {
    this.#received.inc(received);
    this.#accepted.inc(received - rejected);
    if (rejected > 0) this.#rejected.inc({ reason: "invalid", unit: "spans" }, rejected);
    this.#exportSeconds.observe(seconds);
  }

  /** A whole export refused. */
  refused(reason: RefusedReason): void {
    this.#rejected.inc({ reason, unit: "exports" });
  }

  deleted(reason: "erasure" | "retention", traces: number): void {
    this.#deleted.inc({ reason }, traces);
  }

  evaluated(evaluator: string, outcome: "done" | "retry" | "failed"): void {
    this.#evaluations.inc({ evaluator, outcome });
  }

  redacted(project: string, detector: string, count: number): void {
    this.#redactions.inc({ project, detector }, count);
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.#requestSeconds.observe({ route, method, status: String(status) }, seconds);
  }
}
