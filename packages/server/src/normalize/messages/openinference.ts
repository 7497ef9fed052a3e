// OpenInference flattens message lists into indexed attributes:
//   llm.input_messages.{i}.message.role | .content | .name | .tool_call_id
//   llm.input_messages.{i}.message.contents.{j}.message_content.type | .text
//   llm.output_messages.{i}.message.tool_calls.{k}.tool_call.id | .function.name | .function.arguments
// The scan has already grouped the keys by {i}; here each group becomes a ChatMessage.
import type { ChatMessage, ToolCall } from "../../store/records.ts";
import { stringValue } from "../attributes.ts";
import { inOrder, subIndexed, type Indexed } from "../scan.ts";
import { argumentsText, contentText, message } from "./parts.ts";

export function openInferenceMessages(indexed: Indexed | null, defaultRole: string): ChatMessage[] | null {
  if (!indexed) return null;
  const out: ChatMessage[] = [];
  for (const group of inOrder(indexed)) {
    const built = fromGroup(group, defaultRole);
    if (built) out.push(built);
  }
  return out.length ? out : null;
}

function fromGroup(group: Map<string, unknown>, defaultRole: string): ChatMessage | null {
  const role = stringValue(group.get("message.role"));
  const content = contentText(group.get("message.content")) ?? contentsText(group);
  const toolCalls = readToolCalls(group);
  const toolCallId = stringValue(group.get("message.tool_call_id"));
  if (!role && content === null && !toolCalls.length && !toolCallId) return null;
  return message(role ?? defaultRole, content, { toolCalls, toolCallId, name: stringValue(group.get("message.name")) });
}

/** Multimodal messages: the text parts of `message.contents.{j}`, in order. */
function contentsText(group: Map<string, unknown>): string | null {
  const contents = subIndexed(group, "message.contents.");
  if (!contents) return null;
  const texts: string[] = [];
  for (const part of inOrder(contents)) {
    const type = part.get("message_content.type");
    if (type !== undefined && type !== "text") continue;
    const text = contentText(part.get("message_content.text"));
    if (text) texts.push(text);
  }
  return texts.length ? texts.join("\n") : null;
}

function readToolCalls(group: Map<string, unknown>): ToolCall[] {
  const calls: ToolCall[] = [];
  const indexed = subIndexed(group, "message.tool_calls.");
  if (indexed) {
    for (const call of inOrder(indexed)) {
      const name = stringValue(call.get("tool_call.function.name"));
      if (name) calls.push({ id: stringValue(call.get("tool_call.id")), name, arguments: argumentsText(call.get("tool_call.function.arguments")) });
    }
  }
  // Legacy OpenAI function calling.
  const legacy = stringValue(group.get("message.function_call_name"));
  if (legacy) calls.push({ id: null, name: legacy, arguments: argumentsText(group.get("message.function_call_arguments_json")) });
  return calls;
}
