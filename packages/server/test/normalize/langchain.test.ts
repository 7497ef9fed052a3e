// LangChain's serialized messages and LangGraph's state in OpenInference's input.value /
// output.value: the readable text is the question and the answer; the raw value stays.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { semantics } from "./helpers.ts";

const lc = (kind: string, content: unknown, extra: Record<string, unknown> = {}) => ({
  lc: 1, type: "constructor", id: ["langchain_core", "messages", kind], kwargs: { content, additional_kwargs: {}, response_metadata: {}, ...extra },
});

describe("LangChain and LangGraph values", () => {
  test("a chat model's nested message lists and generations", () => {
    const input = JSON.stringify({ messages: [[lc("SystemMessage", "Be brief."), lc("HumanMessage", "Capital of France?")]] });
    const output = JSON.stringify({ generations: [[{ text: "Paris.", message: lc("AIMessage", "Paris.") }]] });
    const s = semantics({ "openinference.span.kind": "LLM", "input.value": input, "output.value": output });
    assert.equal(s.input, "Capital of France?");
    assert.equal(s.output, "Paris.");
  });

  test("LangGraph state: the last human message in, the last AI message out; content parts read as text", () => {
    const history = [lc("HumanMessage", "Hi"), lc("AIMessage", "Hello!"), lc("HumanMessage", [{ type: "text", text: "And the weather?" }])];
    const s = semantics({
      "openinference.span.kind": "CHAIN",
      "input.value": JSON.stringify({ messages: history }),
      "output.value": JSON.stringify({ messages: [...history, lc("AIMessage", "Sunny, 21 °C.")] }),
    });
    assert.equal(s.input, "And the weather?");
    assert.equal(s.output, "Sunny, 21 °C.");
  });

  test("an AI message with only tool calls reads as the calls; a pass-through step as its message", () => {
    const calls = semantics({
      "output.value": JSON.stringify({ messages: [lc("AIMessage", "", { tool_calls: [{ id: "c1", name: "weather", args: { city: "Oslo" } }] })] }),
    });
    assert.match(calls.output ?? "", /weather/);
    const start = semantics({ "output.value": JSON.stringify({ messages: [lc("HumanMessage", "Which gate?")] }) });
    assert.equal(start.output, "Which gate?");
  });

  test("what is not a LangChain message stays as sent", () => {
    const odd = JSON.stringify({ lc: 1, type: "not_implemented", id: ["x", "Y"] });
    assert.equal(semantics({ "input.value": odd }).input, odd);
  });
});
