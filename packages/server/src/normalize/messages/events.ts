// Messages carried as span events, used by instrumentations written against the GenAI event
// conventions (v1.28–1.36) and by Semantic Kernel / older libraries:
//   gen_ai.system.message | gen_ai.user.message | gen_ai.assistant.message | gen_ai.tool.message
//   gen_ai.choice  ({index, finish_reason, message: {role, content, tool_calls}})
//   gen_ai.content.prompt (attribute gen_ai.prompt) / gen_ai.content.completion (gen_ai.completion)
// Span events have no body, so the body's fields are either the event's attributes or JSON in
// its `gen_ai.event.content` attribute (Azure SDKs); both are read.
import type { DecodedEvent } from "../../otlp/types.ts";
import type { ChatMessage } from "../../store/records.ts";
import { isRecord, objectValue, parseJson } from "../attributes.ts";
import { looseMessageList, looseMessages, message } from "./parts.ts";

const MESSAGE_EVENTS: Record<string, string> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

export interface EventMessages {
  input: ChatMessage[] | null;
  output: ChatMessage[] | null;
}

export function eventMessages(events: readonly DecodedEvent[]): EventMessages {
  const input: ChatMessage[] = [];
  const output: ChatMessage[] = [];
  let prompt: ChatMessage[] | null = null;
  let completion: ChatMessage[] | null = null;
  for (const event of events) {
    if (!isRecord(event) || typeof event.name !== "string" || !event.name.startsWith("gen_ai.")) continue;
    const attributes = isRecord(event.attributes) ? event.attributes : {};
    const role = Object.hasOwn(MESSAGE_EVENTS, event.name) ? MESSAGE_EVENTS[event.name] : undefined;
    if (role) {
      input.push(...looseMessages(eventBody(attributes), role));
    } else if (event.name === "gen_ai.choice") {
      const body = eventBody(attributes);
      const inner = objectValue(body.message);
      output.push(...looseMessages(inner ? { role: "assistant", ...inner } : body, "assistant"));
    } else if (event.name === "gen_ai.content.prompt") {
      prompt ??= promptMessages(attributes["gen_ai.prompt"], "user");
    } else if (event.name === "gen_ai.content.completion") {
      completion ??= promptMessages(attributes["gen_ai.completion"], "assistant");
    }
  }
  return { input: input.length ? input : prompt, output: output.length ? output : completion };
}

/** The event's attributes, with the JSON in `gen_ai.event.content` (if any) laid over them. */
function eventBody(attributes: Record<string, unknown>): Record<string, unknown> {
  const raw = attributes["gen_ai.event.content"];
  if (raw === undefined) return attributes;
  const parsed = parseJson(raw);
  if (isRecord(parsed)) return { ...attributes, ...parsed };
  return { ...attributes, content: typeof parsed === "string" ? parsed : raw };
}

/** gen_ai.prompt / gen_ai.completion: JSON messages (a list, one object, or {messages}) or plain text. */
function promptMessages(value: unknown, role: string): ChatMessage[] | null {
  const parsed = parseJson(value);
  if (Array.isArray(parsed)) return looseMessageList(parsed, role);
  if (isRecord(parsed)) {
    if (Array.isArray(parsed.messages)) return looseMessageList(parsed.messages, role);
    const messages = looseMessages(parsed, role);
    return messages.length ? messages : null;
  }
  if (typeof parsed === "string") return parsed ? [message(role, parsed)] : null;
  return typeof value === "string" && value ? [message(role, value)] : null;
}
