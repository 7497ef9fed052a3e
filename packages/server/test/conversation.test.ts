// The conversation endpoint shows every message once, in order, across LLM calls that re-send
// the history, tool calls and results included, and across page boundaries.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Conversation } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
const T0 = Date.UTC(2026, 4, 1);

type Msg = { role: string; content?: string; toolCall?: [string, string, string]; toolCallId?: string };
/** OpenInference's flattened message attributes. */
function messages(prefix: string, list: Msg[]): Record<string, string> {
  const out: Record<string, string> = {};
  list.forEach((m, i) => {
    out[`${prefix}.${i}.message.role`] = m.role;
    if (m.content !== undefined) out[`${prefix}.${i}.message.content`] = m.content;
    if (m.toolCallId) out[`${prefix}.${i}.message.tool_call_id`] = m.toolCallId;
    if (m.toolCall) {
      out[`${prefix}.${i}.message.tool_calls.0.tool_call.id`] = m.toolCall[0];
      out[`${prefix}.${i}.message.tool_calls.0.tool_call.function.name`] = m.toolCall[1];
      out[`${prefix}.${i}.message.tool_calls.0.tool_call.function.arguments`] = m.toolCall[2];
    }
  });
  return out;
}

const SYSTEM: Msg = { role: "system", content: "You are a weather bot." };
const Q1: Msg = { role: "user", content: "Weather in Paris?" };
const CALL: Msg = { role: "assistant", toolCall: ["call_1", "get_weather", '{"city":"Paris"}'] };
const RESULT: Msg = { role: "tool", content: "18°C, sunny", toolCallId: "call_1" };
const A1: Msg = { role: "assistant", content: "It is 18°C and sunny." };
const Q2: Msg = { role: "user", content: "And tomorrow?" };
const A2: Msg = { role: "assistant", content: "Rain is expected." };

before(async () => {
  server = await startTestServer();
  const llm = (traceId: string, parent: string, startMs: number, input: Msg[], output: Msg[]) => ({
    traceId, parentSpanId: parent, name: "ChatCompletion", startMs, endMs: startMs + 100,
    attributes: { "openinference.span.kind": "LLM", ...messages("llm.input_messages", input), ...messages("llm.output_messages", output) },
  });
  const [t1, t2, t3, t4] = [hexId(16), hexId(16), hexId(16), hexId(16)];
  const [r1, r2, r3, r4] = [hexId(8), hexId(8), hexId(8), hexId(8)];
  const root = (traceId: string, spanId: string, startMs: number, extra: Record<string, string> = {}, error?: string) => ({
    traceId, spanId, name: "turn", startMs, endMs: startMs + 1000, attributes: { "session.id": "chat", ...extra }, error,
  });
  const spans = [
    root(t1, r1, T0), llm(t1, r1, T0 + 10, [SYSTEM, Q1], [CALL]), llm(t1, r1, T0 + 300, [SYSTEM, Q1, CALL, RESULT], [A1]),
    root(t2, r2, T0 + 60_000), llm(t2, r2, T0 + 60_010, [SYSTEM, Q1, CALL, RESULT, A1, Q2], [A2]),
    root(t3, r3, T0 + 120_000, { "input.value": "plain question", "output.value": "plain answer" }),
    root(t4, r4, T0 + 180_000, { "input.value": "last one" }, "provider timeout"),
  ];
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, "talk"))).status, 200);
});
after(() => server.close());

const page = (query = "") => getJson<Conversation>(`${server.url}/api/v1/projects/talk/sessions/chat/conversation?${query}`);
const shape = (turn: Conversation["turns"][number]) =>
  turn.messages.map((m) => [m.role, m.content ?? m.toolCalls?.map((c) => `${c.name}(${c.arguments})`).join() ?? null]);

test("each message appears once, in order, tool call and result between the question and the answer", async () => {
  const { status, body } = await page();
  assert.equal(status, 200);
  assert.equal(body.turns.length, 4);
  assert.deepEqual(shape(body.turns[0]), [
    ["system", "You are a weather bot."],
    ["user", "Weather in Paris?"],
    ["assistant", 'get_weather({"city":"Paris"})'],
    ["tool", "18°C, sunny"],
    ["assistant", "It is 18°C and sunny."],
  ]);
  assert.equal(body.turns[0].messages[3].toolCallId, "call_1");
  assert.deepEqual(shape(body.turns[1]), [["user", "And tomorrow?"], ["assistant", "Rain is expected."]]);
  assert.deepEqual(shape(body.turns[2]), [["user", "plain question"], ["assistant", "plain answer"]], "no messages: the turn's input and output");
  assert.equal(body.turns[3].status, "ERROR");
  assert.deepEqual(body.turns[3].error && [body.turns[3].error.spanName, body.turns[3].error.message], ["turn", "provider timeout"]);
  assert.equal(body.nextCursor, null);
});

test("a page boundary does not show the history again", async () => {
  const first = await page("limit=1");
  assert.equal(first.body.turns.length, 1);
  const second = await page(`limit=1&cursor=${first.body.nextCursor}`);
  assert.deepEqual(shape(second.body.turns[0]), [["user", "And tomorrow?"], ["assistant", "Rain is expected."]]);
});

test("an unknown session is a 404", async () => {
  const { status } = await getJson(`${server.url}/api/v1/projects/talk/sessions/nope/conversation`);
  assert.equal(status, 404);
});
