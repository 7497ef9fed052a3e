// Spans into OTLP request bodies of a fixed size, encoded by the OpenTelemetry JS serializer
// (the exact bytes its exporter sends), counted into the generator's summary.
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { OtelSpan } from "./turn.ts";

export interface Batch {
  body: Uint8Array;
  spans: number;
}

export class Batches {
  readonly #size: number;
  readonly #summary: { requests: number; bytes: number; spans: number };
  #pending: OtelSpan[] = [];

  constructor(spansPerRequest: number, summary: { requests: number; bytes: number; spans: number }) {
    this.#size = spansPerRequest;
    this.#summary = summary;
  }

  /** Adds the span; the request body, once it is full. */
  add(span: OtelSpan): Batch | null {
    this.#pending.push(span);
    return this.#pending.length < this.#size ? null : this.flush();
  }

  /** The body of what is pending, or null when nothing is. */
  flush(): Batch | null {
    if (this.#pending.length === 0) return null;
    const body = ProtobufTraceSerializer.serializeRequest(this.#pending)!;
    const batch = { body, spans: this.#pending.length };
    this.#summary.requests++;
    this.#summary.bytes += body.length;
    this.#summary.spans += this.#pending.length;
    this.#pending = [];
    return batch;
  }
}
