// Shared by the message browser tests: one chat turn as an app instrumented with OpenInference
// exports it (an agent span, an LLM call that asks for a tool, the LLM call that answers).
import assert from "node:assert/strict";
import { hexId, otlpJson, postOtlpJson, type TestServer } from "@threadline/server/testing";

export interface ChatTurn {
  user: string;
  /** The tool the assistant calls first, with its JSON arguments (a string, as sent) and the tool's answer. */
  tool?: { name: string; arguments: string; result: string };
  assistant: string;
}

type Attributes = Record<string, string>;

function messages(prefix: string, list: Array<{ role: string; content?: string; call?: { name: string; arguments: string }; callId?: string }>): Attributes {
  const attributes: Attributes = {};
  list.forEach((m, i) => {
    const at = `${prefix}.${i}.message`;
    attributes[`${at}.role`] = m.role;
    if (m.content !== undefined) attributes[`${at}.content`] = m.content;
    if (m.callId && m.role === "tool") attributes[`${at}.tool_call_id`] = m.callId;
    if (m.call) {
      attributes[`${at}.tool_calls.0.tool_call.id`] = m.callId!;
      attributes[`${at}.tool_calls.0.tool_call.function.name`] = m.call.name;
      attributes[`${at}.tool_calls.0.tool_call.function.arguments`] = m.call.arguments;
    }
  });
  return attributes;
}

/** Sends one trace per turn, a minute apart, in one session; asserts the export was taken. */
export async function sendChat(server: TestServer, { project, sessionId, userId = "reader@example.com", turns }: { project: string; sessionId: string; userId?: string; turns: ChatTurn[] }): Promise<void> {
  const t0 = Date.now() - turns.length * 60_000 - 60_000;
  const common = { "session.id": sessionId, "user.id": userId };
  const spans = turns.flatMap((turn, i) => {
    const traceId = hexId(16);
    const root = hexId(8);
    const start = t0 + i * 60_000;
    const user = { role: "user", content: turn.user };
    const llm = (offset: number, input: Attributes, output: Attributes) => ({
      traceId, parentSpanId: root, name: "llm", startMs: start + offset, endMs: start + offset + 200,
      attributes: { ...common, "openinference.span.kind": "LLM", ...input, ...output },
    });
    const agent = {
      traceId, spanId: root, name: "agent", startMs: start, endMs: start + 900,
      attributes: { ...common, "openinference.span.kind": "AGENT", "input.value": turn.user, "output.value": turn.assistant },
    };
    if (!turn.tool) return [agent, llm(10, messages("llm.input_messages", [user]), messages("llm.output_messages", [{ role: "assistant", content: turn.assistant }]))];
    const callId = `call_${i}`;
    const ask = { role: "assistant", call: turn.tool, callId };
    return [
      agent,
      llm(10, messages("llm.input_messages", [user]), messages("llm.output_messages", [ask])),
      {
        traceId, parentSpanId: root, name: turn.tool.name, startMs: start + 300, endMs: start + 400,
        attributes: { ...common, "openinference.span.kind": "TOOL", "input.value": turn.tool.arguments, "output.value": turn.tool.result },
      },
      llm(500, messages("llm.input_messages", [user, ask, { role: "tool", content: turn.tool.result, callId }]), messages("llm.output_messages", [{ role: "assistant", content: turn.assistant }])),
    ];
  });
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, project))).status, 200);
}
