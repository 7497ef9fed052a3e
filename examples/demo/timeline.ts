// The demo plays every conversation within a few seconds; this replays each one at its own time
// over the last week, as a real app's traffic would have come in: before export, a session's
// spans move to its place in the week, and its pace is slowed down (a user reads and types for
// seconds, not milliseconds). A device of the demo only: an app's spans carry their real times.
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

const HOUR_MS = 3_600_000;
/** Real milliseconds between the demo's turns become this many times longer. */
export const STRETCH = 60;

type HrTime = [number, number];
const toMs = ([s, ns]: HrTime) => s * 1000 + ns / 1e6;
const toHr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

export class Timeline {
  /** Per session: when it really started (ms) and when it is to have started. */
  readonly #sessions = new Map<string, { realMs: number; shownMs: number }>();

  /**
   * The session's place: `index` spreads sessions over the days of the week (0 = today) and
   * `hash` over the hours, always ending before now.
   */
  place(sessionId: string, index: number, hash: number, now = Date.now()): void {
    const day = index % 7;
    const hoursAgo = day * 24 + 1 + (hash % 18);
    this.#sessions.set(sessionId, { realMs: now, shownMs: now - hoursAgo * HOUR_MS });
  }

  /** Where a real time of the session is shown. */
  shift(sessionId: string, realMs: number): number {
    const s = this.#sessions.get(sessionId);
    return s ? s.shownMs + (realMs - s.realMs) * STRETCH : realMs;
  }

  /** An exporter that sends the spans at their places. */
  exporter(inner: SpanExporter): SpanExporter {
    const moved = (span: ReadableSpan): ReadableSpan => {
      const sessionId = span.attributes["session.id"];
      if (typeof sessionId !== "string" || !this.#sessions.has(sessionId)) return span;
      const at = (t: HrTime) => toHr(this.shift(sessionId, toMs(t)));
      return Object.create(span, {
        startTime: { value: at(span.startTime) },
        endTime: { value: at(span.endTime) },
        duration: { value: toHr(toMs(span.duration) * STRETCH) },
        events: { value: span.events.map((e) => ({ ...e, time: at(e.time) })) },
      }) as ReadableSpan;
    };
    return {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => inner.export(spans.map(moved), done),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
  }
}
