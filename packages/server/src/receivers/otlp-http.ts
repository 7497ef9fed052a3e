// The OTLP/HTTP receiver: POST /v1/traces (and /v1/logs: their GenAI message records) with
// protobuf or JSON bodies, answered as the OTLP specification says (partial success, 400, 413,
// 415, 503 with Retry-After).
import type { IncomingMessage, ServerResponse } from "node:http";
import { DecodeError, ExportTraceServiceResponse, RpcStatus } from "../otlp/decode.ts";
import { ExportLogsServiceResponse } from "../otlp/logs-decode.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { Ingest } from "../pipeline/ingest.ts";
import { QueueFullError } from "../pipeline/write-queue.ts";
import { BodyError, discardBody, isAborted, readBody } from "./read-body.ts";

export interface OtlpHttpOptions {
  ingest: Ingest;
  /** Whether the write queue would refuse an export of this declared size (checked before reading it). */
  refuses?: (declaredBytes: number) => boolean;
  metrics?: Metrics;
  maxBodyBytes: number;
  log: (message: string) => void;
  /** What the route receives; default traces. */
  signal?: "traces" | "logs";
}

type Wire = "protobuf" | "json";

export function createOtlpHttpReceiver(options: OtlpHttpOptions) {
  const signal = options.signal ?? "traces";
  /** `keyProject`: the one project the export may write to (its key's), or null for any. */
  return async function receive(req: IncomingMessage, res: ServerResponse, keyProject: string | null = null): Promise<void> {
    const contentType = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    const wire: Wire | null =
      contentType === "application/x-protobuf" || contentType === "application/protobuf"
        ? "protobuf"
        : contentType === "application/json"
          ? "json"
          : null;
    if (!wire) {
      return sendStatus(res, "json", 415, `unsupported Content-Type "${contentType}" (use application/x-protobuf or application/json)`);
    }
    try {
      if (options.refuses?.(Number(req.headers["content-length"]) || 0)) {
        options.metrics?.refused("queue_full");
        // Not read: the connection closes after the answer, and the exporter retries later.
        return sendStatus(res, wire, 503, "write queue full; retry later", { retryAfter: 1, connectionClose: true });
      }
      const body = await readBody(req, options.maxBodyBytes);
      const projectHeader = req.headers["x-project-name"];
      const result = await options.ingest({ wire, signal, bytes: body, projectHeader: Array.isArray(projectHeader) ? projectHeader[0] : projectHeader, keyProject });
      sendExportResponse(res, wire, signal, result.rejectedSpans ? result : undefined);
    } catch (error) {
      if (error instanceof BodyError) {
        options.metrics?.refused(error.status === 413 ? "too_large" : "decode");
        // An exporter that sees its 413 drops the batch; one that sees a reset retries it forever.
        const drained = error.status !== 413 || (await discardBody(req, 4 * options.maxBodyBytes));
        return sendStatus(res, wire, error.status, error.message, { connectionClose: !drained });
      }
      if (isAborted(req, error)) return;
      if (error instanceof DecodeError) return sendStatus(res, wire, 400, error.message);
      if (error instanceof QueueFullError) {
        return sendStatus(res, wire, 503, error.message, { retryAfter: error.retryAfterSeconds });
      }
      options.log(`OTLP export failed: ${(error as Error).stack ?? error}`);
      // Retryable: the spans were not committed, so the exporter should send them again.
      return sendStatus(res, wire, 503, `could not store spans: ${(error as Error).message}`, { retryAfter: 5 });
    }
  };
}

/**
 * POST /v1/metrics: accepted and answered with a partial success that says nothing was stored,
 * rather than a 405 an SDK retries or reports as a failure. The three signals' responses share
 * one shape (a count, then the message), so the traces' encoder serves.
 */
export function createUnreadSignalReceiver(signal: "metrics", maxBodyBytes: number) {
  const errorMessage = `Threadline stores traces, not ${signal}: these data points were not stored`;
  return async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    const wire: Wire = contentType === "application/json" ? "json" : "protobuf";
    const drained = await discardBody(req, maxBodyBytes);
    if (!drained) return sendStatus(res, wire, 413, `request body over ${maxBodyBytes} bytes`, { connectionClose: true });
    if (wire === "json") return send(res, 200, "application/json", JSON.stringify({ partialSuccess: { errorMessage } }));
    send(res, 200, "application/x-protobuf", ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject({ partialSuccess: { errorMessage } })).finish());
  };
}

function sendExportResponse(res: ServerResponse, wire: Wire, signal: "traces" | "logs", rejected?: { rejectedSpans: number; errorMessage: string }) {
  const partialSuccess = !rejected
    ? undefined
    : signal === "logs"
      ? { rejectedLogRecords: rejected.rejectedSpans, errorMessage: rejected.errorMessage }
      : { rejectedSpans: rejected.rejectedSpans, errorMessage: rejected.errorMessage };
  if (wire === "json") {
    return send(res, 200, "application/json", JSON.stringify(partialSuccess ? { partialSuccess } : {}));
  }
  const type = signal === "logs" ? ExportLogsServiceResponse : ExportTraceServiceResponse;
  send(res, 200, "application/x-protobuf", type.encode(type.fromObject(partialSuccess ? { partialSuccess } : {})).finish());
}

function sendStatus(
  res: ServerResponse,
  wire: Wire,
  status: number,
  message: string,
  extra: { retryAfter?: number; connectionClose?: boolean } = {},
) {
  if (extra.retryAfter) res.setHeader("Retry-After", String(extra.retryAfter));
  // A body not read to its end leaves the connection unusable.
  if (extra.connectionClose) res.setHeader("Connection", "close");
  const code = status === 400 ? 3 : status === 503 ? 14 : status === 413 ? 8 : 2; // google.rpc.Code
  if (wire === "json") return send(res, status, "application/json", JSON.stringify({ code, message }));
  send(res, status, "application/x-protobuf", RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish());
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array) {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
