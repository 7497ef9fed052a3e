// Decode → normalize → write, for one export request: the work an ingest thread does (or the
// main thread, for a store without a worker sink). Resolves once the spans are committed.
import { decodeJson, decodeProtobuf } from "../otlp/decode.ts";
import { decodeLogsJson, decodeLogsProtobuf } from "../otlp/logs-decode.ts";
import { capRequest, type SpanCaps } from "../normalize/caps.ts";
import { normalizeLogs } from "../normalize/logs.ts";
import { normalizeRequest, type NormalizeOptions, type NormalizeResult } from "../normalize/normalize.ts";
import type { PriceTable } from "../normalize/prices.ts";
import type { DecodedRequest } from "../otlp/types.ts";
import type { RedactionCount, Redactor } from "../normalize/redact/redactor.ts";
import { endsSession, type SpanRecord } from "../store/records.ts";
import type { WriteQueue } from "./write-queue.ts";

export interface RawExport {
  wire: "protobuf" | "json";
  /** What the body exports: spans (the default), or log records (their GenAI messages are kept). */
  signal?: "traces" | "logs";
  bytes: Uint8Array;
  projectHeader?: string | null;
  /** The one project the export's key may write to; null or absent: any. */
  keyProject?: string | null;
}

export interface StageResult {
  /** Spans stored. */
  acceptedSpans: number;
  /** Spans refused as invalid (the rest were stored); for logs, log records not stored. */
  rejectedSpans: number;
  /** Why, when some were refused. */
  errorMessage: string;
  /** What the stored spans touched, for the live feed: [project, session id, trace id], one per trace. */
  touched: Array<[string, string | null, string]>;
  /** What redaction replaced before the spans were written. */
  redacted: RedactionCount[];
  /** A stored span ends its session (the evaluation stage looks sooner). */
  endsSessions: boolean;
}

export async function runStage(
  body: RawExport,
  prices: PriceTable,
  caps: SpanCaps,
  queue: WriteQueue,
  write: (spans: SpanRecord[]) => Promise<void>,
  redactor?: Redactor,
): Promise<StageResult> {
  const options = { prices, projectHeader: body.projectHeader, keyProject: body.keyProject };
  const text = () => Buffer.from(body.bytes).toString("utf8");
  // Log records become span records (normalize/logs.ts) and go on as spans from here.
  const result = body.signal === "logs"
    ? normalizeLogs(body.wire === "protobuf" ? decodeLogsProtobuf(body.bytes) : decodeLogsJson(text()), caps, options)
    : normalizeTraces(body.wire === "protobuf" ? decodeProtobuf(body.bytes) : decodeJson(text()), caps, options);
  // After normalizing (ids and messages are read) and before the writer: nothing stored, rolled up or
  // indexed ever holds what a redaction rule finds.
  const redacted = redactor ? redactor.redact(result.spans) : [];
  const touched = new Map<string, [string, string | null, string]>();
  for (const span of result.spans) touched.set(`${span.project}\u0000${span.traceId}`, [span.project, span.sessionId, span.traceId]);
  if (result.spans.length > 0) {
    queue.admitSpans(result.spans.length);
    try {
      await write(result.spans);
    } finally {
      queue.releaseSpans(result.spans.length);
    }
  }
  return {
    acceptedSpans: result.spans.length, rejectedSpans: result.rejectedCount, errorMessage: result.rejections.join("; "), touched: [...touched.values()], redacted,
    endsSessions: result.spans.some(endsSession),
  };
}

function normalizeTraces(request: DecodedRequest, caps: SpanCaps, options: NormalizeOptions): NormalizeResult {
  const capped = capRequest(request, caps);
  const result = normalizeRequest(request, options);
  return {
    spans: result.spans,
    rejectedCount: result.rejectedCount + capped.refused,
    rejections: capped.reason ? [capped.reason, ...result.rejections] : result.rejections,
  };
}
