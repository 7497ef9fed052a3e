// The same app over OTLP/gRPC (port 4317's protocol): OpenTelemetry's gRPC trace and log
// exporters, the project header and content capture set through the environment, as an
// operator would configure a deployed app.
import { after, before, test } from "node:test";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-grpc";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { startTestServer, type TestServer } from "../../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../../openai-stub/server.ts";
import { startApp, type InstrumentedApp } from "./app.ts";
import { assertSession, converse, reply } from "./checks.ts";

const PROJECT = "otel-openai-grpc";
let server: TestServer;
let stub: OpenAIStub;
let app: InstrumentedApp;
before(async () => {
  server = await startTestServer();
  stub = await startOpenAIStub({ respond: reply, latencyMs: 5 });
  process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = "true";
  process.env.OTEL_EXPORTER_OTLP_HEADERS = `x-project-name=${PROJECT}`;
  const url = `http://127.0.0.1:${server.grpcPort}`;
  app = await startApp({ traceExporter: new OTLPTraceExporter({ url }), logExporter: new OTLPLogExporter({ url }), openaiBaseURL: stub.baseURL });
});
after(async () => {
  await app.shutdown();
  await stub.close();
  await server.close();
});

test("over gRPC, log records first: session, user, turns, tokens and each message once", async () => {
  const tokens = await converse(app, "grpc-logs-first", "cleo@example.com");
  await app.flushLogs();
  await app.flushSpans();
  await assertSession(server.url, PROJECT, "grpc-logs-first", "cleo@example.com", tokens);
});
