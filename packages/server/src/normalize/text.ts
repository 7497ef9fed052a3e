// What a person reads as a span's question and answer. With messages: the last user message (the
// turn's question, not the re-sent history) and the first answer (its text, or its tool calls).
// Otherwise the convention's input/output attributes, made readable when they hold JSON.
import type { Attributes } from "../otlp/types.ts";
import type { ChatMessage, ToolCall } from "../store/records.ts";
import { isRecord, jsonText, parseJson } from "./attributes.ts";
import { firstGeneration, langchainMessage, plainMessages } from "./messages/langchain.ts";
import { contentText, looseMessages } from "./messages/parts.ts";

const INPUT_KEYS = [
  "input.value", // OpenInference
  "langfuse.observation.input",
  "gen_ai.prompt", // older GenAI / Langfuse mapping, when a plain value (not the flattened list)
  "ai.prompt", // Vercel AI SDK outer spans
  "ai.toolCall.args", // Vercel AI SDK tool spans
  "gen_ai.tool.call.arguments", // GenAI execute_tool spans
  "traceloop.entity.input", // OpenLLMetry decorators: {"args": [...], "kwargs": {...}}
  "langfuse.trace.input",
];
const OUTPUT_KEYS = [
  "output.value",
  "langfuse.observation.output",
  "gen_ai.completion",
  "ai.response.text",
  "ai.response.object",
  "ai.toolCall.result",
  "gen_ai.tool.call.result",
  "traceloop.entity.output",
  "langfuse.trace.output",
];

type Direction = "input" | "output";

/** Tool arguments/results and generated objects are data: shown as sent, never unwrapped. */
const AS_SENT = new Set(["ai.toolCall.args", "gen_ai.tool.call.arguments", "ai.response.object", "ai.toolCall.result", "gen_ai.tool.call.result"]);

export function inputText(attributes: Attributes, messages: ChatMessage[] | null): string | null {
  return (messages && lastUserText(messages)) ?? firstReadable(attributes, INPUT_KEYS, "input");
}

export function outputText(attributes: Attributes, messages: ChatMessage[] | null): string | null {
  return (messages && answerText(messages)) ?? firstReadable(attributes, OUTPUT_KEYS, "output");
}

/**
 * The last user message's text. When that message has no text (an image alone), this turn has no
 * written question: an earlier user message would be a previous turn's, so there is none (null).
 */
function lastUserText(messages: ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const { role, content } = messages[i];
    if (role === "user" || role === "human") return content || null;
  }
  return null;
}

function answerText(messages: ChatMessage[]): string | null {
  for (const { content, toolCalls } of messages) {
    if (content) return content;
    if (toolCalls?.length) return describeToolCalls(toolCalls);
  }
  return null;
}

/** `→ get_weather({"city":"Paris"})`, one line per call. */
export function describeToolCalls(calls: ToolCall[]): string {
  return calls.map((call) => `→ ${call.name}(${call.arguments})`).join("\n");
}

function firstReadable(attributes: Attributes, keys: readonly string[], direction: Direction): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const text = AS_SENT.has(key) ? (typeof value === "string" ? value : jsonText(value)) : readable(value, direction);
    if (text && text.trim()) return text;
  }
  return null;
}

/**
 * A value as readable text. JSON is unwrapped when it has an obvious text in it (a JSON string, a
 * chat request's last user message, a response's answer, OpenLLMetry's single argument, a
 * `{question}`-like field); otherwise the value is shown as sent. Full text, never truncated.
 */
export function readable(value: unknown, direction: Direction): string | null {
  if (typeof value === "string") {
    if (!value.trim()) return null;
    const parsed = parseJson(value);
    if (isEmptyCall(parsed)) return null;
    return (parsed !== undefined && fromJson(parsed, direction, 0)) || value;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object") return fromJson(value, direction, 0) || jsonText(value) || null;
  return null;
}

/**
 * OpenLLMetry's `{"args": [], "kwargs": {}}`: a workflow or task called with no arguments (the
 * way Traceloop's docs write `withWorkflow`) said nothing, so the LLM call inside it tells the
 * turn's question.
 */
function isEmptyCall(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.args) && value.args.length === 0 && isRecord(value.kwargs) && Object.keys(value.kwargs).length === 0;
}

const INPUT_FIELDS = ["input", "query", "question", "prompt", "message", "text", "content", "user_input"];
const OUTPUT_FIELDS = ["output", "answer", "response", "result", "completion", "text", "content", "message"];
const MAX_DEPTH = 3;

function fromJson(value: unknown, direction: Direction, depth: number): string | null {
  if (typeof value === "string") return value.trim() ? value : null;
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) return fromList(value, direction, depth);
  const object = langchainMessage(value) ?? (value as Record<string, unknown>);
  if (Array.isArray(object.messages)) return fromList(object.messages, direction, depth);
  const generation = direction === "output" ? firstGeneration(object) : undefined;
  if (generation !== undefined) return fromMessage(generation, direction);
  // OpenAI-style response: {choices: [{message}]}.
  if (direction === "output" && Array.isArray(object.choices) && isRecord(object.choices[0])) {
    return fromMessage(object.choices[0].message ?? object.choices[0], direction);
  }
  // A message object ({role, content}).
  if (typeof object.role === "string") return fromMessage(object, direction);
  // OpenLLMetry decorators: {"args": [...], "kwargs": {...}}. A lone positional argument is the
  // input; named arguments read like any object (a `question`-like field, else shown as JSON).
  if (Array.isArray(object.args) && (object.kwargs === undefined || isRecord(object.kwargs))) {
    const kwargs = isRecord(object.kwargs) ? object.kwargs : {};
    const named = Object.keys(kwargs).length > 0;
    if (object.args.length === 1 && !named) return fromJson(object.args[0], direction, depth + 1);
    if (object.args.length === 0 && named) return fromJson(kwargs, direction, depth + 1) ?? jsonText(kwargs);
    return null;
  }
  for (const field of direction === "input" ? INPUT_FIELDS : OUTPUT_FIELDS) {
    if (field in object) {
      const text = fromJson(object[field], direction, depth + 1);
      if (text) return text;
    }
  }
  return null;
}

/** A list of chat messages: the last user message (input) or the first answer (output). */
function fromList(items: unknown[], direction: Direction, depth: number): string | null {
  const list = plainMessages(items);
  if (!list.some((item) => isRecord(item) && typeof item.role === "string")) {
    // A list of content parts, or a single wrapped value.
    return contentText(list) ?? (list.length === 1 ? fromJson(list[0], direction, depth + 1) : null);
  }
  const messages = list.flatMap((item) => looseMessages(item, direction === "input" ? "user" : "assistant"));
  if (direction === "input") return lastUserText(messages);
  // An output that is a whole conversation (an agent's final state) answers with its last reply.
  for (let i = messages.length - 1; i >= 0; i--) {
    const { role } = messages[i];
    if (role === "user" || role === "human" || role === "system") continue;
    const text = answerText([messages[i]]);
    if (text) return text;
  }
  // No reply in it (a graph's first step passes the question on): its last message, as text.
  return messages.length ? answerText([messages[messages.length - 1]]) : null;
}

function fromMessage(value: unknown, direction: Direction): string | null {
  const messages = looseMessages(value, direction === "input" ? "user" : "assistant");
  return answerText(messages);
}
