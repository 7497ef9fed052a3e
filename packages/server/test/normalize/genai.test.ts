// OpenTelemetry GenAI conventions: the current JSON message attributes (v1.37+), and the
// earlier span events (v1.28–1.36, Azure SDKs, Semantic Kernel).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { event, near, semantics, usd } from "./helpers.ts";

describe("OpenTelemetry GenAI (JSON messages)", () => {
  const chat = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "anthropic",
    "gen_ai.request.model": "claude-sonnet-4",
    "gen_ai.response.model": "claude-sonnet-4-20250514",
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.conversation.id": "thread-9",
    "gen_ai.usage.input_tokens": 5120,
    "gen_ai.usage.output_tokens": 100,
    "gen_ai.usage.cache_read.input_tokens": 4500,
    "gen_ai.usage.cache_creation.input_tokens": 500,
    "gen_ai.system_instructions": '[{"type": "text", "content": "You must answer in French."}]',
    "gen_ai.input.messages": JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a helpful bot" }] },
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_V", name: "get_weather", arguments: { location: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_V", response: "rainy, 57°F" }] },
    ]),
    "gen_ai.output.messages": JSON.stringify([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "The user wants the weather..." },
          { type: "text", content: "Il pleut à Paris, 14°C." },
        ],
        finish_reason: "stop",
      },
    ]),
  };

  test("a chat span with instructions, a tool round-trip and cache usage", () => {
    const s = semantics(chat, { name: "chat claude-sonnet-4", resource: { "service.name": "bot", "enduser.id": "u-77" } });
    assert.equal(s.spanKind, "LLM");
    assert.equal(s.sessionId, "thread-9");
    assert.equal(s.userId, "u-77");
    assert.equal(s.model, "claude-sonnet-4-20250514");
    assert.deepEqual(s.tokens, { prompt: 5120, completion: 100, total: 5220, cacheRead: 4500, cacheWrite: 500, reasoning: 0 });
    assert.ok(near(s.cost, usd(3, 620) + usd(0.3, 4500) + usd(3.75, 500) + usd(15, 100)));
    assert.deepEqual(s.inputMessages, [
      { role: "system", content: "You must answer in French." },
      { role: "system", content: "You are a helpful bot" },
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_V", name: "get_weather", arguments: '{"location":"Paris"}' }] },
      { role: "tool", content: "rainy, 57°F", toolCallId: "call_V" },
    ]);
    assert.deepEqual(s.outputMessages, [{ role: "assistant", content: "Il pleut à Paris, 14°C." }]);
    assert.equal(s.input, "Weather in Paris?");
    assert.equal(s.output, "Il pleut à Paris, 14°C.");
    assert.deepEqual(s.tags, []);
    assert.deepEqual(s.metadata, {});
  });

  test("messages sent as structured attribute values (arrays of kvlists) read the same", () => {
    const structured = semantics({
      ...chat,
      "gen_ai.input.messages": JSON.parse(chat["gen_ai.input.messages"]),
      "gen_ai.output.messages": JSON.parse(chat["gen_ai.output.messages"]),
      "gen_ai.system_instructions": [{ type: "text", content: "You must answer in French." }],
    });
    assert.deepEqual(structured.inputMessages, semantics(chat).inputMessages);
    assert.equal(structured.output, "Il pleut à Paris, 14°C.");
  });

  test("execute_tool, invoke_agent and embeddings spans", () => {
    const tool = semantics({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.call.id": "call_V",
      "gen_ai.tool.call.arguments": '{"location":"Paris"}',
      "gen_ai.tool.call.result": "rainy, 57°F",
    });
    assert.equal(tool.spanKind, "TOOL");
    assert.equal(tool.input, '{"location":"Paris"}');
    assert.equal(tool.output, "rainy, 57°F");

    const agent = semantics({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "travel",
      "gen_ai.conversation.id": "thread-9",
      "gen_ai.input.messages": '[{"role": "user", "parts": [{"type": "text", "content": "Plan a weekend in Rome"}]}]',
      "gen_ai.output.messages": '[{"role": "assistant", "parts": [{"type": "text", "content": "Day 1: the Colosseum."}]}]',
    });
    assert.equal(agent.spanKind, "AGENT");
    assert.equal(agent.input, "Plan a weekend in Rome");
    assert.equal(agent.output, "Day 1: the Colosseum.");
    assert.equal(semantics({ "gen_ai.operation.name": "create_agent" }).spanKind, "AGENT");

    const embed = semantics({ "gen_ai.operation.name": "embeddings", "gen_ai.request.model": "text-embedding-3-small", "gen_ai.usage.input_tokens": 8 });
    assert.equal(embed.spanKind, "EMBEDDING");
    assert.deepEqual(embed.tokens, { prompt: 8, completion: 0, total: 8, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(embed.cost, 0); // not in the price table
    for (const op of ["text_completion", "generate_content"]) assert.equal(semantics({ "gen_ai.operation.name": op }).spanKind, "LLM");
  });
});

