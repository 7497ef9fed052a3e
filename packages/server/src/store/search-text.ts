// The words of spans that text search finds: their input and output, and the messages that are
// new in each call. An LLM call re-sends the whole history; indexing only what follows the last
// assistant message keeps the index linear in the conversation, not quadratic.
import type { ChatMessage, SpanRecord } from "./records.ts";

/**
 * The words search finds for these spans (one trace's, written together): the distinct texts of
 * their inputs, outputs and new messages. A turn's root usually repeats its LLM call's question
 * and answer, so a trace is indexed once instead of span by span (half the words on chat traffic).
 */
export function searchText(spans: Array<Pick<SpanRecord, "input" | "output" | "inputMessages" | "outputMessages">>): string {
  const parts = new Set<string>();
  const add = (text: string | null | undefined) => {
    if (text && text.trim()) parts.add(text);
  };
  for (const span of spans) {
    add(span.input);
    add(span.output);
    for (const message of newMessages(span.inputMessages)) addMessage(message, add);
    for (const message of span.outputMessages ?? []) addMessage(message, add);
  }
  return [...parts].join("\n");
}

function newMessages(messages: ChatMessage[] | null): ChatMessage[] {
  if (!messages) return [];
  let lastAssistant = -1;
  messages.forEach((message, i) => {
    if (message.role === "assistant") lastAssistant = i;
  });
  // System prompts repeat on every call and say nothing about what happened in the session.
  return messages.slice(lastAssistant + 1).filter((message) => message.role !== "system");
}

function addMessage(message: ChatMessage, add: (text: string | null | undefined) => void): void {
  add(message.content);
  for (const call of message.toolCalls ?? []) add(`${call.name} ${call.arguments}`);
}

/**
 * Turns what a person typed into an FTS5 query: every word must appear (in any order), and words
 * in double quotes must appear together, in that order. Words are quoted, so FTS5's operators and
 * punctuation in the input cannot make the query invalid.
 */
export function ftsQuery(text: string): string | null {
  const terms: string[] = [];
  // Even pieces are outside quotes, odd ones inside (an unclosed quote runs to the end).
  text.split('"').forEach((piece, i) => {
    const words = piece.match(/[\p{L}\p{N}_]+/gu) ?? [];
    if (i % 2 === 1 && words.length > 1) terms.push(`"${words.join(" ")}"`);
    else terms.push(...words.map((word) => `"${word}"`));
  });
  return terms.length ? terms.join(" ") : null;
}
