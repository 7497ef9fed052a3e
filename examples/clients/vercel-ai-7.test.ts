// Vercel AI SDK 7 with its recommended OpenTelemetry integration (@ai-sdk/otel), the session and
// user passed as runtimeContext with telemetry.includeRuntimeContext, against a local
// OpenAI-compatible stub and a real Threadline over OTLP: the session, the user, the turns, the
// tokens counted once, first input and last output, and the conversation with each message once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { OpenTelemetry } from "@ai-sdk/otel";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { generateText, registerTelemetry, type ModelMessage } from "ai";
import type { Conversation, SessionDetail } from "@threadline/server";
import { getJson, startTestServer, type TestServer } from "../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../openai-stub/server.ts";

const TURNS: Array<[string, string]> = [
  ["What is the capital of France?", "Paris."],
  ["And how many people live there?", "About 2.1 million in the city itself."],
];

let server: TestServer;
let stub: OpenAIStub;
let provider: NodeTracerProvider;
const usage: number[] = [];
before(async () => {
  server = await startTestServer();
  let turn = 0;
  stub = await startOpenAIStub({ respond: () => TURNS[turn++][1] });
  // The app's setup, as AI SDK 7's telemetry docs write it; OpenTelemetry's exporter names the
  // project with the x-project-name header (the SDK has no project setting).
  provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { "x-project-name": "ai7" } }))],
  });
  provider.register();
  registerTelemetry(new OpenTelemetry({ runtimeContext: true }));
});
after(async () => {
  await provider.shutdown();
  await stub.close();
  await server.close();
});

test("AI SDK 7 with runtimeContext: one session of two turns, tokens once, each message once", async () => {
  const model = createOpenAICompatible({ name: "stub", baseURL: stub.baseURL, apiKey: "sk-stub" })("gpt-4o-mini");
  const messages: ModelMessage[] = [];
  for (const [question] of TURNS) {
    messages.push({ role: "user", content: question });
    const result = await generateText({
      model, messages,
      runtimeContext: { sessionId: "ai7-session", userId: "ana@example.com" },
      telemetry: { includeRuntimeContext: { sessionId: true, userId: true } },
    });
    usage.push(result.usage.totalTokens ?? 0);
    messages.push({ role: "assistant", content: result.text });
  }
  await provider.forceFlush();

  const { status, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/ai7/sessions/ai7-session`);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, ["ana@example.com"]);
  assert.equal(session.traceCount, 2);
  assert.equal(session.tokens.total, usage[0] + usage[1], `the model's usage once (${usage.join(" + ")}), not again on invoke_agent`);
  assert.equal(session.firstInput, TURNS[0][0]);
  assert.equal(session.lastOutput, TURNS[1][1]);
  const { body: chat } = await getJson<Conversation>(`${server.url}/api/v1/projects/ai7/sessions/ai7-session/conversation`);
  const said = chat.turns.flatMap((t) => t.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => `${m.role}: ${m.content}`));
  assert.deepEqual(said, TURNS.flatMap(([q, a]) => [`user: ${q}`, `assistant: ${a}`]));
});
