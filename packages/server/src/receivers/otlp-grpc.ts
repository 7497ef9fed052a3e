// The OTLP/gRPC receiver: TraceService/Export and LogsService/Export (the GenAI message records
// of logs) on their own port (4317 by default), answered as the OTLP specification says: OK with partial success, INVALID_ARGUMENT for an undecodable request,
// UNAVAILABLE with a google.rpc.RetryInfo delay when the spans could not be committed.
//
// The service definition is written by hand: messages go through grpc-js as raw bytes and are
// decoded by the same protobufjs decoder as OTLP/HTTP, so there is no second proto toolchain.
import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type StatusObject,
} from "@grpc/grpc-js";
import protobuf from "protobufjs";
import { DecodeError, ExportTraceServiceResponse } from "../otlp/decode.ts";
import { ExportLogsServiceResponse } from "../otlp/logs-decode.ts";
import { QueueFullError } from "../pipeline/write-queue.ts";
import { AuthError, Authenticator } from "../auth/authenticator.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { Ingest, IngestResult } from "../pipeline/ingest.ts";

/** The method paths real exporters call (the official proto packages, not ours). */
export const TRACE_EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
export const LOGS_EXPORT_PATH = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

export const DEFAULT_GRPC_PORT = 4317;

export interface OtlpGrpcOptions {
  ingest: Ingest;
  /** Serve over TLS with this key and certificate chain (PEM). */
  tls?: { key: Buffer; cert: Buffer };
  auth: Authenticator;
  metrics?: Metrics;
  /** Largest accepted request message, checked by grpc-js on the wire and again after decompression. */
  maxBodyBytes: number;
  log: (message: string) => void;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** How long close() lets calls in flight finish before cutting them off. Default 5 s. */
  shutdownTimeoutMs?: number;
}

export interface OtlpGrpcReceiver {
  /** The bound port. */
  port: number;
  /** Stops accepting calls, lets those in flight finish (up to the timeout), then closes every connection. */
  close(): Promise<void>;
}

// google.rpc.Status with its details, for the `grpc-status-details-bin` trailer. Any and
// Duration really live in google.protobuf; only the field numbers matter on the wire.
const statusRoot = protobuf.parse(`
  syntax = "proto3";
  package google.rpc;
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
  message Any { string type_url = 1; bytes value = 2; }
  message RetryInfo { Duration retry_delay = 1; }
  message Duration { int64 seconds = 1; int32 nanos = 2; }
`).root;
export const GoogleRpcStatus = statusRoot.lookupType("google.rpc.Status");
export const RetryInfo = statusRoot.lookupType("google.rpc.RetryInfo");
export const RETRY_INFO_TYPE_URL = "type.googleapis.com/google.rpc.RetryInfo";

type Signal = "traces" | "logs";

function exportService(signal: Signal): ServiceDefinition {
  const response = signal === "logs" ? ExportLogsServiceResponse : ExportTraceServiceResponse;
  return {
    Export: {
      path: signal === "logs" ? LOGS_EXPORT_PATH : TRACE_EXPORT_PATH,
      requestStream: false,
      responseStream: false,
      // Raw bytes in: a decode failure thrown here would reach the client as INTERNAL
      // "Error deserializing request", so the handler decodes and answers INVALID_ARGUMENT itself.
      requestSerialize: (bytes: Buffer) => bytes,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (result: IngestResult) => {
        const rejected = signal === "logs" ? { rejectedLogRecords: result.rejectedSpans } : { rejectedSpans: result.rejectedSpans };
        const partialSuccess = result.rejectedSpans ? { ...rejected, errorMessage: result.errorMessage } : undefined;
        return Buffer.from(response.encode(response.fromObject(partialSuccess ? { partialSuccess } : {})).finish());
      },
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  };
}

export async function startOtlpGrpcReceiver(options: OtlpGrpcOptions): Promise<OtlpGrpcReceiver> {
  const server = new Server({
    // grpc-js checks this against the framed length and, for gzip/deflate requests, against the
    // decompressed length as it inflates: RESOURCE_EXHAUSTED either way.
    "grpc.max_receive_message_length": options.maxBodyBytes,
  });

  for (const signal of ["traces", "logs"] as const) {
    server.addService(exportService(signal), {
      Export(call: ServerUnaryCall<Buffer, IngestResult>, callback: sendUnaryData<IngestResult>) {
        receiveExport(options, signal, call).then(
          (result) => callback(null, result),
          (error: unknown) => callback(toStatus(options, error)),
        );
      },
    });
  }

  const address = `${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    const credentials = options.tls
      ? ServerCredentials.createSsl(null, [{ private_key: options.tls.key, cert_chain: options.tls.cert }], false)
      : ServerCredentials.createInsecure();
    server.bindAsync(address, credentials, (error, bound) => {
      if (error) reject(new Error(`cannot listen for OTLP/gRPC on ${address}: ${error.message}`));
      else resolve(bound);
    });
  });

  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, options.shutdownTimeoutMs ?? 5_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}

async function receiveExport(options: OtlpGrpcOptions, signal: Signal, call: ServerUnaryCall<Buffer, IngestResult>): Promise<IngestResult> {
  const text = (name: string) => {
    const value = call.metadata.get(name)[0];
    return typeof value === "string" ? value : value?.toString("utf8");
  };
  const principal = await options.auth.authenticate(Authenticator.tokenOf(text));
  options.auth.check(principal, "ingest");
  return options.ingest({
    wire: "protobuf",
    signal,
    bytes: call.request,
    projectHeader: text("x-project-name"),
    keyProject: principal.kind === "key" ? principal.project : null,
  });
}

function toStatus(options: OtlpGrpcOptions, error: unknown): Partial<StatusObject> {
  // Not retryable: the same bytes would fail the same way.
  if (error instanceof DecodeError) return { code: status.INVALID_ARGUMENT, details: error.message };
  if (error instanceof AuthError) {
    options.metrics?.refused("unauthorized");
    if (error.status === 503) return unavailable(error.message, 1);
    return { code: error.status === 401 ? status.UNAUTHENTICATED : status.PERMISSION_DENIED, details: error.message };
  }
  // The OTLP spec's backpressure signal for gRPC is UNAVAILABLE (always retryable) with an optional
  // RetryInfo; RESOURCE_EXHAUSTED is retryable only for clients that look for RetryInfo.
  if (error instanceof QueueFullError) return unavailable(error.message, error.retryAfterSeconds);
  options.log(`OTLP/gRPC export failed: ${(error as Error).stack ?? error}`);
  // Retryable: the spans were not committed, so the exporter should send them again.
  return unavailable(`could not store spans: ${(error as Error).message}`, 5);
}

function unavailable(message: string, retryAfterSeconds: number): Partial<StatusObject> {
  const retryInfo = RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds: retryAfterSeconds } })).finish();
  const details = GoogleRpcStatus.encode(
    GoogleRpcStatus.fromObject({
      code: status.UNAVAILABLE,
      message,
      details: [{ typeUrl: RETRY_INFO_TYPE_URL, value: retryInfo }],
    }),
  ).finish();
  const metadata = new Metadata();
  metadata.set("grpc-status-details-bin", Buffer.from(details));
  return { code: status.UNAVAILABLE, details: message, metadata };
}
