import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { register, withAttributes, type RegisterOptions } from "../src/index.ts";
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
// One register() per process: it installs the global tracer provider and context manager.
const threadline = register({ projectName: "checkout-bot", endpoint: `${collector.endpoint}/`, headers: { authorization: "Bearer t0ken" } });
after(() => threadline.shutdown());

test("register() exports spans as OTLP protobuf to {endpoint}/v1/traces, with project and session", async () => {
  withAttributes({ sessionId: "sess-export", userId: "dana@example.com" }, () => {
    trace.getTracer("app").startSpan("turn").end(); // the global tracer: register() installed it
  });
  await threadline.forceFlush();

  assert.equal(collector.received.length, 1);
  const [request] = collector.received;
  assert.equal(request.url, "/v1/traces");
  assert.equal(request.headers["content-type"], "application/x-protobuf");
  assert.equal(request.headers.authorization, "Bearer t0ken");
  // Protobuf keeps strings as-is, so the attributes are visible in the raw bytes.
  for (const text of ["openinference.project.name", "checkout-bot", "service.name", "session.id", "sess-export", "dana@example.com"]) {
    assert.ok(request.body.includes(text), `request body should contain ${text}`);
  }
});

test("forceFlush() does not reject when the server is unreachable, it warns", async () => {
  await collector.close();
  trace.getTracer("app").startSpan("lost").end();
  await threadline.forceFlush();
  assert.ok(warnings.some((warning) => /forceFlush failed/.test(warning)), warnings.join("\n"));
});

test("invalid options fall back to defaults with a warning instead of throwing", async () => {
  warnings.length = 0;
  const fallback = register({ projectName: "  ", endpoint: "not a url" } as RegisterOptions);
  try {
    const span = fallback.provider.getTracer("app").startSpan("probe");
    span.end();
    const { resource } = span as unknown as ReadableSpan;
    assert.equal(resource.attributes["openinference.project.name"], "default");
    assert.equal(resource.attributes["service.name"], "default");
    assert.ok(warnings.some((warning) => /projectName must be a non-empty string/.test(warning)));
    assert.ok(warnings.some((warning) => /endpoint must be an http\(s\) URL/.test(warning)));
  } finally {
    await fallback.shutdown();
  }
});
