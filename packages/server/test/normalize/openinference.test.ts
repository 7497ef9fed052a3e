// OpenInference spans as its Python and JS instrumentations emit them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { near, semantics, usd } from "./helpers.ts";

describe("OpenInference", () => {
  test("Python OpenAI instrumentation: an LLM call answering with a tool call", () => {
    const s = semantics({
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.provider": "openai",
      "llm.model_name": "gpt-4o-mini-2024-07-18",
      "llm.invocation_parameters": '{"model": "gpt-4o-mini", "temperature": 0.2}',
      "input.value": JSON.stringify({
        messages: [
          { role: "system", content: "You are a travel assistant." },
          { role: "user", content: "What's the weather in Paris?" },
        ],
        model: "gpt-4o-mini",
      }),
      "input.mime_type": "application/json",
      "output.value": '{"id": "chatcmpl-1", "choices": [{"index": 0, "message": {"role": "assistant", "content": null}}]}',
      "output.mime_type": "application/json",
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": "You are a travel assistant.",
      "llm.input_messages.1.message.role": "user",
      "llm.input_messages.1.message.content": "What's the weather in Paris?",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_1",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"city":"Paris"}',
      "llm.tools.0.tool.json_schema": '{"type": "function", "function": {"name": "get_weather"}}',
      "llm.token_count.prompt": 1200,
      "llm.token_count.completion": 18,
      "llm.token_count.total": 1218,
      "llm.token_count.prompt_details.cache_read": 1024,
      "llm.token_count.completion_details.reasoning": 0,
      "session.id": "conv-42",
      "user.id": "user-7",
      metadata: '{"channel": "web", "plan": "pro"}',
      "tag.tags": ["travel", "beta"],
    });
    assert.equal(s.spanKind, "LLM");
    assert.equal(s.sessionId, "conv-42");
    assert.equal(s.userId, "user-7");
    assert.deepEqual(s.tags, ["travel", "beta"]);
    assert.deepEqual(s.metadata, { channel: "web", plan: "pro" });
    assert.equal(s.model, "gpt-4o-mini-2024-07-18");
    assert.deepEqual(s.tokens, { prompt: 1200, completion: 18, total: 1218, cacheRead: 1024, cacheWrite: 0, reasoning: 0 });
    // Dated model names are priced by their listed prefix; cached prompt tokens at the cache price.
    assert.ok(near(s.cost, usd(0.15, 176) + usd(0.075, 1024) + usd(0.6, 18)));
    assert.deepEqual(s.inputMessages, [
      { role: "system", content: "You are a travel assistant." },
      { role: "user", content: "What's the weather in Paris?" },
    ]);
    assert.deepEqual(s.outputMessages, [
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    ]);
    assert.equal(s.input, "What's the weather in Paris?");
    assert.equal(s.output, '→ get_weather({"city":"Paris"})');
  });

  test("JS instrumentation: multimodal contents, tool results, tags as JSON text, reported cost", () => {
    const s = semantics({
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o",
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.contents.0.message_content.type": "text",
      "llm.input_messages.0.message.contents.0.message_content.text": "What is in this picture,",
      "llm.input_messages.0.message.contents.1.message_content.type": "image",
      "llm.input_messages.0.message.contents.1.message_content.image.image.url": "https://example.com/cat.png",
      "llm.input_messages.0.message.contents.2.message_content.type": "text",
      "llm.input_messages.0.message.contents.2.message_content.text": "and where was it taken?",
      "llm.input_messages.1.message.role": "assistant",
      "llm.input_messages.1.message.tool_calls.0.tool_call.id": "call_a",
      "llm.input_messages.1.message.tool_calls.0.tool_call.function.name": "locate_image",
      "llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments": '{"url":"https://example.com/cat.png"}',
      "llm.input_messages.2.message.role": "tool",
      "llm.input_messages.2.message.tool_call_id": "call_a",
      "llm.input_messages.2.message.name": "locate_image",
      "llm.input_messages.2.message.content": "Lisbon, Portugal",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": "A cat on a tram, photographed in Lisbon.",
      "llm.token_count.prompt": 900,
      "llm.token_count.completion": 12,
      "llm.cost.total": 0.0031,
      "session.id": 98765,
      "tag.tags": '["vision", " beta ", "", "vision"]',
    });
    assert.equal(s.sessionId, "98765");
    assert.deepEqual(s.tags, ["vision", "beta"]);
    assert.deepEqual(s.inputMessages, [
      { role: "user", content: "What is in this picture,\nand where was it taken?" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_a", name: "locate_image", arguments: '{"url":"https://example.com/cat.png"}' }] },
      { role: "tool", content: "Lisbon, Portugal", toolCallId: "call_a", name: "locate_image" },
    ]);
    assert.equal(s.input, "What is in this picture,\nand where was it taken?");
    assert.equal(s.output, "A cat on a tram, photographed in Lisbon.");
    assert.deepEqual(s.tokens, { prompt: 900, completion: 12, total: 912, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(s.cost, 0.0031);
  });

  test("CHAIN, AGENT and TOOL spans read input.value / output.value", () => {
    const chain = semantics({ "openinference.span.kind": "CHAIN", "input.value": "Where is my parcel?", "output.value": "It ships today." });
    assert.equal(chain.spanKind, "CHAIN");
    assert.equal(chain.input, "Where is my parcel?");
    assert.equal(chain.output, "It ships today.");
    assert.equal(chain.inputMessages, null);
    assert.deepEqual(chain.tokens, { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(chain.cost, 0);

    // LangGraph-style agent: the raw state goes in; the answer is the state's last reply.
    const agent = semantics({
      "openinference.span.kind": "AGENT",
      "input.value": '{"messages": [{"role": "user", "content": "Book a table for two"}]}',
      "input.mime_type": "application/json",
      "output.value": '{"messages": [{"role": "user", "content": "Book a table for two"}, {"role": "assistant", "content": "Booked for 8pm."}]}',
    });
    assert.equal(agent.spanKind, "AGENT");
    assert.equal(agent.input, "Book a table for two");
    assert.equal(agent.output, "Booked for 8pm.");

    const tool = semantics({ "openinference.span.kind": "tool", "tool.name": "get_weather", "input.value": '{"city": "Paris"}', "output.value": "22°C" });
    assert.equal(tool.spanKind, "TOOL");
    assert.equal(tool.input, '{"city": "Paris"}');
    assert.equal(tool.output, "22°C");
  });

  test("the other OpenInference kinds, and metadata given flattened", () => {
    for (const kind of ["RETRIEVER", "EMBEDDING", "RERANKER", "GUARDRAIL", "EVALUATOR"]) {
      assert.equal(semantics({ "openinference.span.kind": kind }).spanKind, kind);
    }
    assert.equal(semantics({ "openinference.span.kind": "UNKNOWN" }).spanKind, null);
    const s = semantics({ "metadata.channel": "sms", "metadata.tenant.region": "eu", metadata: '{"channel": "web", "plan": "free"}' });
    assert.deepEqual(s.metadata, { channel: "sms", plan: "free", "tenant.region": "eu" });
  });
});
