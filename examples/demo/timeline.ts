// The demo plays every conversation within a few seconds; this replays each one at its own time
// over the last two weeks, as a real app's traffic would have come in: before export, a session's
// spans move to its place in the fortnight, each turn comes minutes after the one before (the user
// reads and types), now and then after an idle gap of an hour or two, and a turn's own pace is
// slowed down (a model answers in seconds, not milliseconds). A device of the demo only: an app's
// spans carry their real times.
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
export const DAYS = 14;
/** Real milliseconds within a turn become this many times longer. */
export const STRETCH = 60;
/** Between a session's turns: 40 s to 4 min; one turn in six comes back after 20 min to 2 h. */
const thinkMs = (n: number) => 40_000 + (n % 200) * 1_000;
const idleMs = (n: number) => 20 * MINUTE_MS + (n % 100) * 60 * 1_000;
/** A session's turns never run past this, so the latest one still ends before now. */
const MAX_SESSION_MS = 5 * HOUR_MS;

type HrTime = [number, number];
const toMs = ([s, ns]: HrTime) => s * 1000 + ns / 1e6;
const toHr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

interface Placed {
  hash: number;
  /** When it really started (ms) and when it is to have started. */
  realMs: number;
  shownMs: number;
  /** Per trace (turn), in the order the turns ran: how far it is moved past the stretched time. */
  turnOffsets: Map<string, number>;
  nextOffsetMs: number;
}

export class Timeline {
  readonly #sessions = new Map<string, Placed>();

  /**
   * The session's place: `index` spreads sessions over the days (0 = today) and `hash` over the
   * hours, always far enough before now for its last turn to end in the past.
   */
  place(sessionId: string, index: number, hash: number, now = Date.now()): void {
    const day = index % DAYS;
    const startsAgoMs = day * 24 * HOUR_MS + MAX_SESSION_MS + (hash % 14) * HOUR_MS;
    this.#sessions.set(sessionId, { hash, realMs: now, shownMs: now - startsAgoMs, turnOffsets: new Map(), nextOffsetMs: 0 });
  }

  /** Where a real time of a session's turn is shown. */
  shift(sessionId: string, traceId: string, realMs: number): number {
    const s = this.#sessions.get(sessionId);
    if (!s) return realMs;
    let offset = s.turnOffsets.get(traceId);
    if (offset === undefined) {
      const turn = s.turnOffsets.size;
      const n = s.hash + turn * 7919;
      if (turn > 0) s.nextOffsetMs = Math.min(s.nextOffsetMs + (n % 6 === 5 ? idleMs(n) : thinkMs(n)), MAX_SESSION_MS - HOUR_MS);
      offset = s.nextOffsetMs;
      s.turnOffsets.set(traceId, offset);
    }
    return s.shownMs + offset + (realMs - s.realMs) * STRETCH;
  }

  /** An exporter that sends the spans at their places. */
  exporter(inner: SpanExporter): SpanExporter {
    const moved = (span: ReadableSpan): ReadableSpan => {
      const sessionId = span.attributes["session.id"];
      if (typeof sessionId !== "string" || !this.#sessions.has(sessionId)) return span;
      const traceId = span.spanContext().traceId;
      const at = (t: HrTime) => toHr(this.shift(sessionId, traceId, toMs(t)));
      return Object.create(span, {
        startTime: { value: at(span.startTime) },
        endTime: { value: at(span.endTime) },
        duration: { value: toHr(toMs(span.duration) * STRETCH) },
        events: { value: span.events.map((e) => ({ ...e, time: at(e.time) })) },
      }) as ReadableSpan;
    };
    return {
      // In start order, so a session's turns take their offsets in the order they ran.
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => {
        const inOrder = [...spans].sort((a, b) => toMs(a.startTime) - toMs(b.startTime));
        inner.export(inOrder.map(moved), done);
      },
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
  }
}
