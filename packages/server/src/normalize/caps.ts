// Bounds on what one export may carry, applied to the decoded request before normalizing: spans
// past the per-request cap are refused (the rest kept), attributes past the per-span cap are
// dropped and counted, and a string value past its cap is cut with a marker a person can see.
import type { Attributes, DecodedRequest } from "../otlp/types.ts";

export interface SpanCaps {
  maxSpansPerRequest: number;
  maxAttributesPerSpan: number;
  /** Characters of one string value (an attribute, an event's, a status message). */
  maxValueChars: number;
}

export const DEFAULT_CAPS: SpanCaps = { maxSpansPerRequest: 50_000, maxAttributesPerSpan: 1_000, maxValueChars: 1_000_000 };

/** The attribute that says how many a span lost to maxAttributesPerSpan. */
export const DROPPED_ATTRIBUTES = "threadline.dropped_attributes_count";

export const truncated = (text: string, max: number) => `${text.slice(0, max)}…[truncated ${text.length - max} characters]`;

/** Caps the request in place; returns how many spans were refused, and why. */
export function capRequest(request: DecodedRequest, caps: SpanCaps): { refused: number; reason: string | null } {
  let kept = 0;
  let refused = 0;
  for (const resourceSpans of request.resourceSpans) {
    resourceSpans.resource = capAttributes(resourceSpans.resource, caps);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const room = Math.max(0, caps.maxSpansPerRequest - kept);
      if (scopeSpans.spans.length > room) {
        refused += scopeSpans.spans.length - room;
        scopeSpans.spans = scopeSpans.spans.slice(0, room);
      }
      kept += scopeSpans.spans.length;
      for (const span of scopeSpans.spans) {
        span.attributes = capAttributes(span.attributes, caps);
        span.name = capValue(span.name, caps) as string;
        span.status.message = capValue(span.status.message, caps) as string;
        for (const event of span.events) event.attributes = capAttributes(event.attributes, caps);
      }
    }
  }
  return { refused, reason: refused ? `${refused} spans past the ${caps.maxSpansPerRequest}-span limit of one export were refused` : null };
}

function capAttributes(attributes: Attributes, caps: SpanCaps): Attributes {
  const keys = Object.keys(attributes);
  const out: Attributes = {};
  for (const key of keys.slice(0, caps.maxAttributesPerSpan)) {
    const value = capValue(attributes[key], caps);
    if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  if (keys.length > caps.maxAttributesPerSpan) out[DROPPED_ATTRIBUTES] = keys.length - caps.maxAttributesPerSpan;
  return out;
}

function capValue(value: unknown, caps: SpanCaps): unknown {
  if (typeof value === "string") return value.length > caps.maxValueChars ? truncated(value, caps.maxValueChars) : value;
  if (Array.isArray(value)) return value.map((v) => capValue(v, caps));
  if (value && typeof value === "object") return capAttributes(value as Attributes, caps);
  return value;
}
