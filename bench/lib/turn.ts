// One conversation turn as OpenInference spans: an AGENT root with RETRIEVER, TOOL and LLM
// children; the LLM span re-sends as much recent history as fits (1-4 KB of attributes).
import { SpanKind, SpanStatusCode, type Attributes, type HrTime } from "@opentelemetry/api";
import type { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { Rng } from "./rng.ts";
import { MARKER_EVERY, MARKERS, TOOLS, text } from "./words.ts";

export type OtelSpan = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];

export interface Session {
  id: string;
  userId: string;
  model: string;
  tags: string[];
  metadata: string;
  turns: number;
  turn: number;
  /** Next turn's start, microseconds since the epoch. */
  nextUs: number;
  history: Array<{ role: string; content: string }>;
}

/** What the turns add up to (the generator's summary fills in the rest). */
export interface TurnTotals {
  traces: number;
  errorTraces: number;
  firstMs: number;
  lastMs: number;
  markerTurns: Record<string, number>;
}

/**
 * Where a turn's words come from. The default is traffic.ts's: the built-in vocabulary, and the
 * rare marker words in about one user message in MARKER_EVERY. bench/skewed.ts brings its own.
 * `text` is called for the reply, the retrieved documents, the tool parameters and the tool's
 * note, in that order, after `userMessage`.
 */
export interface TurnText {
  userMessage(rng: Rng, s: Session, summary: TurnTotals): string;
  text(rng: Rng, minWords: number, maxWords: number): string;
}

export const DEFAULT_TEXT: TurnText = {
  userMessage(rng, _s, summary) {
    let message = text(rng, 8, 40);
    for (const marker of MARKERS) {
      if (rng.u32() % MARKER_EVERY === 0) {
        message += ` Also, about ${marker}: what do you think?`;
        summary.markerTurns[marker]++;
      }
    }
    return message;
  },
  text,
};

const SYSTEM_PROMPT =
  "You are a helpful assistant for Acme's customers. Answer briefly and accurately, use the tools when you need account or order data, and never invent prices.";
const SCOPE = { name: "openinference.instrumentation.openai", version: "0.1.28" };

function hr(us: number): HrTime {
  return [Math.floor(us / 1e6), (us % 1e6) * 1000];
}

