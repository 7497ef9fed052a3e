// Rules that hold across conventions: which id wins, how tags and metadata merge, that malformed
// input never throws, and one request through normalizeRequest end to end.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normalizeRequest } from "../../src/normalize/normalize.ts";
import { readSemantics } from "../../src/normalize/semantics.ts";
import type { Attributes, DecodedSpan } from "../../src/otlp/types.ts";
import { event, near, prices, semantics, span, usd } from "./helpers.ts";

describe("session and user ids", () => {
  test("span attributes win over resource attributes", () => {
    const s = semantics({ "session.id": "from-span" }, { resource: { "session.id": "from-resource", "user.id": "resource-user" } });
    assert.equal(s.sessionId, "from-span");
    assert.equal(s.userId, "resource-user");
  });

  test("empty and whitespace ids are absent; ids are trimmed; numbers become strings", () => {
    assert.equal(semantics({ "session.id": "   " }, { resource: { "session.id": "res" } }).sessionId, "res");
    assert.equal(semantics({ "session.id": "" }).sessionId, null);
    assert.equal(semantics({ "session.id": "  s-1 \n" }).sessionId, "s-1");
    assert.equal(semantics({ "user.id": 42 }).userId, "42");
    assert.equal(semantics({ "user.id": true, "enduser.id": ["a"] }).userId, null);
    // An unusable key falls through to the next convention's.
    assert.equal(semantics({ "session.id": " ", "gen_ai.conversation.id": "conv" }).sessionId, "conv");
  });

  test("ids longer than 1024 characters are absent", () => {
    assert.equal(semantics({ "user.id": "u".repeat(1024) }).userId, "u".repeat(1024));
    assert.equal(semantics({ "user.id": "u".repeat(1025) }).userId, null);
    assert.equal(semantics({ "session.id": "x".repeat(5000), "langfuse.session.id": "ok" }).sessionId, "ok");
  });

  test("the generic keys come before convention-specific ones", () => {
    const s = semantics({
      "ai.telemetry.metadata.sessionId": "vercel",
      "traceloop.association.properties.session_id": "traceloop",
      "langfuse.session.id": "langfuse",
      "gen_ai.conversation.id": "genai",
      "session.id": "openinference",
      "langfuse.user.id": "lf-user",
      "enduser.id": "end-user",
    });
    assert.equal(s.sessionId, "openinference");
    assert.equal(s.userId, "end-user");
  });

  test("frameworks' metadata keys name the session and user when no attribute does", () => {
    // LangChain / LangGraph run metadata as OpenInference's instrumentation sends it (JSON text).
    const graph = semantics({ metadata: JSON.stringify({ thread_id: "thread-9", user_id: 42, langgraph_step: 1 }) });
    assert.equal(graph.sessionId, "thread-9");
    assert.equal(graph.userId, "42");
    // In order: session_id, then thread_id, then conversation_id; flattened metadata counts too.
    assert.equal(semantics({ "metadata.conversation_id": "c", "metadata.thread_id": "t" }).sessionId, "t");
    assert.equal(semantics({ metadata: '{"conversation_id":"c","session_id":"s"}' }).sessionId, "s");
    assert.equal(semantics({ "langfuse.trace.metadata.conversation_id": "lf-conv" }).sessionId, "lf-conv");
    // The span's own attributes win, and the metadata wins over the resource.
    const both = semantics({ "session.id": "attr", "user.id": "attr-user", metadata: '{"session_id":"meta","user_id":"meta-user"}' });
    assert.equal(both.sessionId, "attr");
    assert.equal(both.userId, "attr-user");
    assert.equal(semantics({ metadata: '{"thread_id":"meta"}' }, { resource: { "session.id": "res" } }).sessionId, "meta");
    // Not ids: objects, blanks, over-long values.
    assert.equal(semantics({ metadata: '{"session_id":{"a":1},"thread_id":" ","conversation_id":"ok"}' }).sessionId, "ok");
  });
});

