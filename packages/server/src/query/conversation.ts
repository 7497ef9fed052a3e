// The conversation of a session as a person reads it: every message once, in order. Each LLM
// call re-sends the history, so what a call adds is what follows the part of its input already
// shown; a call whose input does not continue the history (a summarized or rebuilt prompt)
// adds only the messages not shown before.
import type { ConversationMessage } from "../api/types.ts";
import { readStoredMessages } from "../normalize/semantics.ts";
import { STATUS_ERROR, type ChatMessage, type SpanRecord, type TraceRollup } from "../store/records.ts";

export interface TurnContent {
  messages: ConversationMessage[];
  error: { spanId: string; spanName: string; message: string | null } | null;
}

/** Shown messages, carried from turn to turn (and from page to page through a seed turn). */
export class ConversationHistory {
  #shown: ChatMessage[] = [];
  readonly #seen = new Map<string, number>();

  /** The turn's new messages, and the point where it broke. */
  turn(trace: TraceRollup, spans: SpanRecord[]): TurnContent {
    const messages: ConversationMessage[] = [];
    for (const span of spans) {
      const { input, output } = span.spanKind === "LLM" || span.inputMessages ? this.#messagesOf(span) : { input: null, output: null };
      if (!input && !output) continue;
      const call = [...(input ?? []), ...(output ?? [])];
      for (const message of this.#unseen(input ?? [])) messages.push({ ...message, spanId: span.spanId });
      for (const message of output ?? []) messages.push({ ...message, spanId: span.spanId });
      this.#remember(call);
    }
    if (messages.length === 0) {
      // No chat messages recorded: the turn's own input and output stand for them, whole (the
      // trace keeps only previews), from the span the trace took them from.
      const input = trace.input == null ? null : wholeText(spans, "input", trace.input);
      const output = trace.output == null ? null : wholeText(spans, "output", trace.output);
      if (input) messages.push({ role: "user", content: input, spanId: null });
      if (output) messages.push({ role: "assistant", content: output, spanId: null });
    }
    return { messages, error: errorOf(spans) };
  }

  #messagesOf(span: SpanRecord): { input: ChatMessage[] | null; output: ChatMessage[] | null } {
    if (span.inputMessages || span.outputMessages) return { input: span.inputMessages, output: span.outputMessages };
    return readStoredMessages(span);
  }

  /** The messages of a call's input that the history has not shown yet. */
  #unseen(input: ChatMessage[]): ChatMessage[] {
    let prefix = 0;
    while (prefix < input.length && prefix < this.#shown.length && key(input[prefix]) === key(this.#shown[prefix])) prefix++;
    if (prefix === this.#shown.length) return input.slice(prefix);
    // Not a continuation: keep what was never shown, counting repeats.
    const remaining = new Map(this.#seen);
    return input.filter((message) => {
      const k = key(message);
      const left = remaining.get(k) ?? 0;
      if (left > 0) {
        remaining.set(k, left - 1);
        return false;
      }
      return true;
    });
  }

  #remember(call: ChatMessage[]): void {
    this.#shown = call;
    for (const message of call) {
      const k = key(message);
      const inCall = call.filter((m) => key(m) === k).length;
      this.#seen.set(k, Math.max(this.#seen.get(k) ?? 0, inCall));
    }
  }
}

function key(message: ChatMessage): string {
  return JSON.stringify([message.role, message.content ?? "", message.toolCallId ?? null, message.toolCalls?.map((c) => [c.name, c.arguments]) ?? null]);
}

/** The latest-starting failed span: usually the most specific one. */
function errorOf(spans: SpanRecord[]): TurnContent["error"] {
  const failed = spans.filter((span) => span.statusCode === STATUS_ERROR).sort((a, b) => b.startUs - a.startUs)[0];
  if (!failed) return null;
  const exception = failed.events.find((event) => event.name === "exception")?.attributes["exception.message"];
  return {
    spanId: failed.spanId,
    spanName: failed.name,
    message: failed.statusMessage ?? (typeof exception === "string" ? exception : null),
  };
}

/** The whole text a trace's preview was cut from: the first span (root first) whose text starts like it. */
function wholeText(spans: SpanRecord[], field: "input" | "output", cut: string): string {
  const head = cut.endsWith("…") ? cut.slice(0, -1) : cut;
  const ordered = [...spans.filter((s) => s.parentSpanId == null), ...spans.filter((s) => s.parentSpanId != null)];
  return ordered.find((s) => s[field]?.startsWith(head))?.[field] ?? cut;
}
