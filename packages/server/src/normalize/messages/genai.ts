// OpenTelemetry GenAI conventions (v1.37+): whole conversations as JSON in
//   gen_ai.input.messages   [{role, parts: [{type: "text", content}, {type: "tool_call", id, name, arguments},
//                                           {type: "tool_call_response", id, response}, ...]}]
//   gen_ai.output.messages  [{role, parts, finish_reason}]
//   gen_ai.system_instructions  [{type: "text", content}]  (instructions given outside the messages)
// Producers may send the JSON as a string or as structured (array/kvlist) attribute values.
import type { ChatMessage } from "../../store/records.ts";
import { arrayValue } from "../attributes.ts";
import type { Attributes } from "../../otlp/types.ts";
import { contentText, looseMessageList, message } from "./parts.ts";

export function genAiInputMessages(attributes: Attributes): ChatMessage[] | null {
  const raw = attributes["gen_ai.input.messages"];
  const instructions = attributes["gen_ai.system_instructions"];
  if (raw === undefined && instructions === undefined) return null;
  const messages = looseMessageList(raw, "user");
  const system = systemInstructions(instructions);
  if (!system) return messages;
  return [message("system", system), ...(messages ?? [])];
}

export function genAiOutputMessages(attributes: Attributes): ChatMessage[] | null {
  const raw = attributes["gen_ai.output.messages"];
  return raw === undefined ? null : looseMessageList(raw, "assistant");
}

function systemInstructions(value: unknown): string | null {
  if (value === undefined) return null;
  // Usually a parts array (its text parts count); some producers send plain text.
  return contentText(arrayValue(value) ?? value);
}