function span(
  resource: OtelSpan["resource"],
  traceId: string,
  spanId: string,
  parentId: string | null,
  name: string,
  kind: SpanKind,
  startUs: number,
  endUs: number,
  attributes: Attributes,
  error: string | null,
): OtelSpan {
  const context = { traceId, spanId, traceFlags: 1 };
  return {
    name,
    kind,
    spanContext: () => context,
    parentSpanContext: parentId ? { traceId, spanId: parentId, traceFlags: 1, isRemote: false } : undefined,
    startTime: hr(startUs),
    endTime: hr(endUs),
    duration: hr(endUs - startUs),
    status: error ? { code: SpanStatusCode.ERROR, message: error } : { code: SpanStatusCode.UNSET },
    attributes,
    links: [],
    events: error
      ? [{ name: "exception", time: hr(endUs - 1), attributes: { "exception.type": error.split(":")[0], "exception.message": error } }]
      : [],
    ended: true,
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** One turn: the four spans of one trace, children first (the order they end in). */
export function turn(
  rng: Rng,
  errorRate: number,
  s: Session,
  resource: OtelSpan["resource"],
  summary: TurnTotals,
  words: TurnText = DEFAULT_TEXT,
): OtelSpan[] {
  const text = words.text;
  const traceId = rng.hex(4);
  const [rootId, retrieverId, toolId, llmId] = [rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2)];
  const userMessage = words.userMessage(rng, s, summary);
  const failure = rng.chance(errorRate) ? (rng.chance(0.5) ? "llm" : "tool") : null;
  const reply = failure === "llm" ? null : text(rng, 30, 150);
  const who = { "session.id": s.id, "user.id": s.userId };

  const t0 = s.nextUs;
  const retrieverStart = t0 + rng.int(2_000, 20_000);
  const retrieverEnd = retrieverStart + rng.int(20_000, 250_000);
  const toolStart = retrieverEnd + rng.int(500, 5_000);
  const toolEnd = toolStart + rng.int(10_000, 800_000);
  const llmStart = toolEnd + rng.int(500, 5_000);
  const llmEnd = llmStart + rng.int(400_000, 6_000_000);
  const rootEnd = llmEnd + rng.int(3_000, 40_000);

  const docCount = rng.int(2, 3);
  const retriever: Attributes = { "openinference.span.kind": "RETRIEVER", "input.value": userMessage.slice(0, 80), ...who };
  for (let i = 0; i < docCount; i++) {
    retriever[`retrieval.documents.${i}.document.id`] = `kb-${rng.int(1, 40_000)}`;
    retriever[`retrieval.documents.${i}.document.content`] = text(rng, 20, 60);
    retriever[`retrieval.documents.${i}.document.score`] = Math.round(rng.float() * 1000) / 1000;
  }

  const tool = rng.pick(TOOLS);
  const params: Record<string, string | number> = {};
  for (const p of tool.params) params[p] = rng.chance(0.5) ? rng.int(1, 500) : text(rng, 1, 3);
  const toolAttrs: Attributes = {
    "openinference.span.kind": "TOOL",
    "tool.name": tool.name,
    "tool.description": `Acme internal API: ${tool.name.replace(/_/g, " ")}`,
    "tool.parameters": JSON.stringify(params),
    "input.value": JSON.stringify(params),
    "input.mime_type": "application/json",
    ...who,
  };
  if (failure !== "tool") toolAttrs["output.value"] = JSON.stringify({ ok: true, rows: rng.int(0, 25), note: text(rng, 3, 10) });

  // The model sees the system prompt, as much recent history as fits, and the new message.
  const budget = rng.int(400, 2_600);
  const history = s.history.slice();
  let historyChars = history.reduce((n, m) => n + m.content.length, 0);
  while (history.length > 0 && historyChars > budget) historyChars -= history.shift()!.content.length;
  const messages = [{ role: "system", content: SYSTEM_PROMPT }, ...history, { role: "user", content: userMessage }];
  const llm: Attributes = {
    "openinference.span.kind": "LLM",
    "llm.model_name": s.model,
    "llm.provider": s.model.startsWith("claude") ? "anthropic" : s.model.startsWith("gemini") ? "google" : "openai",
    "llm.invocation_parameters": JSON.stringify({ temperature: 0.7, max_tokens: 1024 }),
    ...who,
  };
  let promptChars = 0;
  messages.forEach((m, i) => {
    llm[`llm.input_messages.${i}.message.role`] = m.role;
    llm[`llm.input_messages.${i}.message.content`] = m.content;
    promptChars += m.content.length;
  });
  const prompt = Math.ceil(promptChars / 4) + 4 * messages.length;
  const completion = reply ? Math.ceil(reply.length / 4) : 0;
  if (reply) {
    llm["llm.output_messages.0.message.role"] = "assistant";
    llm["llm.output_messages.0.message.content"] = reply;
  }
  llm["llm.token_count.prompt"] = prompt;
  llm["llm.token_count.completion"] = completion;
  llm["llm.token_count.total"] = prompt + completion;

  const root: Attributes = {
    "openinference.span.kind": "AGENT",
    "input.value": userMessage,
    "input.mime_type": "text/plain",
    "output.value": reply ?? "Sorry, something went wrong. Please try again.",
    "output.mime_type": "text/plain",
    metadata: s.metadata,
    "tag.tags": s.tags,
    ...who,
  };

  const llmError = failure === "llm" ? "RateLimitError: 429 Too Many Requests: rate limit reached for requests" : null;
  const toolError = failure === "tool" ? `ToolTimeoutError: ${tool.name} did not answer within 30s` : null;
  s.history.push({ role: "user", content: userMessage });
  if (reply) s.history.push({ role: "assistant", content: reply });
  summary.traces++;
  if (failure) summary.errorTraces++;
  summary.firstMs = Math.min(summary.firstMs, t0 / 1000);
  summary.lastMs = Math.max(summary.lastMs, rootEnd / 1000);
  return [
    span(resource, traceId, retrieverId, rootId, "retrieve", SpanKind.INTERNAL, retrieverStart, retrieverEnd, retriever, null),
    span(resource, traceId, toolId, rootId, tool.name, SpanKind.INTERNAL, toolStart, toolEnd, toolAttrs, toolError),
    span(resource, traceId, llmId, rootId, "ChatCompletion", SpanKind.CLIENT, llmStart, llmEnd, llm, llmError),
    span(resource, traceId, rootId, null, "Agent.run", SpanKind.SERVER, t0, rootEnd, root, llmError ?? toolError),
  ];
}
