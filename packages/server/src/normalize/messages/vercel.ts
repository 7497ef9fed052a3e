// Vercel AI SDK telemetry (`ai.*`):
//   ai.prompt.messages  JSON messages sent to the provider (doGenerate/doStream spans); content is a
//                       string or parts ({type:"text"}, {type:"tool-call", toolCallId, toolName,
//                       input|args}, {type:"tool-result", toolCallId, output|result})
//   ai.prompt           JSON {system?, prompt?, messages?} given to generateText & co (outer spans)
//   ai.response.text / ai.response.toolCalls / ai.response.object  (ai.result.* before AI SDK 4)
import type { Attributes } from "../../otlp/types.ts";
import type { ChatMessage } from "../../store/records.ts";
import { isRecord, jsonText, objectValue } from "../attributes.ts";
import { contentText, looseMessageList, message, toolCallsOf } from "./parts.ts";

export function vercelInputMessages(attributes: Attributes): ChatMessage[] | null {
  const sent = attributes["ai.prompt.messages"];
  if (sent !== undefined) return looseMessageList(sent, "user");
  const raw = attributes["ai.prompt"];
  if (raw === undefined) return null;
  const prompt = objectValue(raw);
  if (!prompt) return typeof raw === "string" && raw.trim() ? [message("user", raw)] : null;
  const out: ChatMessage[] = [];
  // AI SDK 7 renamed `system` to `instructions`.
  const system = contentText(prompt.system ?? prompt.instructions);
  if (system) out.push(message("system", system));
  const list = looseMessageList(prompt.messages, "user") ?? looseMessageList(prompt.prompt, "user");
  if (list) out.push(...list);
  else if (typeof prompt.prompt === "string" && prompt.prompt) out.push(message("user", prompt.prompt));
  return out.length ? out : null;
}

export function vercelOutputMessages(attributes: Attributes): ChatMessage[] | null {
  const text = attributes["ai.response.text"] ?? attributes["ai.result.text"];
  const calls = attributes["ai.response.toolCalls"] ?? attributes["ai.result.toolCalls"];
  const object = attributes["ai.response.object"] ?? attributes["ai.result.object"];
  if (text === undefined && calls === undefined && object === undefined) return null;
  const toolCalls = toolCallsOf(calls);
  const content = typeof text === "string" && text ? text : typeof object === "string" && object ? object : isRecord(object) ? jsonText(object) : null;
  if (content === null && !toolCalls.length) return null;
  return [message("assistant", content, { toolCalls })];
}
