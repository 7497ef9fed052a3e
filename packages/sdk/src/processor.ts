import { diag, type Context } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace-node";
import { getAttributesFromContext } from "@arizeai/openinference-core";

/**
 * Stamps the OpenInference context attributes (session.id, user.id, metadata, tag.tags, ...) set by
 * `withSession`/`withUser`/`withAttributes` onto every span, including spans from tracers that do not
 * know about OpenInference. Attributes the span already has win: the creator knows best.
 */
export class ThreadlineSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    try {
      const attributes = getAttributesFromContext(parentContext);
      for (const key in attributes) {
        const value = attributes[key];
        if (value != null && span.attributes[key] === undefined) span.setAttribute(key, value);
      }
    } catch (error) {
      diag.warn("threadline: could not copy context attributes onto span", error);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
