// Vercel AI SDK 6 with its built-in telemetry, set up the way its docs show for Node: an
// OpenTelemetry NodeSDK with an OTLP trace exporter, and per call
// experimental_telemetry: { isEnabled: true, metadata: { sessionId, userId } }. One turn with
// generateText, one with streamText, through @ai-sdk/openai-compatible against a local stub and
// a real Threadline: the session, the user, the turns, the tokens counted once, first input and
// last output, the conversation with each message once, and the project from the header.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { generateText, streamText, type ModelMessage } from "ai";
import type { Conversation, SessionDetail } from "@threadline/server";
import { getJson, startTestServer, type TestServer } from "../../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../../openai-stub/server.ts";

const TURNS: Array<[string, string]> = [
  ["What is the capital of France?", "Paris."],
  ["And how many people live there?", "About 2.1 million in the city itself."],
];
const telemetry = { isEnabled: true, metadata: { sessionId: "ai6-session", userId: "ana@example.com" } };

let server: TestServer;
let stub: OpenAIStub;
let sdk: NodeSDK;
before(async () => {
  server = await startTestServer();
  let turn = 0;
  stub = await startOpenAIStub({ latencyMs: 5, respond: () => TURNS[turn++]?.[1] ?? null });
  // The AI SDK has no project setting: the exporter names it with the x-project-name header.
  sdk = new NodeSDK({ traceExporter: new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { "x-project-name": "ai6" } }) });
  sdk.start();
});
after(async () => {
  await stub.close();
  await server.close();
});

test("AI SDK 6 with experimental_telemetry.metadata: one session of two turns, tokens once, each message once", async () => {
  const model = createOpenAICompatible({ name: "stub", baseURL: stub.baseURL, apiKey: "sk-stub", includeUsage: true })("gpt-4o-mini");
  const messages: ModelMessage[] = [{ role: "user", content: TURNS[0][0] }];
  const first = await generateText({ model, messages, experimental_telemetry: telemetry });
  messages.push({ role: "assistant", content: first.text }, { role: "user", content: TURNS[1][0] });
  const second = streamText({ model, messages, experimental_telemetry: telemetry });
  const streamed = await second.text;
  const usage = [first.usage.totalTokens ?? 0, (await second.usage).totalTokens ?? 0];
  assert.deepEqual([first.text, streamed], TURNS.map(([, answer]) => answer));
  await sdk.shutdown(); // flushes the batch, as a script ends

  const url = `${server.url}/api/v1/projects/ai6/sessions/ai6-session`;
  const { status, body: session } = await getJson<SessionDetail>(url);
  assert.equal(status, 200, `${JSON.stringify(session)}\n${server.logs.slice(-5).join("\n")}`);
  assert.deepEqual(session.userIds, ["ana@example.com"]);
  assert.equal(session.traceCount, 2);
  assert.ok(usage[0] > 0 && usage[1] > 0, `the stub reports usage (${usage.join(", ")})`);
  assert.equal(session.tokens.total, usage[0] + usage[1], `the model's usage once (${usage.join(" + ")}), not again on the ai.generateText/ai.streamText wrapper`);
  assert.equal(session.firstInput, TURNS[0][0]);
  assert.equal(session.lastOutput, TURNS[1][1]);
  const { body: chat } = await getJson<Conversation>(`${url}/conversation`);
  const said = chat.turns.flatMap((t) => t.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => `${m.role}: ${m.content}`));
  assert.deepEqual(said, TURNS.flatMap(([q, a]) => [`user: ${q}`, `assistant: ${a}`]));
});
