// OpenTelemetry's own GenAI instrumentation for OpenAI (@opentelemetry/instrumentation-openai)
// with the real `openai` client against a local stub, exporting spans and log records over
// OTLP/HTTP (protobuf) to a real Threadline: the messages, sent as log records, join their spans
// whether the logs are exported before the spans or after them.
import { after, before, test } from "node:test";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { startTestServer, type TestServer } from "../../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../../openai-stub/server.ts";
import { startApp, type InstrumentedApp } from "./app.ts";
import { assertSession, converse, reply } from "./checks.ts";

const PROJECT = "otel-openai";
let server: TestServer;
let stub: OpenAIStub;
let app: InstrumentedApp;
before(async () => {
  server = await startTestServer();
  stub = await startOpenAIStub({ respond: reply, latencyMs: 5 });
  // OpenTelemetry's exporters have no project setting: the x-project-name header names it.
  const headers = { "x-project-name": PROJECT };
  app = await startApp({
    traceExporter: new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers }),
    logExporter: new OTLPLogExporter({ url: `${server.url}/v1/logs`, headers }),
    openaiBaseURL: stub.baseURL,
    captureMessageContent: true,
  });
});
after(async () => {
  await app.shutdown();
  await stub.close();
  await server.close();
});

test("log records exported before their spans: session, user, turns, tokens and each message once", async () => {
  const tokens = await converse(app, "logs-first", "ana@example.com");
  await app.flushLogs();
  await app.flushSpans();
  await assertSession(server.url, PROJECT, "logs-first", "ana@example.com", tokens);
});

test("log records exported after their spans: the same", async () => {
  const tokens = await converse(app, "spans-first", "ben@example.com");
  await app.flushSpans();
  await app.flushLogs();
  await assertSession(server.url, PROJECT, "spans-first", "ben@example.com", tokens);
});
