// Shared readers for messages that arrive as JSON objects: OpenAI-style ({role, content,
// tool_calls}), GenAI parts ({role, parts}), Vercel AI SDK and Anthropic content parts. Several
// conventions (GenAI JSON, span events, Vercel, raw requests in input.value) reuse these.
import type { ChatMessage, ToolCall } from "../../store/records.ts";
import { arrayValue, isRecord, jsonText, objectValue, parseJson, stringValue } from "../attributes.ts";

/** Nesting we follow inside content before giving up (content is never legitimately deep). */
const MAX_DEPTH = 4;

/** Builds a ChatMessage with only the optional fields that are present (so equal messages compare equal). */
export function message(role: string, content: string | null, extra?: { toolCalls?: ToolCall[]; toolCallId?: string | null; name?: string | null }): ChatMessage {
  const out: ChatMessage = { role, content };
  if (extra?.toolCalls && extra.toolCalls.length) out.toolCalls = extra.toolCalls;
  if (extra?.toolCallId) out.toolCallId = extra.toolCallId;
  if (extra?.name) out.name = extra.name;
  return out;
}

/**
 * The text of a content value: a string as is; an array of parts → its text parts joined with
 * "\n" (images, files, reasoning and tool parts are not text); `{text}`/`{content}`/`{text:{value}}`.
 */
export function contentText(content: unknown, depth = 0): string | null {
  if (typeof content === "string") return content === "" ? null : content;
  if (typeof content === "number" && Number.isFinite(content)) return String(content);
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      const text = typeof part === "string" ? part : isRecord(part) && isTextPart(part) ? contentText(part.text ?? part.content, depth + 1) : null;
      if (text) texts.push(text);
    }
    return texts.length ? texts.join("\n") : null;
  }
  if (isRecord(content)) {
    if (!isTextPart(content)) return null;
    // Azure AI agents nest the text as {text: {value}}.
    const inner = content.text ?? content.content ?? content.value;
    return contentText(isRecord(inner) && "value" in inner ? inner.value : inner, depth + 1);
  }
  return null;
}

const TEXT_TYPES = new Set(["text", "input_text", "output_text"]);

function isTextPart(part: Record<string, unknown>): boolean {
  return part.type === undefined || (typeof part.type === "string" && TEXT_TYPES.has(part.type));
}

/** Content that a JSON-speaking producer flattened into a string (e.g. OpenLLMetry's `[{"type":"text",...}]`). */
export function flattenedContentText(value: unknown): string | null {
  if (typeof value === "string" && value.startsWith("[{")) {
    const parts = parseJson(value);
    if (Array.isArray(parts) && parts.length && parts.every((p) => isRecord(p) && typeof p.type === "string")) {
      return contentText(parts);
    }
  }
  return contentText(value);
}

/** Tool-call arguments as the model wrote them: strings kept, objects serialized. */
export function argumentsText(value: unknown): string {
  return value == null ? "" : jsonText(value);
}

/** A tool call in any of the shapes conventions use, or null when it has no name. */
export function toolCallOf(value: unknown): ToolCall | null {
  if (!isRecord(value)) return null;
  const call = isRecord(value.tool_call) ? value.tool_call : value;
  const fn = isRecord(call.function) ? call.function : null;
  const name = stringValue(fn?.name ?? call.name ?? call.toolName);
  if (!name) return null;
  const id = stringValue(call.id ?? call.toolCallId ?? call.tool_call_id);
  return { id, name, arguments: argumentsText(fn ? fn.arguments : (call.arguments ?? call.args ?? call.input)) };
}

/** Tool calls from an array (or JSON text of one). */
export function toolCallsOf(value: unknown): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const item of arrayValue(value) ?? []) {
    const call = toolCallOf(item);
    if (call) calls.push(call);
  }
  return calls;
}

/** A tool result's text: Vercel's {type, value} outputs, parts arrays, or anything serialized. */
export function resultText(value: unknown): string | null {
  if (value == null) return null;
  if (typeof value === "string") return value;
  if (isRecord(value) && "value" in value && typeof value.type === "string") return resultText(value.value);
  return contentText(value) ?? jsonText(value);
}

const TOOL_CALL_PARTS = new Set(["tool_call", "tool-call", "tool_use", "function_call"]);
const TOOL_RESULT_PARTS = new Set(["tool_call_response", "tool-result", "tool_result", "function_call_output"]);

/**
 * One JSON message as ChatMessages. Usually one; a message carrying several tool results (GenAI
 * `tool_call_response` parts, Vercel `tool-result` parts) becomes one message per result, since a
 * ChatMessage answers a single call.
 */
export function looseMessages(value: unknown, defaultRole: string): ChatMessage[] {
  if (typeof value === "string") return value ? [message(defaultRole, value)] : [];
  if (!isRecord(value)) return [];
  const role = stringValue(value.role) ?? defaultRole;
  const name = stringValue(value.name);
  const parts = Array.isArray(value.parts) ? value.parts : Array.isArray(value.content) ? value.content : null;
  const toolCalls: ToolCall[] = toolCallsOf(value.tool_calls);
  const results: ChatMessage[] = [];
  let text: string | null;
  if (parts) {
    const texts: string[] = [];
    for (const part of parts) {
      if (typeof part === "string") {
        texts.push(part);
        continue;
      }
      if (!isRecord(part)) continue;
      const type = typeof part.type === "string" ? part.type : undefined;
      if (type && TOOL_CALL_PARTS.has(type)) {
        const call = toolCallOf(part);
        if (call) toolCalls.push(call);
      } else if (type && TOOL_RESULT_PARTS.has(type)) {
        const id = stringValue(part.id ?? part.toolCallId ?? part.tool_use_id ?? part.call_id);
        const output = resultText(part.response ?? part.output ?? part.result ?? part.content);
        results.push(message(role === "user" || role === "assistant" ? "tool" : role, output, { toolCallId: id, name: stringValue(part.toolName) }));
      } else if (isTextPart(part)) {
        const partText = contentText(part.text ?? part.content);
        if (partText) texts.push(partText);
      }
    }
    text = texts.length ? texts.join("\n") : null;
  } else {
    text = contentText(isRecord(value.content) || typeof value.content === "string" ? value.content : null);
  }
  const fn = objectValue(value.function_call);
  if (fn && stringValue(fn.name)) toolCalls.push({ id: null, name: stringValue(fn.name)!, arguments: argumentsText(fn.arguments) });
  // A message that only carries tool results is represented by those results alone.
  if (results.length && text === null && !toolCalls.length) return results;
  const toolCallId = role === "tool" ? stringValue(value.tool_call_id ?? value.toolCallId ?? value.id) : stringValue(value.tool_call_id);
  return [message(role, text, { toolCalls, toolCallId, name }), ...results];
}

/** A list of JSON messages (a real array or JSON text of one), or null when there is none. */
export function looseMessageList(value: unknown, defaultRole: string): ChatMessage[] | null {
  const list = arrayValue(value);
  if (!list) return null;
  const out: ChatMessage[] = [];
  for (const item of list) out.push(...looseMessages(item, defaultRole));
  return out.length ? out : null;
}
