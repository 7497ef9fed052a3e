import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FAIL_HEADER, startOpenAIStub, type OpenAIStub } from "./server.ts";

let stub: OpenAIStub;
before(async () => {
  stub = await startOpenAIStub({ latencyMs: 0, replies: { "What's 2 + 2?": "4." } });
});
after(() => stub.close());

const weatherTool = { type: "function", function: { name: "get_weather", parameters: { type: "object" } } };

async function complete(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${stub.baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "gpt-4o-mini", ...body }),
  });
  return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text() };
}

const user = (content: string) => ({ messages: [{ role: "user", content }] });

test("answers in the OpenAI format, echoing the model, with canned replies and token usage", async () => {
  const { status, body } = await complete({ ...user("What's 2 + 2?"), model: "gpt-4.1" });
  assert.equal(status, 200);
  assert.equal(body.object, "chat.completion");
  assert.equal(body.model, "gpt-4.1");
  assert.deepEqual(body.choices[0].message, { role: "assistant", content: "4.", refusal: null });
  assert.equal(body.choices[0].finish_reason, "stop");
  assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
});

test("prompt tokens grow with the input", async () => {
  const short = await complete(user("Hello"));
  const long = await complete(user(`Hello ${"and some more context ".repeat(50)}`));
  assert.ok(long.body.usage.prompt_tokens > short.body.usage.prompt_tokens + 200);
});

test("calls an offered tool when it can, and answers from the tool result", async () => {
  const question = { role: "user", content: "Do I need an umbrella in Berlin today?" };
  const first = await complete({ messages: [question], tools: [weatherTool] });
  const toolCall = first.body.choices[0].message.tool_calls[0];
  assert.equal(first.body.choices[0].finish_reason, "tool_calls");
  assert.deepEqual([toolCall.function.name, JSON.parse(toolCall.function.arguments)], ["get_weather", { city: "Berlin" }]);

  const result = { city: "Berlin", temperature_c: 11, condition: "Light rain", high_c: 14, low_c: 6, precipitation_chance: 80 };
  const second = await complete({
    tools: [weatherTool],
    messages: [question, first.body.choices[0].message, { role: "tool", tool_call_id: toolCall.id, content: JSON.stringify(result) }],
  });
  assert.match(second.body.choices[0].message.content, /Berlin it's 11°C and light rain.*umbrella/);

  const withoutTools = await complete({ messages: [question] });
  assert.equal(withoutTools.body.choices[0].message.tool_calls, undefined);
});

test("fails with an OpenAI-style 500 on the [fail] marker or the fail header", async () => {
  for (const failing of [complete(user("Please [fail] now")), complete(user("Hello"), { [FAIL_HEADER]: "1" })]) {
    const { status, body } = await failing;
    assert.equal(status, 500);
    assert.equal(body.error.type, "server_error");
  }
});

test("streams server-sent events ending with usage and [DONE]", async () => {
  const { status, body } = await complete({ ...user("What's 2 + 2?"), stream: true, stream_options: { include_usage: true } });
  assert.equal(status, 200);
  const events = String(body).trim().split("\n\n").map((event) => event.replace(/^data: /, ""));
  assert.equal(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
  assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join(""), "4.");
  assert.ok(chunks.at(-1).usage.total_tokens > 0);
});

test("rejects unknown routes and malformed bodies like the real API", async () => {
  assert.equal((await fetch(`${stub.baseURL}/models`)).status, 404);
  assert.equal((await complete({ messages: "nope" })).status, 400);
});
