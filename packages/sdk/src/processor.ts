import { diag, type Context } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace-node";
import { TAG_TAGS, parseTags, readContextAttributes } from "./attributes.ts";

export type ThreadlineSpanProcessorOptions = {
  /**
   * Take session and user ids from inbound W3C baggage when the context has none (default true), so a
   * downstream service joins the caller's session. Turn off at a trust boundary: callers could pick them.
   */
  readBaggage?: boolean;
};

/**
 * Stamps the context's session, user, metadata, tags, prompt template and generic attributes (set with
 * `withAttributes` and friends, or openinference-core's setters) onto every span when it starts,
 * including spans from tracers that know nothing about OpenInference (HTTP, databases, your own).
 * Attributes the span already has win: its creator knows best.
 */
export class ThreadlineSpanProcessor implements SpanProcessor {
  private readonly readBaggage: boolean;

  constructor(options: ThreadlineSpanProcessorOptions = {}) {
    this.readBaggage = options.readBaggage !== false;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      const attributes = readContextAttributes(parentContext, this.readBaggage);
      if (attributes === undefined) return;
      const existing = span.attributes;
      for (const key in attributes) {
        const value = attributes[key];
        if (value !== undefined && existing[key] === undefined) span.setAttribute(key, value);
      }
    } catch (error) {
      diag.warn("threadline: could not copy context attributes onto span", error);
    }
  }

  /**
   * OpenInference tracers (every openinference-instrumentation-* package) write `tag.tags` as a JSON
   * string right after the span starts, over ours. Before the span ends, turn that string back into the
   * string array it encodes, so every span carries tags in one form. (`onEnding` is experimental in the
   * SDK; where it is not called, the server still reads the JSON form.)
   */
  onEnding(span: Span): void {
    const tags = span.attributes[TAG_TAGS];
    if (typeof tags !== "string") return;
    const parsed = parseTags(tags);
    if (parsed) span.setAttribute(TAG_TAGS, parsed as string[]);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
