// Langfuse SDK spans (Python v3, JS v4) and spans from other instrumentations carrying Langfuse's
// attributes (langfuse.*, and ids passed through metadata as its LangChain handler does).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { semantics } from "./helpers.ts";

describe("Langfuse", () => {
  test("Python SDK v3 generation: JSON input/output, usage and cost details, trace attributes", () => {
    const s = semantics(
      {
        "langfuse.observation.type": "generation",
        "langfuse.observation.model.name": "gpt-4o",
        "langfuse.observation.model.parameters": '{"temperature": 0.1}',
        "langfuse.observation.input": '[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}]',
        "langfuse.observation.output": '{"role": "assistant", "content": "Paris."}',
        "langfuse.observation.usage_details": '{"input": 20, "output": 3, "cache_read_input_tokens": 10}',
        "langfuse.observation.cost_details": '{"input": 0.00005, "output": 0.00003}',
        "langfuse.observation.metadata.step": "answer",
        "langfuse.observation.level": "DEFAULT",
        "langfuse.environment": "production",
        "user.id": "u-lf",
        "session.id": "s-lf",
        "langfuse.trace.name": "quiz",
        "langfuse.trace.tags": ["geo", "quiz"],
        "langfuse.trace.metadata.channel": "slack",
        "langfuse.trace.metadata.flags": '{"beta": true}',
      },
      { name: "answer" },
    );
    assert.equal(s.spanKind, "LLM");
    assert.equal(s.sessionId, "s-lf");
    assert.equal(s.userId, "u-lf");
    assert.deepEqual(s.tags, ["geo", "quiz"]);
    assert.deepEqual(s.metadata, { channel: "slack", flags: '{"beta": true}', step: "answer" });
    assert.equal(s.model, "gpt-4o");
    // Langfuse's keys are disjoint (it sums them for a total): the cache read is added to the prompt.
    assert.deepEqual(s.tokens, { prompt: 30, completion: 3, total: 33, cacheRead: 10, cacheWrite: 0, reasoning: 0 });
    assert.equal(s.cost, 0.00005 + 0.00003);
    assert.deepEqual(s.inputMessages, [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Capital of France?" },
    ]);
    assert.deepEqual(s.outputMessages, [{ role: "assistant", content: "Paris." }]);
    assert.equal(s.input, "Capital of France?");
    assert.equal(s.output, "Paris.");
  });

  test("OpenAI raw usage in usage_details (Langfuse's OpenAI integration) and a cost total", () => {
    const s = semantics({
      "langfuse.observation.type": "generation",
      "langfuse.observation.model.name": "gpt-4o-mini",
      "langfuse.observation.usage_details": JSON.stringify({
        prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200,
        prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 50 },
      }),
      "langfuse.observation.cost_details": '{"total": 0.0002}',
    });
    assert.deepEqual(s.tokens, { prompt: 1000, completion: 200, total: 1200, cacheRead: 800, cacheWrite: 0, reasoning: 50 });
    assert.equal(s.cost, 0.0002);
  });

  test("JS SDK v4 agent, tool and span observations", () => {
    const agent = semantics({
      "langfuse.observation.type": "agent",
      "langfuse.observation.input": '"Plan my trip to Rome"',
      "langfuse.observation.output": '{"itinerary": "Day 1: Colosseum", "days": 3}',
      "langfuse.trace.tags": '["travel"]',
      "langfuse.session.id": "trip-1",
      "langfuse.user.id": "ana",
    });
    assert.equal(agent.spanKind, "AGENT");
    assert.equal(agent.sessionId, "trip-1");
    assert.equal(agent.userId, "ana");
    assert.deepEqual(agent.tags, ["travel"]);
    assert.equal(agent.input, "Plan my trip to Rome");
    assert.equal(agent.output, '{"itinerary": "Day 1: Colosseum", "days": 3}');
    // Only generations hold chat messages.
    assert.equal(agent.inputMessages, null);

    assert.equal(semantics({ "langfuse.observation.type": "tool" }).spanKind, "TOOL");
    assert.equal(semantics({ "langfuse.observation.type": "span" }).spanKind, "CHAIN");
    assert.equal(semantics({ "langfuse.observation.type": "retriever" }).spanKind, "RETRIEVER");
    assert.equal(semantics({ "langfuse.observation.type": "embedding" }).spanKind, "EMBEDDING");
    assert.equal(semantics({ "langfuse.observation.type": "event" }).spanKind, null);

    const trace = semantics({ "langfuse.trace.input": '{"question": "Is it open on Sunday?"}', "langfuse.trace.output": "Yes, 10–18." });
    assert.equal(trace.input, "Is it open on Sunday?");
    assert.equal(trace.output, "Yes, 10–18.");
  });

  test("session, user and tags passed through Langfuse metadata", () => {
    const s = semantics({
      "langfuse.observation.metadata.langfuse_session_id": "lc-session",
      "langfuse.observation.metadata.langfuse_user_id": "lc-user",
      "langfuse.observation.metadata.langfuse_tags": '["langchain", "rag"]',
      "langfuse.observation.metadata.ls_provider": "openai",
      "langfuse.trace.metadata.langfuse_session_id": "  ",
    });
    assert.equal(s.sessionId, "lc-session");
    assert.equal(s.userId, "lc-user");
    assert.deepEqual(s.tags, ["langchain", "rag"]);
    // The ids and tags already surfaced are not repeated in metadata.
    assert.deepEqual(s.metadata, { ls_provider: "openai" });

    const trace = semantics({ "langfuse.trace.metadata.langfuse_session_id": "t-session", "langfuse.trace.metadata.langfuse_user_id": "t-user" });
    assert.equal(trace.sessionId, "t-session");
    assert.equal(trace.userId, "t-user");
    // A metadata object given whole (non-flattened) is merged too.
    assert.deepEqual(semantics({ "langfuse.trace.metadata": '{"region": "eu"}' }).metadata, { region: "eu" });
  });
});
