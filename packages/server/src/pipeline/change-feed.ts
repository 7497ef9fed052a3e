// Tells live clients what committed writes touched: per project, the sessions and traces, at
// most a few times a second (a busy project would otherwise flood every open page).
import { EventEmitter } from "node:events";
import type { ChangeEvent } from "../api/types.ts";
import type { SpanRecord } from "../store/records.ts";

const COALESCE_MS = 250;

export class ChangeFeed {
  readonly #emitter = new EventEmitter();
  readonly #pending = new Map<string, { sessionIds: Set<string>; traceIds: Set<string> }>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  /** Records committed spans; listeners hear about them shortly. */
  published(spans: SpanRecord[]): void {
    for (const span of spans) this.touched(span.project, span.sessionId, span.traceId);
  }

  /** Records a change to a session and/or trace (a span, an annotation). */
  touched(project: string, sessionId: string | null, traceId: string | null): void {
    let entry = this.#pending.get(project);
    if (!entry) this.#pending.set(project, (entry = { sessionIds: new Set(), traceIds: new Set() }));
    if (sessionId) entry.sessionIds.add(sessionId);
    if (traceId) entry.traceIds.add(traceId);
    this.#timer ??= setTimeout(() => this.#flush(), COALESCE_MS);
  }

  /**
   * Calls `listener` with each change of the project, and `onClose` when the feed closes (the
   * server is stopping); returns the function that unsubscribes.
   */
  subscribe(project: string, listener: (event: ChangeEvent) => void, onClose: () => void): () => void {
    const handler = (event: ChangeEvent) => event.project === project && listener(event);
    this.#emitter.on("change", handler);
    this.#emitter.on("close", onClose);
    return () => {
      this.#emitter.off("change", handler);
      this.#emitter.off("close", onClose);
    };
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#emitter.emit("close");
    this.#emitter.removeAllListeners();
  }

  #flush(): void {
    this.#timer = null;
    for (const [project, entry] of this.#pending) {
      this.#emitter.emit("change", { project, sessionIds: [...entry.sessionIds], traceIds: [...entry.traceIds] } satisfies ChangeEvent);
    }
    this.#pending.clear();
  }
}
