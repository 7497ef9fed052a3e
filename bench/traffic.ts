// A generator of realistic chat-app OTLP traffic, deterministic by seed.
//
// Sessions of minTurns..maxTurns turns (conversations) start spread over a time window; each
// turn is one trace of four OpenInference spans (AGENT root; RETRIEVER, TOOL and LLM children,
// the LLM span carrying the re-sent chat history). Turns of many sessions interleave in time
// order, the way an app's exporters would send them. Output: OTLP ExportTraceServiceRequest
// protobuf bodies of `spansPerRequest` spans, encoded by the real OpenTelemetry JS serializer
// (ProtobufTraceSerializer over ReadableSpan-shaped objects): the exact bytes an OTel JS SDK
// sends. Measured against the server's protobufjs types (fromObject+encode) it was within
// ~25% either way on this machine, so realism decided (see bench/README.md).
import { SpanKind, SpanStatusCode, type Attributes, type HrTime } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MinHeap } from "./lib/heap.ts";
import { Rng } from "./lib/rng.ts";
import { APP_VERSIONS, MARKER_EVERY, MARKERS, MODELS, PLANS, REGIONS, TAGS, TOOLS, text } from "./lib/words.ts";

/** Bump when the generated traffic changes, so cached data sets are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface TrafficOptions {
  seed?: number;
  project?: string;
  /** Size of the user pool; the first `users` sessions use every user once, the rest are skewed. */
  users?: number;
  sessions?: number;
  minTurns?: number;
  maxTurns?: number;
  /** Start of the time window (ms since the epoch) and its length. */
  startMs?: number;
  windowMs?: number;
  /** Fraction of turns (traces) whose status is ERROR. */
  errorRate?: number;
  spansPerRequest?: number;
}

export interface Batch {
  body: Uint8Array;
  spans: number;
}

export interface TrafficSummary {
  project: string;
  sessions: number;
  traces: number;
  spans: number;
  errorTraces: number;
  bytes: number;
  requests: number;
  firstMs: number;
  lastMs: number;
  /** Every so many sessions' ids, for detail lookups. */
  sampleSessions: string[];
  users: number;
  markerTurns: Record<string, number>;
}

export const SPANS_PER_TURN = 4;

type OtelSpan = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];

interface Session {
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

const SYSTEM_PROMPT =
  "You are a helpful assistant for Acme's customers. Answer briefly and accurately, use the tools when you need account or order data, and never invent prices.";
const SCOPE = { name: "openinference.instrumentation.openai", version: "0.1.28" };

export function userId(index: number): string {
  return `user-${String(index).padStart(5, "0")}`;
}

export function resolveOptions(options: TrafficOptions = {}): Required<TrafficOptions> {
  return {
    seed: options.seed ?? 1,
    project: options.project ?? "bench-chat",
    users: options.users ?? 10_000,
    sessions: options.sessions ?? 10_000,
    minTurns: options.minTurns ?? 3,
    maxTurns: options.maxTurns ?? 12,
    startMs: options.startMs ?? Date.UTC(2025, 5, 2),
    windowMs: options.windowMs ?? 7 * 24 * 3600_000,
    errorRate: options.errorRate ?? 0.03,
    spansPerRequest: options.spansPerRequest ?? 500,
  };
}

/** Yields request bodies lazily; `summary` is complete once the generator is exhausted. */
export function* generateTraffic(options: TrafficOptions, summary: TrafficSummary = emptySummary(options)): Generator<Batch> {
  const o = resolveOptions(options);
  const rng = new Rng(o.seed);
  const resource = resourceFromAttributes({
    "service.name": "acme-chat",
    "service.version": "2.3.1",
    "deployment.environment": "production",
    "openinference.project.name": o.project,
    "telemetry.sdk.language": "nodejs",
  });
  const heap = new MinHeap<Session>((a, b) => a.nextUs - b.nextUs);
  const slotUs = (o.windowMs * 1000) / o.sessions;
  const sampleEvery = Math.max(1, Math.floor(o.sessions / 2000));
  let pending: OtelSpan[] = [];
  let created = 0;

  const emit = (span: OtelSpan) => {
    pending.push(span);
    return pending.length < o.spansPerRequest ? null : flush();
  };
  const flush = (): Batch => {
    const body = ProtobufTraceSerializer.serializeRequest(pending)!;
    const batch = { body, spans: pending.length };
    summary.requests++;
    summary.bytes += body.length;
    summary.spans += pending.length;
    pending = [];
    return batch;
  };

  for (;;) {
    const nextStartUs = created < o.sessions ? o.startMs * 1000 + (created + rng.float() * 0.99) * slotUs : Infinity;
    const head = heap.peek();
    if (!head && nextStartUs === Infinity) break;
    if (!head || nextStartUs < head.nextUs) {
      const session = newSession(rng, o, created, nextStartUs);
      if (created % sampleEvery === 0) summary.sampleSessions.push(session.id);
      created++;
      summary.sessions++;
      heap.push(session);
      continue;
    }
    for (const span of turn(rng, o, head, resource, summary)) {
      const batch = emit(span);
      if (batch) yield batch;
    }
    head.turn++;
    if (head.turn >= head.turns) heap.pop();
    else {
      head.nextUs += rng.int(15, 240) * 1_000_000 + rng.int(0, 999_999);
      heap.replaceTop(head);
    }
  }
  if (pending.length > 0) yield flush();
}

export function emptySummary(options: TrafficOptions): TrafficSummary {
  const o = resolveOptions(options);
  return {
    project: o.project,
    sessions: 0,
    traces: 0,
    spans: 0,
    errorTraces: 0,
    bytes: 0,
    requests: 0,
    firstMs: Infinity,
    lastMs: 0,
    sampleSessions: [],
    users: Math.min(o.users, o.sessions),
    markerTurns: Object.fromEntries(MARKERS.map((m) => [m, 0])),
  };
}

function newSession(rng: Rng, o: Required<TrafficOptions>, index: number, startUs: number): Session {
  // Every user once, then a skewed draw: a few users have many sessions, most have a few.
  const user = index < o.users ? index : Math.floor(o.users * rng.float() ** 2);
  const tags = [TAGS[rng.u32() % TAGS.length]];
  if (rng.chance(0.4)) tags.push(TAGS[rng.u32() % TAGS.length]);
  return {
    id: rng.uuid(),
    userId: userId(user),
    model: rng.chance(0.8) ? MODELS[user % MODELS.length] : rng.pick(MODELS),
    tags: [...new Set(tags)],
    metadata: JSON.stringify({
      plan: PLANS[user % PLANS.length],
      region: rng.pick(REGIONS),
      app_version: rng.pick(APP_VERSIONS),
      locale: rng.pick(["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP"]),
    }),
    turns: rng.int(o.minTurns, o.maxTurns),
    turn: 0,
    nextUs: Math.floor(startUs),
    history: [],
  };
}

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
function turn(rng: Rng, o: Required<TrafficOptions>, s: Session, resource: OtelSpan["resource"], summary: TrafficSummary): OtelSpan[] {
  const traceId = rng.hex(4);
  const [rootId, retrieverId, toolId, llmId] = [rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2)];
  let userMessage = text(rng, 8, 40);
  for (const marker of MARKERS) {
    if (rng.u32() % MARKER_EVERY === 0) {
      userMessage += ` Also, about ${marker}: what do you think?`;
      summary.markerTurns[marker]++;
    }
  }
  const failure = rng.chance(o.errorRate) ? (rng.chance(0.5) ? "llm" : "tool") : null;
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