describe("tags and metadata", () => {
  test("tags from every source are merged, trimmed and deduplicated", () => {
    const s = semantics({
      "tag.tags": [" a ", "b", ""],
      "langfuse.trace.tags": '["b", "c"]',
      "ai.telemetry.metadata.tags": ["c", "d", 7],
    });
    assert.deepEqual(s.tags, ["a", "b", "c", "d", "7"]);
    assert.deepEqual(semantics({ "tag.tags": "solo" }).tags, ["solo"]);
    assert.deepEqual(semantics({ "tag.tags": '["unterminated' }).tags, ['["unterminated']);
    assert.deepEqual(semantics({ "tag.tags": [{ nested: true }, null, ["x"]] }).tags, []);
  });

  test("metadata that is not a JSON object is ignored; sources merge; __proto__ is never a key", () => {
    assert.deepEqual(semantics({ metadata: "not json" }).metadata, {});
    assert.deepEqual(semantics({ metadata: "[1, 2]" }).metadata, {});
    assert.deepEqual(semantics({ metadata: '{"broken": ' }).metadata, {});
    assert.deepEqual(semantics({ metadata: { kv: "list" } }).metadata, { kv: "list" });
    const s = semantics({
      metadata: '{"__proto__": {"polluted": true}, "a": 1}',
      "metadata.__proto__": "x",
      "traceloop.association.properties.tenant": "acme",
      "ai.telemetry.metadata.tenant": "overridden",
      "ai.telemetry.metadata.functionRegion": "eu",
    });
    assert.deepEqual(s.metadata, { tenant: "acme", functionRegion: "eu", a: 1 });
    assert.equal(Object.getPrototypeOf(s.metadata), Object.prototype);
    assert.equal((s.metadata as { polluted?: unknown }).polluted, undefined);
  });
});

describe("usage and cost", () => {
  test("total is the given total, else prompt + completion; numeric strings count; negatives do not", () => {
    assert.equal(semantics({ "llm.token_count.prompt": 10, "llm.token_count.completion": 5 }).tokens.total, 15);
    assert.equal(semantics({ "llm.token_count.prompt": 10, "llm.token_count.completion": 5, "llm.token_count.total": 16 }).tokens.total, 16);
    assert.equal(semantics({ "gen_ai.usage.input_tokens": "12" }).tokens.prompt, 12);
    assert.equal(semantics({ "gen_ai.usage.input_tokens": -3 }).tokens.prompt, 0);
  });

  test("counts are whole tokens; a count or cost past any real one (1e308) reads as none", () => {
    assert.deepEqual(
      [semantics({ "llm.token_count.prompt": 10.6, "llm.token_count.completion": 1e308 }).tokens].map((t) => [t.prompt, t.completion, t.total]),
      [[11, 0, 0]],
    );
    assert.equal(semantics({ "langfuse.observation.usage_details": '{"input": 2.4, "output": 1e300}' }).tokens.completion, 0);
    assert.equal(semantics({ "llm.cost.total": 1e308 }).cost, 0);
  });

  test("a reported cost wins over the price table; unknown models and no tokens cost 0", () => {
    const tokens = { "llm.model_name": "gpt-4o", "llm.token_count.prompt": 1000, "llm.token_count.completion": 100 };
    assert.ok(near(semantics(tokens).cost, usd(2.5, 1000) + usd(10, 100)));
    assert.equal(semantics({ ...tokens, "llm.cost.total": 0.5 }).cost, 0.5);
    assert.equal(semantics({ ...tokens, "gen_ai.usage.cost": 0.25 }).cost, 0.25);
    assert.equal(semantics({ ...tokens, "llm.model_name": "my-local-llama" }).cost, 0);
    assert.equal(semantics({ "llm.model_name": "gpt-4o" }).cost, 0);
  });

  test("model precedence: OpenInference, Langfuse, then the response model over the requested one", () => {
    assert.equal(semantics({ "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06" }).model, "gpt-4o-2024-08-06");
    assert.equal(semantics({ "llm.model_name": "a", "gen_ai.response.model": "b" }).model, "a");
    assert.equal(semantics({ "ai.model.id": "gpt-4o", "ai.response.model": "gpt-4o-2024-08-06" }).model, "gpt-4o-2024-08-06");
  });
});

