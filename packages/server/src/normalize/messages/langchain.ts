// LangChain's serialized objects, as OpenInference's LangChain instrumentation records them in
// input.value / output.value: messages ({"lc":1,"type":"constructor","id":[…,"AIMessage"],
// "kwargs":{"content":…}}), a chat model's nested message lists and `generations`, and
// LangGraph's `{"messages":[…]}` state. Read as plain {role, content} messages so that the
// first input, the last output and search see the text; the raw value stays in the span.
import { isRecord } from "../attributes.ts";

const ROLES: Record<string, string> = {
  HumanMessage: "user", HumanMessageChunk: "user",
  AIMessage: "assistant", AIMessageChunk: "assistant",
  SystemMessage: "system", SystemMessageChunk: "system",
  ToolMessage: "tool", ToolMessageChunk: "tool", FunctionMessage: "tool",
  ChatMessage: "user",
};

/** A serialized LangChain message as {role, content, tool_calls}, or null when it is not one. */
export function langchainMessage(value: unknown): Record<string, unknown> | null {
  if (!isRecord(value) || value.lc !== 1 || value.type !== "constructor" || !Array.isArray(value.id) || !isRecord(value.kwargs)) return null;
  const kind = String(value.id.at(-1));
  const role = ROLES[kind];
  if (!role) return null;
  const { content, tool_calls: toolCalls, name, role: ownRole } = value.kwargs;
  return { role: kind === "ChatMessage" && typeof ownRole === "string" ? ownRole : role, content, ...(name ? { name } : {}), ...(toolCalls ? { tool_calls: toolCalls } : {}) };
}

/** A list with LangChain messages in it (one level of nesting flattened, as chat models batch them) as plain messages. */
export function plainMessages(list: unknown[]): unknown[] {
  const flat = list.every(Array.isArray) ? (list as unknown[][]).flat() : list;
  return flat.map((item) => langchainMessage(item) ?? item);
}

/** A chat model's `{"generations": [[{text, message}]]}`: its first generation's message. */
export function firstGeneration(value: Record<string, unknown>): unknown {
  const generations = value.generations;
  if (!Array.isArray(generations)) return undefined;
  const first = Array.isArray(generations[0]) ? generations[0][0] : generations[0];
  if (!isRecord(first)) return undefined;
  return langchainMessage(first.message) ?? (typeof first.text === "string" ? { role: "assistant", content: first.text } : undefined);
}
