// Arize Phoenix's own TypeScript setup (@arizeai/phoenix-otel's register(), OpenInference's
// OpenAI instrumentation, openinference-core's setSession/setUser), pointed at Threadline as a
// Phoenix user would point it at Phoenix: the session, user, turns, tokens, first input, last
// output and the conversation with each message once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setSession, setUser } from "@arizeai/openinference-core";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { register } from "@arizeai/phoenix-otel";
import { context } from "@opentelemetry/api";
import type { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import OpenAI from "openai";
import type { Conversation, SessionDetail } from "@threadline/server";
import { getJson, startTestServer, type TestServer } from "../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../openai-stub/server.ts";

const TURNS: Array<[string, string]> = [
  ["Book me a table for two tonight.", "Done: 19:30 at Lupa, for two."],
  ["Make it three people.", "Changed: 19:30 at Lupa, for three."],
];

let server: TestServer;
let stub: OpenAIStub;
let provider: NodeTracerProvider;
before(async () => {
  server = await startTestServer();
  let turn = 0;
  stub = await startOpenAIStub({ respond: () => TURNS[turn++][1] });
  provider = register({ projectName: "phoenix-app", url: server.url, batch: false });
  new OpenAIInstrumentation({ tracerProvider: provider }).manuallyInstrument(OpenAI);
});
after(async () => {
  await provider.shutdown();
  await stub.close();
  await server.close();
});

test("phoenix-otel's register() with url at Threadline: one session of two turns", async () => {
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-stub", maxRetries: 0 });
  const messages: OpenAI.ChatCompletionMessageParam[] = [];
  const ids = setUser(setSession(context.active(), { sessionId: "px-session" }), { userId: "bo@example.com" });
  for (const [question] of TURNS) {
    messages.push({ role: "user", content: question });
    const completion = await context.with(ids, () => client.chat.completions.create({ model: "gpt-4o-mini", messages }));
    messages.push({ role: "assistant", content: completion.choices[0].message.content ?? "" });
  }
  await provider.forceFlush();

  const base = `${server.url}/api/v1/projects/phoenix-app`;
  const { status, body: session } = await getJson<SessionDetail>(`${base}/sessions/px-session`);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, ["bo@example.com"]);
  assert.equal(session.traceCount, 2);
  assert.ok(session.tokens.total > 0 && session.tokens.total === session.traces.reduce((n, t) => n + t.tokens.total, 0));
  assert.equal(session.firstInput, TURNS[0][0]);
  assert.equal(session.lastOutput, TURNS[1][1]);
  const { body: chat } = await getJson<Conversation>(`${base}/sessions/px-session/conversation`);
  const said = chat.turns.flatMap((t) => t.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => `${m.role}: ${m.content}`));
  assert.deepEqual(said, TURNS.flatMap(([q, a]) => [`user: ${q}`, `assistant: ${a}`]));
});