describe("OpenTelemetry GenAI (span events)", () => {
  test("message events with their body as attributes, and a gen_ai.choice", () => {
    const s = semantics(
      {
        "gen_ai.system": "openai",
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 52,
        "gen_ai.usage.output_tokens": 47,
      },
      {
        events: [
          event("gen_ai.system.message", { "gen_ai.system": "openai", content: "You are a helpful bot" }),
          event("gen_ai.user.message", { "gen_ai.system": "openai", content: "Tell me a joke about OpenTelemetry" }),
          event("gen_ai.choice", {
            "gen_ai.system": "openai",
            index: 0,
            finish_reason: "stop",
            message: { content: "Why did the developer bring OpenTelemetry to the party?" },
          }),
        ],
      },
    );
    assert.equal(s.spanKind, "LLM");
    assert.deepEqual(s.inputMessages, [
      { role: "system", content: "You are a helpful bot" },
      { role: "user", content: "Tell me a joke about OpenTelemetry" },
    ]);
    assert.deepEqual(s.outputMessages, [{ role: "assistant", content: "Why did the developer bring OpenTelemetry to the party?" }]);
    assert.equal(s.input, "Tell me a joke about OpenTelemetry");
    assert.equal(s.output, "Why did the developer bring OpenTelemetry to the party?");
    assert.ok(near(s.cost, usd(2.5, 52) + usd(10, 47)));
  });

  test("Azure SDK events: the body as JSON in gen_ai.event.content, tool calls and tool results", () => {
    const s = semantics(
      { "gen_ai.system": "az.ai.inference", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" },
      {
        events: [
          event("gen_ai.user.message", { "gen_ai.event.content": '{"role": "user", "content": "What\'s the weather like in Boston?"}' }),
          event("gen_ai.assistant.message", {
            "gen_ai.event.content": JSON.stringify({
              role: "assistant",
              tool_calls: [{ id: "call_B", type: "function", function: { name: "get_weather", arguments: '{"city": "Boston"}' } }],
            }),
          }),
          event("gen_ai.tool.message", { "gen_ai.event.content": '{"id": "call_B", "content": "Sunny, 21°C"}' }),
          event("gen_ai.choice", { "gen_ai.event.content": '{"finish_reason": "stop", "index": 0, "message": {"content": "It is sunny in Boston."}}' }),
        ],
      },
    );
    assert.deepEqual(s.inputMessages, [
      { role: "user", content: "What's the weather like in Boston?" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_B", name: "get_weather", arguments: '{"city": "Boston"}' }] },
      { role: "tool", content: "Sunny, 21°C", toolCallId: "call_B" },
    ]);
    assert.equal(s.output, "It is sunny in Boston.");
  });

  test("Semantic Kernel gen_ai.content.prompt / gen_ai.content.completion events", () => {
    const s = semantics(
      { "gen_ai.system": "openai", "gen_ai.operation.name": "chat.completions", "gen_ai.request.model": "gpt-4o-mini" },
      {
        events: [
          event("gen_ai.content.prompt", { "gen_ai.prompt": '[{"role": "system", "content": "Be terse."}, {"role": "user", "content": "2+2?"}]' }),
          event("gen_ai.content.completion", { "gen_ai.completion": '[{"role": "assistant", "content": "4"}]' }),
        ],
      },
    );
    assert.equal(s.spanKind, "LLM");
    assert.equal(s.input, "2+2?");
    assert.equal(s.output, "4");
    assert.deepEqual(s.outputMessages, [{ role: "assistant", content: "4" }]);

    const plain = semantics({}, { events: [event("gen_ai.content.prompt", { "gen_ai.prompt": "Say hi" }), event("gen_ai.content.completion", { "gen_ai.completion": "Hi!" })] });
    assert.deepEqual(plain.inputMessages, [{ role: "user", content: "Say hi" }]);
    assert.equal(plain.output, "Hi!");
  });
});
