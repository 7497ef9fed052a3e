import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SpanStatusCode } from "@opentelemetry/api";
import OpenAI from "openai";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { startOpenAIStub, type OpenAIStub } from "../../../examples/openai-stub/server.ts";
import { suppressTracing, withAttributes, withPromptTemplate, withSession } from "../src/index.ts";
import { startInMemoryTracing } from "./tracing.ts";

// The real OpenAI client, instrumented by OpenInference, talking to the local stub.
const tracing = startInMemoryTracing();
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.manuallyInstrument(OpenAI); // ESM imports are not hooked automatically

let stub: OpenAIStub;
let client: OpenAI;
before(async () => {
  stub = await startOpenAIStub({ latencyMs: 1 });
  client = new OpenAI({ baseURL: stub.baseURL, apiKey: "test-key", maxRetries: 0 });
});
after(async () => {
  instrumentation.disable();
  await stub.close();
  await tracing.provider.shutdown();
});

const llmSpans = () => tracing.exporter.getFinishedSpans().filter((span) => span.attributes["openinference.span.kind"] === "LLM");
const ask = (content: string) => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });

test("LLM spans carry session.id and user.id from withAttributes", async () => {
  tracing.exporter.reset();
  const completion = await withAttributes({ sessionId: "sess-llm", userId: "alice@example.com" }, () => ask("Hello!"));
  assert.ok(completion.choices[0].message.content);
  const [span] = llmSpans();
  assert.equal(span.attributes["session.id"], "sess-llm");
  assert.equal(span.attributes["user.id"], "alice@example.com");
  assert.equal(span.attributes["llm.model_name"], "gpt-4o-mini");
  assert.ok(Number(span.attributes["llm.token_count.prompt"]) > 0);
});

test("LLM spans carry metadata, tags (a real string array) and the prompt template too", async () => {
  tracing.exporter.reset();
  await withAttributes({ sessionId: "sess-meta", metadata: { channel: "web" }, tags: ["beta", "eu"] }, () =>
    withPromptTemplate({ template: "Pack for {city}", variables: { city: "Oslo" }, version: "v3" }, () => ask("Pack for Oslo")),
  );
  const [span] = llmSpans();
  assert.equal(span.attributes["session.id"], "sess-meta");
  assert.equal(span.attributes["metadata"], '{"channel":"web"}');
  assert.deepEqual(span.attributes["tag.tags"], ["beta", "eu"]);
  assert.equal(span.attributes["llm.prompt_template.template"], "Pack for {city}");
  assert.equal(span.attributes["llm.prompt_template.variables"], '{"city":"Oslo"}');
  assert.equal(span.attributes["llm.prompt_template.version"], "v3");
});

test("suppressTracing: an LLM call inside makes no span, and still answers", async () => {
  tracing.exporter.reset();
  const completion = await withSession("sess-quiet", () => suppressTracing(() => ask("Grade this answer")));
  assert.ok(completion.choices[0].message.content);
  await ask("Traced again");
  assert.equal(llmSpans().length, 1);
  assert.equal(llmSpans()[0].attributes["session.id"], undefined);
});

test("LLM spans are children of the app span and share its session", async () => {
  tracing.exporter.reset();
  await withSession("sess-parent", () =>
    tracing.tracer.startActiveSpan("turn", async (turn) => {
      await ask("What can you do?");
      turn.end();
    }),
  );
  const [llm] = llmSpans();
  const turn = tracing.span("turn");
  assert.equal(llm.parentSpanContext?.spanId, turn.spanContext().spanId);
  assert.equal(llm.attributes["session.id"], "sess-parent");
  assert.equal(turn.attributes["session.id"], "sess-parent");
});

test("streaming and tool-calling requests are attributed too", async () => {
  tracing.exporter.reset();
  await withSession("sess-stream", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    for await (const chunk of stream) void chunk;
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } }];
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      tools,
      messages: [{ role: "user", content: "Is it going to rain in Lisbon tomorrow?" }],
    });
    assert.equal(completion.choices[0].message.tool_calls?.[0].type === "function" && completion.choices[0].message.tool_calls[0].function.name, "get_weather");
  });
  const spans = llmSpans();
  assert.equal(spans.length, 2);
  for (const span of spans) assert.equal(span.attributes["session.id"], "sess-stream");
});

test("a failed LLM call reaches the app, whose span records the error in its session", async () => {
  tracing.exporter.reset();
  await withSession("sess-fail", () =>
    tracing.tracer.startActiveSpan("turn", async (turn) => {
      await assert.rejects(ask("This will break [fail]"), OpenAI.InternalServerError);
      turn.setStatus({ code: SpanStatusCode.ERROR });
      turn.end();
    }),
  );
  assert.equal(tracing.span("turn").status.code, SpanStatusCode.ERROR);
  assert.equal(tracing.span("turn").attributes["session.id"], "sess-fail");
  // Known upstream gap (openinference-instrumentation-openai 4.2.7): when the request rejects, the LLM span
  // is never ended, so it is not exported. Only the app's span shows the failure.
});

test("concurrent conversations keep their own ids on LLM spans", async () => {
  tracing.exporter.reset();
  const users = ["alice", "bruno", "chen", "dana", "emeka"];
  await Promise.all(
    users.map((userId) =>
      withAttributes({ sessionId: `sess-${userId}`, userId }, async () => {
        for (const content of ["Hello!", "Thanks!"]) await ask(`${content} I'm ${userId}`);
      }),
    ),
  );
  const spans = llmSpans();
  assert.equal(spans.length, users.length * 2);
  for (const span of spans) {
    const userId = String(span.attributes["user.id"]);
    assert.equal(span.attributes["session.id"], `sess-${userId}`);
    assert.match(String(span.attributes["input.value"]), new RegExp(`I'm ${userId}`));
  }
});
