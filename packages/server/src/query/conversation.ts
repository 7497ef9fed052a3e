// The conversation of a session as a person reads it: every message once, in order. Each LLM
// call re-sends the history, so what a call adds is what follows the part of its input already
// shown; a call whose input does not continue the history (a summarized or rebuilt prompt)
// adds only the messages not shown before. Messages sent as OTLP log records count as their
// call's (normalize/logs.ts).
import type { ConversationMessage } from "../api/types.ts";
import { isLogRecordSpan, logRecordMessages } from "../normalize/logs.ts";
import { readStoredMessages } from "../normalize/semantics.ts";
import { STATUS_ERROR, type ChatMessage, type SpanRecord, type TraceRollup } from "../store/records.ts";

type Call = { input: ChatMessage[] | null; output: ChatMessage[] | null; spanId: string | null };
const NO_CALL: Call = { input: null, output: null, spanId: null };

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
    const logged = this.#logRecordCalls(spans);
    for (const span of spans) {
      const { input, output, spanId } = isLogRecordSpan(span)
        ? (logged.get(span) ?? NO_CALL)
        : span.spanKind === "LLM" || span.inputMessages ? { ...this.#messagesOf(span), spanId: span.spanId } : NO_CALL;
      if (!input && !output) continue;
      const call = [...(input ?? []), ...(output ?? [])];
      for (const message of this.#unseen(input ?? [])) messages.push({ ...message, spanId });
      for (const message of output ?? []) messages.push({ ...message, spanId });
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

  /**
   * Calls whose messages came as OTLP log records (normalize/logs.ts): the log-record spans of one
   * call, however many exports they came in, read as that call, at the first one's place and
   * under the call's span id. A call that carries messages of its own keeps those.
   */
  #logRecordCalls(spans: SpanRecord[]): Map<SpanRecord, Call> {
    const groups = new Map<string, SpanRecord[]>();
    for (const span of spans) {
      if (!isLogRecordSpan(span) || span.parentSpanId == null) continue;
      const group = groups.get(span.parentSpanId);
      if (group) group.push(span);
      else groups.set(span.parentSpanId, [span]);
    }
    const calls = new Map<SpanRecord, Call>();
    if (groups.size === 0) return calls;
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const [parentId, group] of groups) {
      const parent = byId.get(parentId);
      if (parent) {
        const own = this.#messagesOf(parent);
        if (own.input || own.output) continue;
      }
      calls.set(group[0], { ...logRecordMessages(group), spanId: parent ? parentId : group[0].spanId });
    }
    return calls;
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
