// OpenLLMetry (Traceloop) and the GenAI conventions before v1.37 flatten messages as
//   gen_ai.prompt.{i}.role | .content | .tool_call_id | .tool_calls.{j}.id | .name | .arguments
//   gen_ai.completion.{i}.role | .content | .finish_reason | .tool_calls.{j}.* | .function_call.*
// Content that was a list of parts is JSON text (`[{"type":"text","text":"..."}]`).
import type { ChatMessage, ToolCall } from "../../store/records.ts";
import { stringValue } from "../attributes.ts";
import { inOrder, subIndexed, type Indexed } from "../scan.ts";
import { argumentsText, flattenedContentText, message } from "./parts.ts";

export function openLlmetryMessages(indexed: Indexed | null, defaultRole: string): ChatMessage[] | null {
  if (!indexed) return null;
  const out: ChatMessage[] = [];
  for (const group of inOrder(indexed)) {
    const role = stringValue(group.get("role"));
    const content = flattenedContentText(group.get("content"));
    const toolCalls = readToolCalls(group);
    const toolCallId = stringValue(group.get("tool_call_id"));
    if (!role && content === null && !toolCalls.length && !toolCallId) continue;
    out.push(message(role ?? defaultRole, content, { toolCalls, toolCallId, name: stringValue(group.get("name")) }));
  }
  return out.length ? out : null;
}

function readToolCalls(group: Map<string, unknown>): ToolCall[] {
  const calls: ToolCall[] = [];
  const indexed = subIndexed(group, "tool_calls.");
  if (indexed) {
    for (const call of inOrder(indexed)) {
      const name = stringValue(call.get("name"));
      if (name) calls.push({ id: stringValue(call.get("id")), name, arguments: argumentsText(call.get("arguments")) });
    }
  }
  const legacy = stringValue(group.get("function_call.name"));
  if (legacy) calls.push({ id: null, name: legacy, arguments: argumentsText(group.get("function_call.arguments")) });
  return calls;
}
