// The plain shape both OTLP encodings decode to (see decode.ts).

export type Attributes = Record<string, unknown>;

export interface DecodedEvent {
  timeUs: number;
  name: string;
  attributes: Attributes;
}

export interface DecodedSpan {
  /** Lowercase hex; "" when absent. */
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind number (0 unspecified … 5 consumer). */
  kind: number;
  startUs: number;
  endUs: number;
  attributes: Attributes;
  events: DecodedEvent[];
  /** OTLP StatusCode number: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
}

export interface DecodedRequest {
  resourceSpans: Array<{
    resource: Attributes;
    scopeSpans: Array<{
      scope: { name: string; version: string };
      spans: DecodedSpan[];
    }>;
  }>;
}

export interface DecodedLogRecord {
  /** The event's time, else the time it was observed (microseconds; 0 when neither is set). */
  timeUs: number;
  /** Lowercase hex; "" when the record belongs to no span. */
  traceId: string;
  spanId: string;
  /** The LogRecord's event_name (OTLP 1.5+), else its `event.name` attribute, else "". */
  eventName: string;
  attributes: Attributes;
  /** The AnyValue body as a plain value (a map becomes an object); null when absent. */
  body: unknown;
}

export interface DecodedLogsRequest {
  resourceLogs: Array<{
    resource: Attributes;
    scopeLogs: Array<{
      scope: { name: string; version: string };
      logRecords: DecodedLogRecord[];
    }>;
  }>;
}
