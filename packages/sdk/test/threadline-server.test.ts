// register() end to end: an app's own spans and the OpenAI instrumentation's LLM spans, made
// inside withAttributes, reach a real Threadline server over OTLP and form one session.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { trace } from "@opentelemetry/api";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import OpenAI from "openai";
import { getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { SessionDetail, TraceDetail } from "@threadline/server";
import { startOpenAIStub } from "../../../examples/openai-stub/server.ts";
import { endSession, register, withAttributes, withSession, withUser, type Threadline } from "../src/index.ts";

let server: TestServer;
let stub: Awaited<ReturnType<typeof startOpenAIStub>>;
let threadline: Threadline;
let instrumentation: OpenAIInstrumentation;

before(async () => {
  server = await startTestServer();
  stub = await startOpenAIStub({ latencyMs: 0 });
  threadline = register({ projectName: "support-bot", endpoint: server.url });
  instrumentation = new OpenAIInstrumentation({ tracerProvider: threadline.provider });
  instrumentation.manuallyInstrument(OpenAI);
});
after(async () => {
  instrumentation.disable();
  await threadline.shutdown();
  await stub.close();
  await server.close();
});

test("spans made inside withAttributes, the OpenAI instrumentation's included, form one session on the server", async () => {
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-test", maxRetries: 0 });
  const tracer = trace.getTracer("support-bot");
  const questions = ["Hi, my order hasn't arrived.", "It was order 1234.", "Thanks, that helps!"];
  const history: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  for (const question of questions) {
    await withAttributes({ sessionId: "sess-e2e", userId: "dana@example.com", metadata: { channel: "web" }, tags: ["support", "eu"] }, () =>
      tracer.startActiveSpan("turn", async (span) => {
        span.setAttributes({ "openinference.span.kind": "AGENT", "input.value": question });
        history.push({ role: "user", content: question });
        const reply = await client.chat.completions.create({ model: "gpt-4o-mini", messages: history });
        const answer = reply.choices[0].message.content ?? "";
        history.push({ role: "assistant", content: answer });
        span.setAttribute("output.value", answer);
        span.end();
      }),
    );
  }
  await threadline.forceFlush();

  const { status, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/support-bot/sessions/sess-e2e`);
  assert.equal(status, 200);
  assert.equal(session.traceCount, 3);
  assert.equal(session.spanCount, 6, "each turn: the app span and the LLM span");
  assert.deepEqual(session.userIds, ["dana@example.com"]);
  assert.deepEqual(session.traces.map((t) => t.input), questions);
  assert.equal(session.firstInput, questions[0]);
  assert.ok(session.tokens.total > 0 && session.tokens.total === session.tokens.prompt + session.tokens.completion);
  assert.ok(session.cost.total > 0, "gpt-4o-mini is priced from the built-in table");

  const { body: turn } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/support-bot/traces/${session.traces[0].traceId}`);
  const llm = turn.spans.find((s) => s.spanKind === "LLM");
  assert.ok(llm, "the instrumentation's LLM span arrived");
  assert.equal(llm.attributes["session.id"], "sess-e2e");
  assert.equal(llm.attributes["user.id"], "dana@example.com");
  assert.equal(llm.model?.startsWith("gpt-4o-mini"), true);
  assert.deepEqual(llm.inputMessages?.map((m) => [m.role, m.content]), [["user", questions[0]]]);
  assert.equal(llm.outputMessages?.[0].role, "assistant");
  assert.equal(llm.outputMessages?.[0].content, session.traces[0].output);
  assert.equal(turn.spans.find((s) => s.name === "turn")?.userId, "dana@example.com");
  // Metadata and tags arrive on every span, the instrumentation's included, and roll up to the session.
  for (const span of turn.spans) {
    assert.deepEqual(span.tags, ["support", "eu"], span.name);
    assert.deepEqual(span.metadata, { channel: "web" }, span.name);
  }
  assert.deepEqual([...session.tags].sort(), ["eu", "support"]);
});

test("withSession and withUser nest, and a span from a plain OpenTelemetry tracer carries both", async () => {
  await withSession("sess-nested", () =>
    withUser("eve@example.com", () => trace.getTracer("http-client").startSpan("GET /weather").end()),
  );
  await threadline.forceFlush();
  const { body } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/support-bot/sessions/sess-nested`);
  assert.deepEqual(body.userIds, ["eve@example.com"]);
  assert.equal(body.traces[0].rootSpanName, "GET /weather");
});

test("endSession() closes the session on the server: inside the last turn, or by its id afterwards", async () => {
  const tracer = trace.getTracer("support-bot");
  withSession("sess-ends-inside", () => tracer.startActiveSpan("turn", (span) => {
    span.setAttribute("input.value", "bye");
    endSession();
    span.end();
  }));
  withSession("sess-ends-later", () => tracer.startActiveSpan("turn", (span) => span.end()));
  endSession("sess-ends-later");
  await threadline.forceFlush();
  for (const id of ["sess-ends-inside", "sess-ends-later"]) {
    const { body } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/support-bot/sessions/${id}`);
    assert.equal(body.state, "closed", id);
    assert.equal(body.traceCount, 1, `${id}: the end is not a turn of its own`);
  }
  assert.doesNotThrow(() => endSession(), "with no session and no span it does nothing harmful");
});
