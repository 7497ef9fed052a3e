import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";

/** The plain text of a message's content, whether it is a string or an array of content parts. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : ""))
    .join("");
}

/** User message texts, most recent first. */
export function userTextsNewestFirst(messages: ChatCompletionMessageParam[]): string[] {
  return messages
    .filter((message) => message.role === "user")
    .map((message) => textOf(message.content))
    .reverse();
}

/** Rough token count (about 4 characters per token, like English text with the GPT tokenizers). */
export function countTokens(text: string): number {
  return text === "" ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** Prompt tokens the way OpenAI bills them: content plus a few tokens of framing per message and for tools. */
export function countPromptTokens(messages: ChatCompletionMessageParam[], tools: unknown): number {
  let total = 3;
  for (const message of messages) {
    total += 4 + countTokens(textOf(message.content));
    if (message.role === "assistant" && message.tool_calls) total += countTokens(JSON.stringify(message.tool_calls));
  }
  if (Array.isArray(tools) && tools.length > 0) total += countTokens(JSON.stringify(tools));
  return total;
}
