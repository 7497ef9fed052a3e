import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { userTextsNewestFirst } from "./messages.ts";
import { answerFromToolResults, detectToolCall, type ToolCallIntent } from "./tools.ts";

export type StubReply = { content: string } | { toolCall: ToolCallIntent };

/** Replies keyed by the exact (trimmed) last user message, so a script can give every turn a fitting answer. */
export type CannedReplies = ReadonlyMap<string, string>;

// Generic answers for when nothing more specific applies; first match wins.
const KEYWORD_REPLIES: [RegExp, string][] = [
  [/^(hi|hello|hey)\b/i, "Hi! How can I help you today?"],
  [/\b(thanks|thank you|cheers|perfect|great)\b/i, "You're welcome! Let me know if there's anything else I can help with."],
  [/\b(bye|goodbye|see you)\b/i, "Goodbye, have a great day!"],
  [/\b(weather|forecast|rain)\b/i, "I can't look up live weather right now, but a quick check of a local forecast service will have the latest."],
  [/\b(order|refund|delivery)\b/i, "I can help with that. Could you share your order number? It looks like ORD-12345."],
  [/\b(code|function|error|bug)\b/i, "Could you paste the relevant code and the exact error message? That will help me pinpoint the problem."],
];

/** Picks what the stub model says next. Deterministic: the same conversation always gets the same reply. */
export function chooseReply(
  messages: ChatCompletionMessageParam[],
  offeredTools: Set<string>,
  canned: CannedReplies,
): StubReply {
  if (messages.at(-1)?.role === "tool") {
    const answer = answerFromToolResults(messages);
    if (answer) return { content: answer };
  }
  const last = (userTextsNewestFirst(messages)[0] ?? "").trim();
  const scripted = canned.get(last);
  if (scripted !== undefined) return { content: scripted };

  const toolCall = offeredTools.size > 0 ? detectToolCall(messages, offeredTools) : undefined;
  if (toolCall) return { toolCall };

  const keyword = KEYWORD_REPLIES.find(([pattern]) => pattern.test(last));
  if (keyword) return { content: keyword[1] };
  return { content: `Good question. Could you tell me a bit more about what you're after with "${last.slice(0, 80)}"?` };
}
