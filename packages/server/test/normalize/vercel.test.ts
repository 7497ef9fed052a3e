// Vercel AI SDK telemetry: an outer ai.generateText span over its provider calls
// (ai.generateText.doGenerate) and tool calls (ai.toolCall), as AI SDK 5/6 emit them, plus the
// older AI SDK 4 attribute names and embeddings.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { near, semantics, usd } from "./helpers.ts";

const telemetry = {
  "ai.model.id": "gpt-4o-mini",
  "ai.model.provider": "openai.chat",
  "ai.settings.maxRetries": 2,
  "ai.telemetry.functionId": "weather-agent",
  "ai.telemetry.metadata.sessionId": "chat-123",
  "ai.telemetry.metadata.userId": "user-9",
  "ai.telemetry.metadata.tags": ["weather", "prod"],
  "ai.telemetry.metadata.plan": "pro",
  "resource.name": "weather-agent",
};

const outer = {
  ...telemetry,
  "operation.name": "ai.generateText weather-agent",
  "ai.operationId": "ai.generateText",
  "ai.prompt": '{"system":"You are helpful.","prompt":"Weather in Paris?"}',
  "ai.response.text": "It's sunny in Paris, 22°C.",
  "ai.response.finishReason": "stop",
  "ai.usage.inputTokens": 250,
  "ai.usage.outputTokens": 32,
  "ai.usage.totalTokens": 282,
};

