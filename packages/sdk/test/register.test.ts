import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { trace, type TracerProvider } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { register, withAttributes, type Instrumentation, type RegisterOptions } from "../src/index.ts";
import { setStrictMode } from "../src/validate.ts";
import { captureWarnings } from "./tracing.ts";

type Received = { url?: string; headers: IncomingHttpHeaders; body: Buffer };

/** A stand-in for the Threadline server: records each OTLP request. */
async function startCollector() {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
  return { received, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

process.env.OTEL_EXPORTER_OTLP_TIMEOUT = "300"; // the OTLP exporter retries unreachable servers until this timeout
const warnings = captureWarnings();
const collector = await startCollector();
// The first register() installs the global tracer provider, context manager and propagators.
const threadline = register({ projectName: "checkout-bot", endpoint: `${collector.endpoint}/`, apiKey: "t0ken" });
after(() => threadline.shutdown());

test("register() exports spans as OTLP protobuf to {endpoint}/v1/traces, with project, session and the API key", async () => {
  withAttributes({ sessionId: "sess-export", userId: "dana@example.com", tags: ["vip"] }, () => {
    trace.getTracer("app").startSpan("turn").end(); // the global tracer: register() installed it
  });
  await threadline.forceFlush();

  assert.equal(collector.received.length, 1);
  const [request] = collector.received;
  assert.equal(request.url, "/v1/traces");
  assert.equal(request.headers["content-type"], "application/x-protobuf");
  assert.equal(request.headers.authorization, "Bearer t0ken");
  // Protobuf keeps strings as-is, so the attributes are visible in the raw bytes.
  for (const text of ["openinference.project.name", "checkout-bot", "service.name", "session.id", "sess-export", "dana@example.com", "tag.tags", "vip"]) {
    assert.ok(request.body.includes(text), `request body should contain ${text}`);
  }
});

test("threadline.tracer is named after the project and has the span helpers", async () => {
  const exporter = new InMemorySpanExporter();
  const local = register({ projectName: "helpers", exporter, batch: false });
  try {
    await withAttributes({ sessionId: "sess-tracer" }, () => local.tracer.chain(async () => "ok", { name: "step" })());
    const [span] = exporter.getFinishedSpans();
    assert.equal(span.instrumentationScope.name, "helpers");
    assert.equal(span.attributes["openinference.span.kind"], "CHAIN");
    assert.equal(span.attributes["session.id"], "sess-tracer");
  } finally {
    await local.shutdown();
  }
});

test("instrumentations are pointed at the provider and enabled; shutdown() disables them", async () => {
  const calls: string[] = [];
  let givenProvider: TracerProvider | undefined;
  const fake: Instrumentation = {
    instrumentationName: "fake",
    setTracerProvider: (provider) => ((givenProvider = provider), calls.push("setTracerProvider")),
    enable: () => calls.push("enable"),
    disable: () => calls.push("disable"),
  };
  const broken = { instrumentationName: "broken", setTracerProvider: () => { throw new Error("nope"); } } as unknown as Instrumentation;
  const local = register({ projectName: "instrumented", exporter: new InMemorySpanExporter(), instrumentations: [fake, broken] });
  assert.equal(givenProvider, local.provider);
  assert.deepEqual(calls, ["setTracerProvider", "enable"]);
  assert.ok(warnings.some((w) => /could not enable instrumentation broken/.test(w)));
  assert.deepEqual(await local.instrumented, { loaded: [], notInstalled: [], failed: [] });
  await local.shutdown();
  assert.deepEqual(calls, ["setTracerProvider", "enable", "disable"]);
});

test("forceFlush() does not reject when the server is unreachable, it warns", async () => {
  await collector.close();
  trace.getTracer("app").startSpan("lost").end();
  await threadline.forceFlush();
  assert.ok(warnings.some((warning) => /forceFlush failed/.test(warning)), warnings.join("\n"));
});

test("invalid options fall back to defaults with a warning instead of throwing", async () => {
  warnings.length = 0;
  const fallback = register({ projectName: "  ", endpoint: "not a url", batch: false } as RegisterOptions);
  try {
    const span = fallback.provider.getTracer("app").startSpan("probe");
    span.end();
    const { resource } = span as unknown as ReadableSpan;
    assert.equal(resource.attributes["openinference.project.name"], "default");
    assert.equal(resource.attributes["service.name"], "default");
    assert.ok(warnings.some((warning) => /dropped projectName: must be a non-empty string/.test(warning)));
    assert.ok(warnings.some((warning) => /dropped endpoint: must be an http\(s\) URL/.test(warning)));
  } finally {
    await fallback.shutdown();
  }
  assert.doesNotThrow(() => register(null as unknown as RegisterOptions).shutdown());
});

test("register({ strict: true }) throws on invalid options, and makes the with* helpers strict", async () => {
  try {
    assert.throws(() => register({ projectName: "", strict: true }), { name: "ThreadlineValidationError", message: /projectName/ });
    assert.throws(() => withAttributes({ sessionId: " " }, () => "never"), TypeError);
  } finally {
    setStrictMode(undefined);
  }
  assert.equal(withAttributes({ sessionId: " " }, () => "ran"), "ran");
});
