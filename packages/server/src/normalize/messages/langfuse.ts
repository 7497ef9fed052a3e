// Langfuse SDK generations carry their prompt and completion as JSON in
// langfuse.observation.input / .output: usually the chat messages ([{role, content}], or
// {messages: [...]}) and the answer ({role, content}). Only generations are read this way; other
// observation types hold arbitrary function inputs/outputs, which are not chat messages.
import type { Attributes } from "../../otlp/types.ts";
import type { ChatMessage } from "../../store/records.ts";
import { isRecord, parseJson } from "../attributes.ts";
import { looseMessageList, looseMessages } from "./parts.ts";

export function langfuseMessages(attributes: Attributes, field: "input" | "output"): ChatMessage[] | null {
  if (attributes["langfuse.observation.type"] !== "generation") return null;
  const raw = attributes[field === "input" ? "langfuse.observation.input" : "langfuse.observation.output"];
  if (raw === undefined) return null;
  const value = typeof raw === "string" ? parseJson(raw) : raw;
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.messages) ? value.messages : null;
  if (list) {
    // Only a list of role-carrying messages is a conversation (not, say, a list of documents).
    return list.some((item) => isRecord(item) && typeof item.role === "string") ? looseMessageList(list, field === "input" ? "user" : "assistant") : null;
  }
  if (isRecord(value) && typeof value.role === "string") {
    const messages = looseMessages(value, "assistant");
    return messages.length ? messages : null;
  }
  return null;
}
