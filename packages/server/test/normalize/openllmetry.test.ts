// OpenLLMetry (Traceloop): flattened gen_ai.prompt.{i}/gen_ai.completion.{i} on LLM spans,
// traceloop.* on the spans of its @workflow/@task/@agent/@tool decorators.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { near, semantics, usd } from "./helpers.ts";

const association = {
  "traceloop.association.properties.session_id": "support-123",
  "traceloop.association.properties.user_id": "cust-55",
  "traceloop.association.properties.tenant": "acme",
};

describe("OpenLLMetry", () => {
  test("OpenAI instrumentation: flattened prompt with parts content, completion with a tool call", () => {
    const s = semantics(
      {
        "llm.request.type": "chat",
        "gen_ai.system": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
        "gen_ai.openai.api_base": "https://api.openai.com/v1/",
        "llm.is_streaming": false,
        "llm.headers": "None",
        "gen_ai.prompt.0.role": "system",
        "gen_ai.prompt.0.content": "You are a support agent.",
        "gen_ai.prompt.1.role": "user",
        "gen_ai.prompt.1.content": '[{"type": "text", "text": "Where is order A1?"}, {"type": "image_url", "image_url": {"url": "https://x/receipt.png"}}]',
        "gen_ai.completion.0.finish_reason": "tool_calls",
        "gen_ai.completion.0.role": "assistant",
        "gen_ai.completion.0.tool_calls.0.id": "call_9",
        "gen_ai.completion.0.tool_calls.0.name": "lookup_order",
        "gen_ai.completion.0.tool_calls.0.arguments": '{"order_id": "A1"}',
        "gen_ai.usage.prompt_tokens": 300,
        "gen_ai.usage.completion_tokens": 20,
        "llm.usage.total_tokens": 320,
        "traceloop.workflow.name": "support_bot",
        "traceloop.entity.path": "answer",
        ...association,
      },
      { name: "openai.chat" },
    );
    assert.equal(s.spanKind, "LLM");
    assert.equal(s.sessionId, "support-123");
    assert.equal(s.userId, "cust-55");
    assert.deepEqual(s.metadata, { tenant: "acme" });
    assert.equal(s.model, "gpt-4o-mini-2024-07-18");
    assert.deepEqual(s.tokens, { prompt: 300, completion: 20, total: 320, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.ok(near(s.cost, usd(0.15, 300) + usd(0.6, 20)));
    assert.deepEqual(s.inputMessages, [
      { role: "system", content: "You are a support agent." },
      { role: "user", content: "Where is order A1?" },
    ]);
    assert.deepEqual(s.outputMessages, [
      { role: "assistant", content: null, toolCalls: [{ id: "call_9", name: "lookup_order", arguments: '{"order_id": "A1"}' }] },
    ]);
    assert.equal(s.input, "Where is order A1?");
    assert.equal(s.output, '→ lookup_order({"order_id": "A1"})');
  });

  test("Anthropic instrumentation: tool results in the prompt, cache tokens, a text completion", () => {
    const s = semantics({
      "llm.request.type": "chat",
      "gen_ai.system": "Anthropic",
      "gen_ai.request.model": "claude-sonnet-4-20250514",
      "gen_ai.prompt.0.role": "user",
      "gen_ai.prompt.0.content": "Where is order A1?",
      "gen_ai.prompt.1.role": "assistant",
      "gen_ai.prompt.1.tool_calls.0.id": "toolu_1",
      "gen_ai.prompt.1.tool_calls.0.name": "lookup_order",
      "gen_ai.prompt.1.tool_calls.0.arguments": '{"order_id": "A1"}',
      "gen_ai.prompt.2.role": "tool",
      "gen_ai.prompt.2.tool_call_id": "toolu_1",
      "gen_ai.prompt.2.content": '{"status": "shipped"}',
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.content": "Order A1 has shipped.",
      "gen_ai.usage.input_tokens": 2000,
      "gen_ai.usage.output_tokens": 10,
      "gen_ai.usage.cache_read_input_tokens": 1500,
      "gen_ai.usage.cache_creation_input_tokens": 100,
    });
    assert.deepEqual(s.tokens, { prompt: 2000, completion: 10, total: 2010, cacheRead: 1500, cacheWrite: 100, reasoning: 0 });
    assert.ok(near(s.cost, usd(3, 500) + usd(0.3, 1500) + usd(3.75, 100) + usd(15, 10)));
    assert.deepEqual(s.inputMessages?.[2], { role: "tool", content: '{"status": "shipped"}', toolCallId: "toolu_1" });
    assert.equal(s.input, "Where is order A1?");
    assert.equal(s.output, "Order A1 has shipped.");
  });

  test("decorator spans: workflow, task, agent and tool kinds with their JSON entity input/output", () => {
    const workflow = semantics(
      {
        "traceloop.span.kind": "workflow",
        "traceloop.workflow.name": "support_bot",
        "traceloop.entity.name": "support_bot",
        "traceloop.entity.input": '{"args": ["Where is order A1?"], "kwargs": {}}',
        "traceloop.entity.output": '"Order A1 has shipped."',
        ...association,
      },
      { name: "support_bot.workflow" },
    );
    assert.equal(workflow.spanKind, "CHAIN");
    assert.equal(workflow.sessionId, "support-123");
    assert.equal(workflow.input, "Where is order A1?");
    assert.equal(workflow.output, "Order A1 has shipped.");

    const tool = semantics({
      "traceloop.span.kind": "tool",
      "traceloop.entity.input": '{"args": [], "kwargs": {"order_id": "A1"}}',
      "traceloop.entity.output": '{"status": "shipped", "eta": "2026-01-06"}',
    });
    assert.equal(tool.spanKind, "TOOL");
    assert.equal(tool.input, '{"order_id":"A1"}');
    assert.equal(tool.output, '{"status": "shipped", "eta": "2026-01-06"}');

    const task = semantics({ "traceloop.span.kind": "task", "traceloop.entity.input": '{"args": [{"question": "Refund?"}], "kwargs": {}}' });
    assert.equal(task.spanKind, "CHAIN");
    assert.equal(task.input, "Refund?");
    assert.equal(semantics({ "traceloop.span.kind": "agent" }).spanKind, "AGENT");
    // Several positional arguments have no single readable text: the raw JSON is kept.
    assert.equal(semantics({ "traceloop.entity.input": '{"args": [1, 2], "kwargs": {}}' }).input, '{"args": [1, 2], "kwargs": {}}');
  });

  test("a workflow called with no arguments has no input, so the LLM call inside tells the turn's question", () => {
    // withWorkflow({ name }, () => …) as Traceloop's docs write it records {"args": [], "kwargs": {}}.
    const workflow = semantics({
      "traceloop.span.kind": "workflow",
      "traceloop.entity.input": '{"args":[],"kwargs":{}}',
      "traceloop.entity.output": '"It should arrive by Thursday."',
    });
    assert.equal(workflow.input, null);
    assert.equal(workflow.output, "It should arrive by Thursday.");
  });

  test("llm.request.type for completions, embeddings and rerankers", () => {
    assert.equal(semantics({ "llm.request.type": "completion" }).spanKind, "LLM");
    assert.equal(semantics({ "llm.request.type": "embedding" }).spanKind, "EMBEDDING");
    assert.equal(semantics({ "llm.request.type": "rerank" }).spanKind, "RERANKER");
    assert.equal(semantics({ "llm.request.type": "unknown" }).spanKind, null);
  });

  test("gen_ai.prompt / gen_ai.completion given as plain strings", () => {
    const s = semantics({ "gen_ai.prompt": "Translate 'bonjour'", "gen_ai.completion": "hello" });
    assert.equal(s.input, "Translate 'bonjour'");
    assert.equal(s.output, "hello");
    assert.equal(s.inputMessages, null);
  });
});
