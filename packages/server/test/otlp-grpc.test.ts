// The OTLP/gRPC receiver speaks the protocol as the specification and real exporters expect.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, credentials, Metadata, status, type ChannelOptions, type ServiceError } from "@grpc/grpc-js";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { SessionDetail, TraceDetail } from "../src/api/types.ts";
import { Authenticator } from "../src/auth/authenticator.ts";
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from "../src/otlp/decode.ts";
import { QueueFullError } from "../src/pipeline/write-queue.ts";
import type { Ingest } from "../src/pipeline/ingest.ts";
import { GoogleRpcStatus, RETRY_INFO_TYPE_URL, RetryInfo, startOtlpGrpcReceiver, TRACE_EXPORT_PATH } from "../src/receivers/otlp-grpc.ts";
import { getJson, startTestServer, type TestServer } from "./support.ts";

const MAX_BYTES = 64 * 1024;
let server: TestServer;
let address: string;
before(async () => {
  server = await startTestServer({ maxBodyBytes: MAX_BYTES });
  assert.ok(server.grpcPort, "the gRPC receiver is listening");
  address = `127.0.0.1:${server.grpcPort}`;
});
after(() => server.close());

/** Spans made by the real OpenTelemetry SDK: a "turn" root and an "llm" child. */
function sdkSpans(project: string | null, sessionId: string, extra: Record<string, string> = {}): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ ...(project ? { "openinference.project.name": project } : {}), "service.name": "test" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("test");
  const span = tracer.startSpan("turn", { attributes: { "session.id": sessionId, "input.value": "hi", "tag.tags": ["a", "b"], retries: 2, ...extra } });
  tracer.startSpan("llm", { attributes: { "llm.token_count.total": 42 } }, trace.setSpan(ROOT_CONTEXT, span)).end();
  span.end();
  return exporter.getFinishedSpans();
}

interface Reply {
  error: ServiceError | null;
  response?: { partialSuccess?: { rejectedSpans: number | { toNumber(): number }; errorMessage: string } | null };
}

/** One Export call through a plain grpc-js client, bytes in and out. */
async function rawExport(body: Uint8Array, options: { metadata?: Record<string, string>; channel?: ChannelOptions; target?: string } = {}): Promise<Reply> {
  const client = new Client(options.target ?? address, credentials.createInsecure(), options.channel ?? {});
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  try {
    return await new Promise<Reply>((resolve) => {
      client.makeUnaryRequest(
        TRACE_EXPORT_PATH,
        (bytes: Uint8Array) => Buffer.from(bytes),
        (bytes: Buffer) => bytes,
        body,
        metadata,
        { deadline: Date.now() + 10_000 },
        (error, bytes) => resolve({ error, response: bytes ? (ExportTraceServiceResponse.decode(bytes) as unknown as Reply["response"]) : undefined }),
      );
    });
  } finally {
    client.close();
  }
}

const GZIP: ChannelOptions = { "grpc.default_compression_algorithm": 2 };

