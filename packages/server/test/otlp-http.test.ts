// The OTLP/HTTP receiver speaks the protocol as the specification and real exporters expect.
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ExportTraceServiceResponse, RpcStatus } from "../src/otlp/decode.ts";
import { createOtlpHttpReceiver } from "../src/receivers/otlp-http.ts";
import type { SessionDetail, TraceDetail } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
before(async () => (server = await startTestServer({ maxBodyBytes: 64 * 1024 })));
after(() => server.close());

/** Spans made by the real OpenTelemetry SDK, as an exporter would send them. */
function sdkSpans(project: string, sessionId: string): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "openinference.project.name": project, "service.name": "test" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("test");
  const span = tracer.startSpan("turn", { attributes: { "session.id": sessionId, "input.value": "hi", "tag.tags": ["a", "b"], "retries": 2, "score": 0.5, "ok": true } });
  tracer.startSpan("llm", { attributes: { "llm.token_count.total": 42 } }, trace.setSpan(ROOT_CONTEXT, span)).end();
  span.end();
  return exporter.getFinishedSpans();
}

const post = (body: Uint8Array | string, headers: Record<string, string>) =>
  fetch(`${server.url}/v1/traces`, { method: "POST", headers, body: body as BodyInit });

describe("OTLP/HTTP receiver", () => {
  for (const [wire, serializer, contentType] of [
    ["protobuf", ProtobufTraceSerializer, "application/x-protobuf"],
    ["JSON", JsonTraceSerializer, "application/json"],
  ] as const) {
    test(`accepts ${wire} bodies from the OpenTelemetry serializer, plain and gzip`, async () => {
      for (const gzip of [false, true]) {
        const sessionId = `s-${wire}-${gzip}`;
        const spans = sdkSpans("wire", sessionId);
        const body = serializer.serializeRequest(spans)!;
        const response = await post(gzip ? gzipSync(body) : body, {
          "content-type": contentType,
          ...(gzip ? { "content-encoding": "gzip" } : {}),
        });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), contentType);
        const { body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/wire/sessions/${sessionId}`);
        assert.equal(session.spanCount, 2);
        assert.equal(session.tokens.total, 42);
        const root = spans.find((s) => s.name === "turn")!;
        const { body: trace } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/wire/traces/${root.spanContext().traceId}`);
        const stored = trace.spans.find((s) => s.name === "turn")!;
        assert.equal(stored.spanId, root.spanContext().spanId);
        assert.deepEqual(stored.attributes["tag.tags"], ["a", "b"]);
        assert.equal(stored.attributes["retries"], 2);
        assert.equal(stored.attributes["score"], 0.5);
        assert.equal(stored.attributes["ok"], true);
        assert.equal(stored.resourceAttributes["service.name"], "test");
        assert.equal(stored.startTime, new Date(root.startTime[0] * 1000 + Math.floor(root.startTime[1] / 1e6)).toISOString());
      }
    });
  }

  test("keeps the valid spans and reports the rejected ones as partial success", async () => {
    const spans = sdkSpans("partial", "s-partial");
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    const response = await post(body, { "content-type": "application/x-protobuf" });
    const decoded = ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())) as unknown as { partialSuccess?: unknown };
    assert.equal(decoded.partialSuccess, null, "no partial success when every span is valid");

    const traceId = hexId(16);
    const json = JSON.parse(otlpJson([
      { traceId, name: "good", startMs: 1_700_000_000_000, endMs: 1_700_000_000_010, attributes: { "session.id": "s-kept" } },
      { traceId: "nothex", name: "bad", startMs: 1_700_000_000_000, endMs: 1_700_000_000_010 },
    ], "partial"));
    const result = await postOtlpJson(server.url, JSON.stringify(json));
    assert.equal(result.status, 200);
    const partial = result.body.partialSuccess as { rejectedSpans: number; errorMessage: string };
    assert.equal(partial.rejectedSpans, 1);
    assert.match(partial.errorMessage, /spans\[1\]: invalid trace id "nothex"/);
    assert.equal((await getJson(`${server.url}/api/v1/projects/partial/sessions/s-kept`)).status, 200);
  });

  test("keeps an attribute named __proto__ as data", async () => {
    const traceId = hexId(16);
    const body = otlpJson([{ traceId, startMs: 1_700_000_000_000, endMs: 1_700_000_000_001, attributes: { ["__proto__"]: "just a string", "session.id": "s-proto" } }], "proto");
    assert.equal((await postOtlpJson(server.url, body)).status, 200);
    const { body: trace } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/proto/traces/${traceId}`);
    assert.equal(Object.getOwnPropertyDescriptor(trace.spans[0].attributes, "__proto__")?.value, "just a string");
    assert.equal(trace.spans[0].sessionId, "s-proto");
  });

  test("answers 400 with a reason for an undecodable body", async () => {
    const protobuf = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), { "content-type": "application/x-protobuf" });
    assert.equal(protobuf.status, 400);
    const status = RpcStatus.decode(new Uint8Array(await protobuf.arrayBuffer())) as unknown as { message: string };
    assert.match(status.message, /invalid OTLP protobuf body/);

    const json = await post("{not json", { "content-type": "application/json" });
    assert.equal(json.status, 400);
    assert.match(((await json.json()) as { message: string }).message, /invalid OTLP JSON body/);

    const gzip = await post("not gzip", { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(gzip.status, 400);
  });

  test("answers 415 for an unsupported content type or encoding", async () => {
    assert.equal((await post("x", { "content-type": "text/plain" })).status, 415);
    assert.equal((await post("x", { "content-type": "application/json", "content-encoding": "br" })).status, 415);
  });

  test("answers 413 over the size limit, compressed or decompressed", async () => {
    const big = otlpJson([{ traceId: hexId(16), startMs: 1, endMs: 2, attributes: { "input.value": "x".repeat(100 * 1024) } }]);
    const plain = await post(big, { "content-type": "application/json" });
    assert.equal(plain.status, 413);
    const zipped = gzipSync(big);
    assert.ok(zipped.length < 64 * 1024, "the compressed body is under the limit");
    const bomb = await post(zipped, { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(bomb.status, 413);
    assert.match(((await bomb.json()) as { message: string }).message, /decompressed/);
  });

  test("uses the x-project-name header when the resource names no project", async () => {
    await postOtlpJson(server.url, otlpJson([{ traceId: hexId(16), startMs: 1_700_000_000_000, endMs: 1_700_000_000_001, attributes: { "session.id": "s-h" } }]), { "x-project-name": "from-header" });
    await postOtlpJson(server.url, otlpJson([{ traceId: hexId(16), startMs: 1_700_000_000_000, endMs: 1_700_000_000_001, attributes: { "session.id": "s-d" } }]));
    assert.equal((await getJson(`${server.url}/api/v1/projects/from-header/sessions/s-h`)).status, 200);
    assert.equal((await getJson(`${server.url}/api/v1/projects/default/sessions/s-d`)).status, 200);
  });
});

describe("other paths and signals", () => {
  test("Langfuse's path (/api/public/otel/v1/traces) stores spans like /v1/traces", async () => {
    const spans = sdkSpans("langfuse-path", "s-langfuse-path");
    const response = await fetch(`${server.url}/api/public/otel/v1/traces`, {
      method: "POST", headers: { "content-type": "application/x-protobuf" }, body: ProtobufTraceSerializer.serializeRequest(spans) as BodyInit,
    });
    assert.equal(response.status, 200);
    const { body } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/langfuse-path/sessions/s-langfuse-path`);
    assert.equal(body.spanCount, 2);
  });

  test("metrics are answered with a partial success that says they were not stored, not a 405", async () => {
    const json = await fetch(`${server.url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"resourceMetrics":[]}' });
    assert.equal(json.status, 200);
    const answer = (await json.json()) as { partialSuccess: { errorMessage: string } };
    assert.match(answer.partialSuccess.errorMessage, /stores traces, not metrics/);
    const proto = await fetch(`${server.url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array([10, 0]) });
    assert.equal(proto.status, 200);
    // The three signals' responses share their fields' numbers: the traces' decoder reads it.
    const decoded = ExportTraceServiceResponse.decode(new Uint8Array(await proto.arrayBuffer()));
    assert.match(String(decoded.partialSuccess?.errorMessage), /not stored/);
    const big = await fetch(`${server.url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array(200 * 1024) });
    assert.equal(big.status, 413, "past the body limit");
  });
});

describe("back-pressure", () => {
  test("what was committed leaves the queue: two exporters sending many times its size all pass", async () => {
    const small = await startTestServer({ writeQueue: { maxBytes: 150_000, maxSpans: 500 } });
    try {
      // Two requests of about 45 KB are in flight at a time: they fit, whatever went before.
      await Promise.all([0, 1].map(async (exporter) => {
        for (let r = 0; r < 15; r++) {
          const spans = Array.from({ length: 100 }, (_, i) => ({
            traceId: hexId(16), startMs: 1_700_000_000_000 + i, endMs: 1_700_000_000_001 + i,
            attributes: { "session.id": `seq-${exporter}-${r}`, "input.value": "x".repeat(200) },
          }));
          const response = await fetch(`${small.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: otlpJson(spans, "seq") });
          assert.equal(response.status, 200, `exporter ${exporter}, request ${r}: ${await response.text()}`);
        }
      }));
    } finally {
      await small.close();
    }
  });

  test("a full write queue answers 503 with Retry-After, and keeps everything it acknowledged", async () => {
    const small = await startTestServer({ writeQueue: { maxSpans: 50 } });
    try {
      const requests = Array.from({ length: 30 }, (_, r) => {
        const spans = Array.from({ length: 20 }, (_, i) => ({
          traceId: hexId(16),
          startMs: 1_700_000_000_000 + i,
          endMs: 1_700_000_000_001 + i,
          attributes: { "session.id": `burst-${r}` },
        }));
        return fetch(`${small.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: otlpJson(spans, "burst") });
      });
      const responses = await Promise.all(requests);
      const refused = responses.filter((r) => r.status === 503);
      assert.ok(refused.length > 0, "some requests found the queue full");
      assert.ok(refused.every((r) => Number(r.headers.get("retry-after")) >= 1));
      assert.match(((await refused[0].json()) as { message: string }).message, /write queue full/);
      const accepted = responses.map((r, i) => [r.status, i] as const).filter(([status]) => status === 200).map(([, i]) => i);
      assert.ok(accepted.length > 0);
      for (const i of accepted) {
        const { status, body } = await getJson<SessionDetail>(`${small.url}/api/v1/projects/burst/sessions/burst-${i}`);
        assert.equal(status, 200);
        assert.equal(body.traceCount, 20);
      }
    } finally {
      await small.close();
    }
  });
});

test("with the write queue full, an export is refused before its body is read", { timeout: 10_000 }, async () => {
  // A receiver whose queue is full: if it read the body first, this body (never finished) would
  // keep the answer from ever coming.
  let ingested = 0;
  const receive = createOtlpHttpReceiver({ ingest: async () => (ingested++, { rejectedSpans: 0, errorMessage: "" }), refuses: () => true, maxBodyBytes: 1 << 20, log: () => {} });
  const http = createServer((req, res) => void receive(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = http.address() as AddressInfo;
    const answer = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
      const req = request({ port, host: "127.0.0.1", path: "/v1/traces", method: "POST", headers: { "content-type": "application/json", "content-length": "100000" } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] });
        req.destroy();
      });
      req.on("error", (error) => (error.message.includes("socket hang up") ? undefined : reject(error)));
      req.write("{\"resourceSpans\":[");
    });
    assert.equal(answer.status, 503);
    assert.ok(Number(answer.retryAfter) >= 1);
    assert.equal(ingested, 0);
  } finally {
    http.close();
  }
});
