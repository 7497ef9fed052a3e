// What a span said and answered, as text a person reads in a conversation view.
import type { Attributes } from "../otlp/types.ts";
import { firstString, indexedGroups } from "./attributes.ts";

/**
 * The span's input: for an LLM call the last user message (the turn's question, not the whole
 * re-sent history); otherwise OpenInference's `input.value`.
 */
export function inputText(attributes: Attributes): string | null {
  const messages = indexedGroups(attributes, "llm.input_messages");
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]["message.role"] === "user") {
      const text = messageText(messages[i]);
      if (text) return text;
    }
  }
  return firstString(attributes, ["input.value"]);
}

/** The span's output: the first output message's text, else `output.value`. */
export function outputText(attributes: Attributes): string | null {
  for (const message of indexedGroups(attributes, "llm.output_messages")) {
    const text = messageText(message);
    if (text) return text;
  }
  return firstString(attributes, ["output.value"]);
}

/** A flattened OpenInference message's text: `message.content`, or its text `message.contents`. */
function messageText(message: Record<string, unknown>): string | null {
  const content = message["message.content"];
  if (typeof content === "string" && content.trim()) return content;
  const parts: string[] = [];
  for (const key of Object.keys(message).sort()) {
    if (/^message\.contents\.\d+\.message_content\.text$/.test(key) && typeof message[key] === "string") {
      parts.push(message[key] as string);
    }
  }
  return parts.length ? parts.join("\n") : null;
}
