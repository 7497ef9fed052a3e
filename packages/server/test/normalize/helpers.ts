// Builders shared by the normalizer tests: decoded spans as the receivers hand them over, and a
// small price table so cost estimates are checkable by hand.
import type { Attributes, DecodedEvent, DecodedSpan } from "../../src/otlp/types.ts";
import { PriceTable } from "../../src/normalize/prices.ts";
import { readSemantics, type SpanSemantics } from "../../src/normalize/semantics.ts";

export const prices = new PriceTable({
  "gpt-4o": { input: 2.5, output: 10, cacheRead: 1.25 },
  "gpt-4o-mini": { input: 0.15, output: 0.6, cacheRead: 0.075 },
  "claude-sonnet-4": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
});

let counter = 0;

export function span(attributes: Attributes, options: { name?: string; events?: DecodedEvent[] } = {}): DecodedSpan {
  counter++;
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: counter.toString(16).padStart(16, "0"),
    parentSpanId: "",
    name: options.name ?? "span",
    kind: 1,
    startUs: 1_767_600_000_000_000,
    endUs: 1_767_600_001_000_000,
    attributes,
    events: options.events ?? [],
    status: { code: 0, message: "" },
  };
}

export function event(name: string, attributes: Attributes): DecodedEvent {
  return { timeUs: 1_767_600_000_500_000, name, attributes };
}

export function semantics(attributes: Attributes, options: { name?: string; events?: DecodedEvent[]; resource?: Attributes } = {}): SpanSemantics {
  return readSemantics(span(attributes, options), options.resource ?? {}, prices);
}

/** USD for a usage at the test prices (per million tokens). */
export function usd(perMillion: number, tokens: number): number {
  return (perMillion * tokens) / 1_000_000;
}

export function near(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) < 1e-12;
}