describe("OTLP/gRPC receiver", () => {
  test("accepts spans from the real OTLP/gRPC exporter, plain and gzip", async () => {
    for (const compression of ["none", "gzip"] as const) {
      const sessionId = `s-grpc-${compression}`;
      const spans = sdkSpans("grpc", sessionId);
      const exporter = new OTLPTraceExporter({ url: `http://${address}`, compression: compression as never });
      try {
        const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
        assert.equal(result.code, 0, `export succeeded (${result.error?.message ?? "no error"})`); // ExportResultCode.SUCCESS
      } finally {
        await exporter.shutdown();
      }
      const { status: found, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/grpc/sessions/${sessionId}`);
      assert.equal(found, 200);
      assert.equal(session.spanCount, 2);
      assert.equal(session.tokens.total, 42);
      const root = spans.find((s) => s.name === "turn")!;
      const { body: detail } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/grpc/traces/${root.spanContext().traceId}`);
      assert.equal(detail.spans.length, 2);
      const stored = detail.spans.find((s) => s.name === "turn")!;
      assert.equal(stored.spanId, root.spanContext().spanId);
      assert.deepEqual(stored.attributes["tag.tags"], ["a", "b"]);
      assert.equal(stored.attributes["retries"], 2);
      assert.equal(stored.resourceAttributes["service.name"], "test");
    }
  });

  test("answers OK without partial success when every span is valid", async () => {
    const reply = await rawExport(ProtobufTraceSerializer.serializeRequest(sdkSpans("grpc", "s-raw"))!);
    assert.equal(reply.error, null);
    assert.equal(reply.response?.partialSuccess, null);
    assert.equal((await getJson(`${server.url}/api/v1/projects/grpc/sessions/s-raw`)).status, 200);
  });

  test("keeps the valid spans and reports the rejected ones as partial success", async () => {
    const spans = sdkSpans("grpc-partial", "s-partial");
    const request = ExportTraceServiceRequest.decode(ProtobufTraceSerializer.serializeRequest(spans)!) as unknown as {
      resourceSpans: { scopeSpans: { spans: { name: string; traceId: Uint8Array }[] }[] }[];
    };
    const llm = request.resourceSpans[0].scopeSpans[0].spans.find((s) => s.name === "llm")!;
    llm.traceId = new Uint8Array(16); // all zero: invalid
    const reply = await rawExport(ExportTraceServiceRequest.encode(request).finish());
    assert.equal(reply.error, null, "a partially valid request is still OK");
    const partial = reply.response?.partialSuccess;
    assert.ok(partial, "partialSuccess is set");
    assert.equal(Number(partial.rejectedSpans), 1);
    assert.match(partial.errorMessage, /spans\[\d\]: invalid trace id "0{32}"/);
    const { status: found, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/grpc-partial/sessions/s-partial`);
    assert.equal(found, 200);
    assert.equal(session.spanCount, 1, "the valid span is stored");
  });

  test("answers INVALID_ARGUMENT with a reason for an undecodable message", async () => {
    const reply = await rawExport(new Uint8Array([0x0a, 0xff, 0xff, 0xff]));
    assert.equal(reply.error?.code, status.INVALID_ARGUMENT);
    assert.match(reply.error.details, /invalid OTLP protobuf body/);
  });

  test("answers RESOURCE_EXHAUSTED over the size limit, on the wire or after gzip decompression", async () => {
    const big = ProtobufTraceSerializer.serializeRequest(sdkSpans("grpc", "s-big", { "input.value": "x".repeat(100 * 1024) }))!;
    assert.ok(big.length > MAX_BYTES);
    const plain = await rawExport(big);
    assert.equal(plain.error?.code, status.RESOURCE_EXHAUSTED);
    assert.match(plain.error.details, /larger than max/);

    // Compressed, the same message is far under the limit; grpc-js checks the inflated size too.
    const zipped = await rawExport(big, { channel: GZIP });
    assert.equal(zipped.error?.code, status.RESOURCE_EXHAUSTED);
    assert.match(zipped.error.details, /decompresses to a size larger than 65536/);
    assert.equal((await getJson(`${server.url}/api/v1/projects/grpc/sessions/s-big`)).status, 404);

    // A compressed message that inflates to under the limit is accepted.
    const small = await rawExport(ProtobufTraceSerializer.serializeRequest(sdkSpans("grpc", "s-small-gzip"))!, { channel: GZIP });
    assert.equal(small.error, null);
    assert.equal((await getJson(`${server.url}/api/v1/projects/grpc/sessions/s-small-gzip`)).status, 200);
  });

  test("uses the x-project-name metadata when the resource names no project", async () => {
    const fromHeader = await rawExport(ProtobufTraceSerializer.serializeRequest(sdkSpans(null, "s-h"))!, { metadata: { "x-project-name": "grpc-header" } });
    assert.equal(fromHeader.error, null);
    assert.equal((await getJson(`${server.url}/api/v1/projects/grpc-header/sessions/s-h`)).status, 200);
    // The resource attribute wins over the header.
    await rawExport(ProtobufTraceSerializer.serializeRequest(sdkSpans("grpc-resource", "s-r"))!, { metadata: { "x-project-name": "grpc-header" } });
    assert.equal((await getJson(`${server.url}/api/v1/projects/grpc-resource/sessions/s-r`)).status, 200);
    // Neither: the default project.
    await rawExport(ProtobufTraceSerializer.serializeRequest(sdkSpans(null, "s-d"))!);
    assert.equal((await getJson(`${server.url}/api/v1/projects/default/sessions/s-d`)).status, 200);
  });

  test("answers UNIMPLEMENTED for other methods", async () => {
    const client = new Client(address, credentials.createInsecure());
    try {
      const error = await new Promise<ServiceError | null>((resolve) => {
        client.makeUnaryRequest("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), new Metadata(), {}, (e) => resolve(e));
      });
      assert.equal(error?.code, status.UNIMPLEMENTED);
    } finally {
      client.close();
    }
  });
});

describe("OTLP/gRPC receiver failures and shutdown", () => {
  const log: string[] = [];
  async function receiver(ingest: Ingest) {
    const started = await startOtlpGrpcReceiver({ ingest, auth: new Authenticator(null, false), maxBodyBytes: MAX_BYTES, log: (line) => log.push(line), host: "127.0.0.1", port: 0 });
    return { ...started, target: `127.0.0.1:${started.port}` };
  }
  const body = () => ProtobufTraceSerializer.serializeRequest(sdkSpans("grpc", "s-fail"))!;

  function retryDelaySeconds(error: ServiceError): number {
    const [bytes] = error.metadata.get("grpc-status-details-bin");
    assert.ok(Buffer.isBuffer(bytes), "grpc-status-details-bin trailer is present");
    const details = GoogleRpcStatus.decode(bytes) as unknown as { code: number; message: string; details: { typeUrl: string; value: Uint8Array }[] };
    assert.equal(details.code, status.UNAVAILABLE);
    assert.equal(details.message, error.details);
    assert.equal(details.details[0].typeUrl, RETRY_INFO_TYPE_URL);
    const retry = RetryInfo.decode(details.details[0].value) as unknown as { retryDelay: { seconds: number | { toNumber(): number } } };
    return Number(retry.retryDelay.seconds);
  }

  test("answers UNAVAILABLE with RetryInfo when the write queue is full", async () => {
    const grpc = await receiver(() => {
      throw new QueueFullError("write queue full (10 spans, 100 bytes waiting)");
    });
    try {
      const reply = await rawExport(body(), { target: grpc.target });
      assert.equal(reply.error?.code, status.UNAVAILABLE);
      assert.match(reply.error.details, /write queue full/);
      assert.equal(retryDelaySeconds(reply.error), 1);
    } finally {
      await grpc.close();
    }
  });

  test("answers UNAVAILABLE with RetryInfo and logs when storage fails", async () => {
    const grpc = await receiver(async () => {
      throw new Error("disk I/O error");
    });
    try {
      const reply = await rawExport(body(), { target: grpc.target });
      assert.equal(reply.error?.code, status.UNAVAILABLE);
      assert.match(reply.error.details, /could not store spans: disk I\/O error/);
      assert.equal(retryDelaySeconds(reply.error), 5);
      assert.ok(log.some((line) => line.includes("disk I/O error")));
    } finally {
      await grpc.close();
    }
  });

  test("close() lets a call in flight finish, then refuses new ones", async () => {
    let release!: () => void;
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const grpc = await receiver(async () => {
      arrived();
      await new Promise<void>((resolve) => (release = resolve));
      return { rejectedSpans: 0, errorMessage: "" };
    });
    const call = rawExport(body(), { target: grpc.target });
    await inFlight;
    const closed = grpc.close();
    setTimeout(() => release(), 50);
    assert.equal((await call).error, null, "the call in flight completed");
    await closed;
    const refused = await rawExport(body(), { target: grpc.target, channel: { "grpc.initial_reconnect_backoff_ms": 50 } });
    assert.equal(refused.error?.code, status.UNAVAILABLE);
  });

  test("startServer({ grpcPort: null }) does not listen for gRPC", async () => {
    const off = await startTestServer({ grpcPort: null });
    try {
      assert.equal(off.grpcPort, null);
    } finally {
      await off.close();
    }
  });
});
