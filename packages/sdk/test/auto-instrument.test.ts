// register({ autoInstrument: true }) finds the installed OpenInference instrumentations by itself (here
// OpenAI's and LangChain's, which the client tests in examples/ install) and patches the ES-module
// `openai` the app imports: no manual setup.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import OpenAI from "openai";
import { startOpenAIStub, type OpenAIStub } from "../../../examples/openai-stub/server.ts";
import { KNOWN_INSTRUMENTATIONS, register, withAttributes } from "../src/index.ts";
import { captureWarnings } from "./tracing.ts";

const warnings = captureWarnings();
const exporter = new InMemorySpanExporter();
const threadline = register({ projectName: "auto", exporter, batch: false, autoInstrument: true });
let stub: OpenAIStub;
before(async () => (stub = await startOpenAIStub({ latencyMs: 0 })));
after(() => stub.close());

test("reports which known instrumentations it loaded and which are not installed", async () => {
  const report = await threadline.instrumented;
  const installed = ["langchain", "openai"];
  assert.deepEqual(report.loaded, installed);
  assert.deepEqual(report.failed, []);
  assert.deepEqual(report.notInstalled, KNOWN_INSTRUMENTATIONS.map((known) => known.name).filter((name) => !installed.includes(name)).sort());
  assert.deepEqual(warnings, []);
});

test("the app's OpenAI client is traced, its LLM spans carry the session; shutdown() stops it", async () => {
  await threadline.instrumented;
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-test", maxRetries: 0 });
  const ask = () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello!" }] });
  await withAttributes({ sessionId: "sess-auto", userId: "fay" }, ask);
  const [span] = exporter.getFinishedSpans();
  assert.equal(span.attributes["openinference.span.kind"], "LLM");
  assert.equal(span.attributes["session.id"], "sess-auto");
  assert.equal(span.attributes["user.id"], "fay");

  // shimmer marks the functions it wrapped; disabling the instrumentation restores the original.
  const isWrapped = () => "__wrapped" in OpenAI.Chat.Completions.prototype.create;
  assert.equal(isWrapped(), true);
  await threadline.shutdown();
  assert.equal(isWrapped(), false);
});