const firstCall = {
  ...telemetry,
  "operation.name": "ai.generateText.doGenerate weather-agent",
  "ai.operationId": "ai.generateText.doGenerate",
  "ai.prompt.messages": JSON.stringify([
    { role: "system", content: "You are helpful." },
    { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
  ]),
  "ai.prompt.tools": ['{"type":"function","name":"weather","inputSchema":{}}'],
  "ai.prompt.toolChoice": '{"type":"auto"}',
  "ai.response.toolCalls": '[{"toolCallId":"call_1","toolName":"weather","input":"{\\"city\\":\\"Paris\\"}"}]',
  "ai.response.finishReason": "tool-calls",
  "ai.response.id": "chatcmpl-1",
  "ai.response.model": "gpt-4o-mini-2024-07-18",
  "ai.usage.inputTokens": 100,
  "ai.usage.outputTokens": 12,
  "ai.usage.totalTokens": 112,
  "ai.usage.cachedInputTokens": 0,
  "gen_ai.system": "openai.chat",
  "gen_ai.request.model": "gpt-4o-mini",
  "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
  "gen_ai.response.finish_reasons": ["tool-calls"],
  "gen_ai.usage.input_tokens": 100,
  "gen_ai.usage.output_tokens": 12,
};

const { "ai.response.toolCalls": _firstToolCalls, ...firstCallWithoutToolCalls } = firstCall;
const secondCall = {
  ...firstCallWithoutToolCalls,
  "ai.prompt.messages": JSON.stringify([
    { role: "system", content: "You are helpful." },
    { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
    { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_1", toolName: "weather", input: { city: "Paris" } }] },
    { role: "tool", content: [{ type: "tool-result", toolCallId: "call_1", toolName: "weather", output: { type: "json", value: { temperature: 22 } } }] },
  ]),
  "ai.response.text": "It's sunny in Paris, 22°C.",
  "ai.response.finishReason": "stop",
  "ai.usage.inputTokens": 150,
  "ai.usage.outputTokens": 20,
  "ai.usage.totalTokens": 170,
  "ai.usage.inputTokenDetails.cacheReadTokens": 64,
  "ai.usage.cachedInputTokens": 64,
  "gen_ai.usage.input_tokens": 150,
  "gen_ai.usage.output_tokens": 20,
};

describe("Vercel AI SDK", () => {
  test("the outer ai.generateText span is a CHAIN that repeats its children's usage: zero tokens, zero cost", () => {
    const s = semantics(outer, { name: "ai.generateText" });
    assert.equal(s.spanKind, "CHAIN");
    assert.equal(s.sessionId, "chat-123");
    assert.equal(s.userId, "user-9");
    assert.deepEqual(s.tags, ["weather", "prod"]);
    assert.deepEqual(s.metadata, { plan: "pro" });
    assert.equal(s.model, "gpt-4o-mini");
    assert.deepEqual(s.tokens, { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(s.cost, 0);
    assert.deepEqual(s.inputMessages, [
      { role: "system", content: "You are helpful." },
      { role: "user", content: "Weather in Paris?" },
    ]);
    assert.deepEqual(s.outputMessages, [{ role: "assistant", content: "It's sunny in Paris, 22°C." }]);
    assert.equal(s.input, "Weather in Paris?");
    assert.equal(s.output, "It's sunny in Paris, 22°C.");
  });

  test("doGenerate calls are LLM spans with their own usage, messages and tool calls", () => {
    const first = semantics(firstCall, { name: "ai.generateText.doGenerate" });
    assert.equal(first.spanKind, "LLM");
    assert.equal(first.model, "gpt-4o-mini-2024-07-18");
    assert.deepEqual(first.tokens, { prompt: 100, completion: 12, total: 112, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.ok(near(first.cost, usd(0.15, 100) + usd(0.6, 12)));
    assert.deepEqual(first.outputMessages, [
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }] },
    ]);
    assert.equal(first.input, "Weather in Paris?");
    assert.equal(first.output, '→ weather({"city":"Paris"})');

    const second = semantics(secondCall, { name: "ai.generateText.doGenerate" });
    assert.deepEqual(second.inputMessages, [
      { role: "system", content: "You are helpful." },
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }] },
      { role: "tool", content: '{"temperature":22}', toolCallId: "call_1", name: "weather" },
    ]);
    assert.equal(second.output, "It's sunny in Paris, 22°C.");
    assert.deepEqual(second.tokens, { prompt: 150, completion: 20, total: 170, cacheRead: 64, cacheWrite: 0, reasoning: 0 });

    // The two calls add up to what the wrapper reported, so the trace counts each token once.
    assert.equal(first.tokens.total + second.tokens.total + semantics(outer, { name: "ai.generateText" }).tokens.total, outer["ai.usage.totalTokens"]);
  });

  test("ai.toolCall spans are TOOL spans with the arguments and result as sent", () => {
    const s = semantics(
      {
        "operation.name": "ai.toolCall weather-agent",
        "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "weather",
        "ai.toolCall.id": "call_1",
        "ai.toolCall.args": '{"city":"Paris"}',
        "ai.toolCall.result": '{"temperature":22}',
        "ai.telemetry.metadata.sessionId": "chat-123",
      },
      { name: "ai.toolCall" },
    );
    assert.equal(s.spanKind, "TOOL");
    assert.equal(s.input, '{"city":"Paris"}');
    assert.equal(s.output, '{"temperature":22}');
    assert.equal(s.sessionId, "chat-123");
  });

  test("AI SDK 4 names: promptTokens/completionTokens, tool calls with args, streamText wrapper", () => {
    const doStream = semantics(
      {
        "ai.operationId": "ai.streamText.doStream",
        "ai.model.id": "gpt-4o",
        "ai.prompt.format": "messages",
        "ai.prompt.messages": '[{"role":"user","content":[{"type":"text","text":"Hi there"}]}]',
        "ai.response.text": "",
        "ai.response.toolCalls": '[{"toolCallType":"function","toolCallId":"c1","toolName":"search","args":"{\\"q\\":\\"news\\"}"}]',
        "ai.usage.promptTokens": 40,
        "ai.usage.completionTokens": 8,
        "gen_ai.usage.prompt_tokens": 40,
        "gen_ai.usage.completion_tokens": 8,
      },
      { name: "ai.streamText.doStream" },
    );
    assert.equal(doStream.spanKind, "LLM");
    assert.deepEqual(doStream.tokens, { prompt: 40, completion: 8, total: 48, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.ok(near(doStream.cost, usd(2.5, 40) + usd(10, 8)));
    assert.equal(doStream.output, '→ search({"q":"news"})');

    const wrapper = semantics({ "ai.operationId": "ai.streamText", "ai.model.id": "gpt-4o", "ai.usage.promptTokens": 40, "ai.usage.completionTokens": 8 }, { name: "ai.streamText" });
    assert.equal(wrapper.spanKind, "CHAIN");
    assert.equal(wrapper.tokens.total, 0);
    assert.equal(wrapper.cost, 0);
    // Recognized by span name alone, too.
    assert.equal(semantics({ "ai.usage.promptTokens": 5 }, { name: "ai.generateObject" }).tokens.prompt, 0);
  });

  test("generateObject answers with an object; embeddings count their tokens on doEmbed only", () => {
    const object = semantics(
      { "ai.operationId": "ai.generateObject.doGenerate", "ai.prompt.messages": '[{"role":"user","content":"A recipe"}]', "ai.response.object": '{"name":"Pancakes"}' },
      { name: "ai.generateObject.doGenerate" },
    );
    assert.equal(object.spanKind, "LLM");
    assert.equal(object.output, '{"name":"Pancakes"}');

    const doEmbed = semantics({ "ai.operationId": "ai.embed.doEmbed", "ai.model.id": "text-embedding-3-small", "ai.values": ['"sunny day"'], "ai.usage.tokens": 3 });
    assert.equal(doEmbed.spanKind, "EMBEDDING");
    assert.equal(doEmbed.tokens.prompt, 3);
    const embed = semantics({ "ai.operationId": "ai.embed", "ai.value": '"sunny day"', "ai.usage.tokens": 3 });
    assert.equal(embed.spanKind, "CHAIN");
    assert.equal(embed.tokens.total, 0);
  });
});