describe("malformed input never throws", () => {
  const KEYS = [
    "openinference.span.kind", "session.id", "user.id", "metadata", "tag.tags", "input.value", "output.value", "llm.model_name",
    "llm.token_count.prompt", "llm.token_count.total", "llm.cost.total", "gen_ai.operation.name", "gen_ai.input.messages",
    "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.prompt", "gen_ai.completion", "gen_ai.usage.input_tokens",
    "langfuse.observation.type", "langfuse.observation.input", "langfuse.observation.output", "langfuse.observation.usage_details",
    "langfuse.observation.cost_details", "langfuse.trace.tags", "langfuse.trace.metadata", "traceloop.span.kind",
    "traceloop.entity.input", "traceloop.entity.output", "ai.operationId", "ai.prompt", "ai.prompt.messages", "ai.response.text",
    "ai.response.toolCalls", "ai.response.object", "ai.telemetry.metadata.tags", "llm.input_messages.0.message.role",
    "llm.input_messages.0.message.content", "llm.output_messages.0.message.tool_calls.0.tool_call.function.name",
    "gen_ai.prompt.0.content", "gen_ai.completion.0.tool_calls.0.name", "metadata.x", "traceloop.association.properties.session_id",
  ];
  const VALUES: unknown[] = [
    null, undefined, 0, -1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, true, "", "   ", "{", "[", '"', "null", "[null]", "[1,2]",
    '{"messages": 5}', '{"messages": [null, 1, "x", {"role": 7, "content": {"deep": [1]}}]}', '[{"role": "user", "parts": 3}]',
    '[{"role": "user", "content": [null, 5, {"type": "text", "text": {"x": 1}}]}]', '{"args": "x", "kwargs": 3}', '{"choices": [null]}',
    [], [null], [[[]]], [{ a: 1 }], { a: { b: { c: { d: {} } } } }, { role: "user", content: [{ type: "tool-result" }] },
    { parts: [{ type: "tool_call" }, { type: "tool_call_response", response: { x: 1 } }] }, "x".repeat(10_000),
  ];

  test("every known key with every odd value type", () => {
    for (const key of KEYS) {
      for (const value of VALUES) {
        assert.doesNotThrow(() => semantics({ [key]: value }, { name: "ai.generateText", resource: { [key]: value } }), `${key} = ${String(value)}`);
      }
    }
  });

  test("all odd values at once, as attributes and as events", () => {
    for (const value of VALUES) {
      const attributes = Object.fromEntries(KEYS.map((key) => [key, value]));
      const events = ["gen_ai.user.message", "gen_ai.choice", "gen_ai.content.prompt", "gen_ai.content.completion", "gen_ai.tool.message"].map((name) =>
        event(name, { content: value, message: value, "gen_ai.event.content": value, "gen_ai.prompt": value, "gen_ai.completion": value }),
      );
      const s = semantics(attributes, { events });
      assert.equal(typeof s.cost, "number");
      assert.ok(Number.isFinite(s.cost));
      assert.ok(Array.isArray(s.tags));
    }
  });

  test("a span whose attributes, events and name are not what the types promise", () => {
    const broken = { ...span({}), attributes: null, events: [null, 5, { name: 3 }, { name: "gen_ai.choice", attributes: null }], name: 7 } as unknown as DecodedSpan;
    const s = readSemantics(broken, null as unknown as Attributes, prices);
    assert.equal(s.spanKind, null);
    assert.equal(s.input, null);
    assert.deepEqual(s.tokens, { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  });

  test("huge and malformed indexes in flattened lists are ignored", () => {
    const s = semantics({
      "llm.input_messages.999999999.message.role": "user",
      "llm.input_messages.999999999.message.content": "far away",
      "llm.input_messages.-1.message.role": "user",
      "llm.input_messages.1e3.message.role": "user",
      "llm.input_messages.x.message.role": "user",
      "llm.input_messages.3": "no rest",
      "llm.input_messages.": "nothing",
      "gen_ai.prompt.00000000000000000001.role": "user",
      "llm.output_messages.0.message.tool_calls.99999999.tool_call.function.name": "f",
    });
    assert.equal(s.inputMessages, null);
    assert.equal(s.outputMessages, null);
    assert.equal(s.input, null);
    assert.equal(s.output, null);
  });

  test("deeply nested JSON content does not recurse without bound", () => {
    for (const depth of [500, 200_000]) {
      const nested = '{"content": ['.repeat(depth) + '"bottom"' + "]}".repeat(depth);
      const attributes = {
        "gen_ai.input.messages": `[{"role": "user", "content": [${nested}]}]`,
        "input.value": `{"input": ${nested}}`,
        "langfuse.observation.type": "generation",
        "langfuse.observation.output": `{"role": "assistant", "content": [${nested}]}`,
      };
      assert.doesNotThrow(() => semantics(attributes));
    }
  });
});

describe("normalizeRequest", () => {
  test("end to end: a Vercel trace keeps its wrapper's attributes but counts usage once", () => {
    const base = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", kind: 1, startUs: 1_767_600_000_000_000, endUs: 1_767_600_001_000_000, status: { code: 0, message: "" }, events: [] };
    const result = normalizeRequest(
      {
        resourceSpans: [{
          resource: { "service.name": "web", "openinference.project.name": "shop", "user.id": "resource-user" },
          scopeSpans: [{
            scope: { name: "ai", version: "5.0.0" },
            spans: [
              {
                ...base, spanId: "00f067aa0ba902b7", parentSpanId: "", name: "ai.generateText",
                attributes: { "ai.operationId": "ai.generateText", "ai.model.id": "gpt-4o-mini", "ai.telemetry.metadata.sessionId": "cart-7", "ai.prompt": '{"prompt":"Is it in stock?"}', "ai.response.text": "Yes.", "ai.usage.inputTokens": 10, "ai.usage.outputTokens": 2 },
              },
              {
                ...base, spanId: "00f067aa0ba902b8", parentSpanId: "00f067aa0ba902b7", name: "ai.generateText.doGenerate",
                attributes: { "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "gpt-4o-mini", "ai.telemetry.metadata.sessionId": "cart-7", "ai.prompt.messages": '[{"role":"user","content":"Is it in stock?"}]', "ai.response.text": "Yes.", "ai.usage.inputTokens": 10, "ai.usage.outputTokens": 2 },
              },
            ],
          }],
        }],
      },
      { prices },
    );
    assert.equal(result.rejectedCount, 0);
    const [outer, call] = result.spans;
    assert.equal(outer.project, "shop");
    assert.equal(outer.spanKind, "CHAIN");
    assert.equal(outer.sessionId, "cart-7");
    assert.equal(outer.userId, "resource-user");
    assert.equal(outer.tokens.total, 0);
    assert.equal(outer.cost, 0);
    assert.equal(outer.attributes["ai.usage.inputTokens"], 10);
    assert.equal(outer.input, "Is it in stock?");
    assert.equal(call.spanKind, "LLM");
    assert.equal(call.tokens.total, 12);
    assert.ok(near(call.cost, usd(0.15, 10) + usd(0.6, 2)));
    assert.deepEqual(call.inputMessages, [{ role: "user", content: "Is it in stock?" }]);
    assert.equal(call.output, "Yes.");
  });

  test("a span kind or status code OTLP does not define reads as unspecified", () => {
    const base = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentSpanId: "", name: "x", startUs: 1_767_600_000_000_000, endUs: 1_767_600_001_000_000, attributes: {}, events: [] };
    const result = normalizeRequest({
      resourceSpans: [{ resource: {}, scopeSpans: [{ scope: { name: "s", version: "" }, spans: [
        { ...base, spanId: "00f067aa0ba902b7", kind: 1e308, status: { code: 2.5, message: "" } },
        { ...base, spanId: "00f067aa0ba902b8", kind: 3, status: { code: 2, message: "boom" } },
      ] }] }],
    }, { prices });
    assert.deepEqual(result.spans.map((s) => [s.kind, s.statusCode]), [[0, 0], [3, 2]]);
  });
});

describe("input and output text", () => {
  test("a turn whose last user message has no text has no written question (not the previous turn's)", () => {
    const s = semantics({
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.content": "Earlier question",
      "llm.input_messages.1.message.role": "assistant",
      "llm.input_messages.1.message.content": "Earlier answer",
      "llm.input_messages.2.message.role": "user",
      "llm.input_messages.2.message.contents.0.message_content.type": "image",
      "llm.input_messages.2.message.contents.0.message_content.image.image.url": "https://x/y.png",
    });
    assert.equal(s.input, null);
    assert.equal(s.inputMessages?.length, 3);
  });

  test("the answer is the first output message with text, else its tool calls, one line each", () => {
    const s = semantics({
      "gen_ai.output.messages": JSON.stringify([{
        role: "assistant",
        parts: [
          { type: "tool_call", id: "1", name: "search", arguments: { q: "a" } },
          { type: "tool_call", id: "2", name: "open", arguments: '{"url":"b"}' },
        ],
      }]),
    });
    assert.equal(s.output, '→ search({"q":"a"})\n→ open({"url":"b"})');
  });

  test("JSON inputs are unwrapped only when they hold an obvious text; full text is kept", () => {
    const long = "word ".repeat(5000);
    assert.equal(semantics({ "input.value": long }).input, long);
    assert.equal(semantics({ "input.value": '"quoted"' }).input, "quoted");
    assert.equal(semantics({ "input.value": '{"query": "hotels in Rome", "k": 5}' }).input, "hotels in Rome");
    assert.equal(semantics({ "input.value": '{"model": "gpt-4o", "temperature": 0}' }).input, '{"model": "gpt-4o", "temperature": 0}');
    assert.equal(semantics({ "output.value": '{"choices": [{"message": {"role": "assistant", "content": "Hi!"}}]}' }).output, "Hi!");
    assert.equal(semantics({ "input.value": 42 }).input, "42");
    assert.equal(semantics({ "input.value": { question: "kvlist?" } }).input, "kvlist?");
  });
});
