// register({ traceConfig }) masks in the app, the OpenInference way: the real OpenAI client,
// instrumented by the OpenAI instrumentation that autoInstrument loads, talks to the local stub
// and exports to a real Threadline; what was hidden never reaches the server.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import OpenAI from "openai";
import { getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { SearchResults, SessionDetail, TraceDetail } from "@threadline/server";
import { startOpenAIStub, type OpenAIStub } from "../../../examples/openai-stub/server.ts";
import { resolveTraceConfig, register, traceChain, withAttributes, type Threadline } from "../src/index.ts";
import { enableInstrumentations } from "../src/instrumentations.ts";
import { captureWarnings, strictly } from "./tracing.ts";

const warnings = captureWarnings();
beforeEach(() => (warnings.length = 0));

/** Runs `fn` with these environment variables, restoring the environment after. */
function withEnv<T>(variables: Record<string, string>, fn: () => T): T {
  const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return fn();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

test("each option beats its OPENINFERENCE_* variable, which beats the default", () => {
  const config = withEnv({ OPENINFERENCE_HIDE_INPUTS: "false", OPENINFERENCE_HIDE_OUTPUT_TEXT: "TRUE", OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: "100" }, () =>
    resolveTraceConfig({ hideInputs: true, hideLLMTools: false }),
  );
  assert.equal(config.hideInputs, true, "the option wins over the variable");
  assert.equal(config.hideOutputText, true, "the variable applies where no option is given");
  assert.equal(config.base64ImageMaxLength, 100);
  assert.equal(config.hideOutputs, false, "the default");
  assert.equal(config.hideInputImages, false);
  assert.deepEqual(warnings, []);
  // Without any option the environment still counts (openinference-core alone ignores it then).
  assert.equal(withEnv({ OPENINFERENCE_HIDE_OUTPUTS: "true" }, () => resolveTraceConfig(undefined)).hideOutputs, true);
});

test("a wrong value is reported and skipped, never thrown into the app; strict mode throws", async () => {
  const config = withEnv({ OPENINFERENCE_HIDE_INPUT_MESSAGES: "yes" }, () =>
    resolveTraceConfig({ hideInputs: "yes" as unknown as boolean, base64ImageMaxLength: -1, hideEverything: true } as never),
  );
  assert.equal(config.hideInputs, false);
  assert.equal(config.base64ImageMaxLength, 32_000);
  assert.equal(warnings.length, 4, warnings.join("\n"));
  assert.match(warnings.join("\n"), /traceConfig\.hideInputs: must be true or false/);
  assert.match(warnings.join("\n"), /traceConfig\.hideEverything: is not a TraceConfig option/);
  assert.match(warnings.join("\n"), /OPENINFERENCE_HIDE_INPUT_MESSAGES: must be "true" or "false", got "yes"/);
  await strictly(() => assert.throws(() => resolveTraceConfig({ hideOutputs: 1 } as never), /traceConfig\.hideOutputs/));
});

test("an OpenInference instrumentation passed without a traceConfig masks with register()'s; its own is kept", () => {
  const config = resolveTraceConfig({ hideOutputs: true });
  const own = resolveTraceConfig({ hideInputs: true });
  // The shape every @arizeai/openinference-instrumentation-* has: setTracerProvider builds its tracer from this.traceConfig.
  const instrumentation = (traceConfig: unknown) => ({
    instrumentationName: "fake", traceConfig, used: undefined as unknown,
    setTracerProvider() { this.used = this.traceConfig; }, enable() {}, disable() {},
  });
  const [bare, configured] = [instrumentation(undefined), instrumentation(own)];
  enableInstrumentations([bare, configured], threadline.provider, config);
  assert.equal(bare.used, config);
  assert.equal(configured.used, own);
});

let server: TestServer;
let stub: OpenAIStub;
let threadline: Threadline;
before(async () => {
  [server, stub] = await Promise.all([startTestServer(), startOpenAIStub({ latencyMs: 0 })]);
  // hideInputs from the option (over the variable saying false), hideOutputs from the variable.
  threadline = withEnv({ OPENINFERENCE_HIDE_INPUTS: "false", OPENINFERENCE_HIDE_OUTPUTS: "true" }, () =>
    register({ projectName: "masked", endpoint: server.url, batch: false, autoInstrument: true, traceConfig: { hideInputs: true } }),
  );
});
after(async () => {
  await threadline.shutdown();
  await Promise.all([stub.close(), server.close()]);
});

test("what the TraceConfig hides never reaches the server; sessions, tokens and the model still do", async () => {
  assert.deepEqual((await threadline.instrumented).loaded.includes("openai"), true);
  assert.equal(threadline.traceConfig.hideInputs, true);
  assert.equal(threadline.traceConfig.hideOutputs, true);
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-test", maxRetries: 0 });
  const question = "My passport number is X1234567, can I still fly to Lisbon?";
  const completion = await withAttributes({ sessionId: "sess-masked", userId: "hana" }, () =>
    client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] }),
  );
  const answer = completion.choices[0].message.content ?? "";
  assert.ok(answer.length > 10, "the app still gets its answer");
  // The SDK's own span helpers mask too: register()'s tracer and the module-level wrappers.
  const planned = await withAttributes({ sessionId: "sess-masked" }, async () => {
    const plan = threadline.tracer.chain((trip: string) => `plan for ${trip}`, { name: "plan" });
    const book = traceChain((trip: string) => `booked ${trip}`, { name: "book" });
    return [plan("Lisbon via passport X1234567"), book("Lisbon via passport X1234567")];
  });
  assert.deepEqual(planned, ["plan for Lisbon via passport X1234567", "booked Lisbon via passport X1234567"]);
  await threadline.forceFlush();

  const api = `${server.url}/api/v1/projects/masked`;
  const { status, body: session } = await getJson<SessionDetail>(`${api}/sessions/sess-masked`);
  assert.equal(status, 200);
  assert.deepEqual(session.userIds, ["hana"]);
  assert.ok(session.tokens.total > 0, "token counts are not hidden");
  const llmTrace = session.traces.find((t) => t.spanCount === 1 && t.rootSpanName !== "plan" && t.rootSpanName !== "book");
  assert.ok(llmTrace, JSON.stringify(session.traces.map((t) => t.rootSpanName)));
  const { body: detail } = await getJson<TraceDetail>(`${api}/traces/${llmTrace.traceId}`);
  const llm = detail.spans[0];
  assert.equal(llm.spanKind, "LLM");
  assert.equal(llm.model?.startsWith("gpt-4o-mini"), true);
  assert.equal(llm.attributes["input.value"], "__REDACTED__");
  assert.equal(llm.attributes["output.value"], "__REDACTED__");
  assert.equal(llm.inputMessages?.length ?? 0, 0);
  assert.equal(llm.outputMessages?.length ?? 0, 0);

  // Nowhere on the server: not in the session, any trace, the conversation, the export or search.
  const bodies = [JSON.stringify(session)];
  for (const trace of session.traces) bodies.push(await (await fetch(`${api}/traces/${trace.traceId}`)).text());
  bodies.push(await (await fetch(`${api}/sessions/sess-masked/conversation`)).text());
  bodies.push(await (await fetch(`${api}/sessions/sess-masked/export`)).text());
  const everything = bodies.join("\n");
  assert.ok(everything.includes("__REDACTED__"));
  for (const secret of [question, "X1234567", answer, "plan for Lisbon", "booked Lisbon"]) {
    assert.ok(!everything.includes(secret), `"${secret}" reached the server`);
  }
  for (const word of ["passport", "X1234567", answer.split(/\W+/).find((w) => w.length > 6) ?? "Lisbon"]) {
    const { body: found } = await getJson<SearchResults>(`${api}/search?q=${encodeURIComponent(word)}`);
    assert.deepEqual(found.sessions, [], `search for ${word}`);
  }
});
