// The records the store keeps. Times are microseconds since the epoch.
import type { Attributes, DecodedEvent } from "../otlp/types.ts";

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;

export interface Tokens {
  prompt: number;
  completion: number;
  total: number;
  /** Prompt tokens served from the provider's cache (part of `prompt`). */
  cacheRead: number;
  /** Prompt tokens written to the provider's cache (part of `prompt`). */
  cacheWrite: number;
  /** Reasoning tokens (part of `completion`). */
  reasoning: number;
}

export interface ToolCall {
  id: string | null;
  name: string;
  /** The arguments as the model wrote them (usually JSON text). */
  arguments: string;
}

/** One chat message, the same whatever convention it arrived in. */
export interface ChatMessage {
  /** system, user, assistant, tool (or whatever role the sender used). */
  role: string;
  content: string | null;
  toolCalls?: ToolCall[];
  /** For a tool result: the call it answers. */
  toolCallId?: string | null;
  name?: string | null;
}

/** One span, normalized from whatever convention it was sent in. */
export interface SpanRecord {
  project: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  /** OpenInference span kind (LLM, CHAIN, TOOL, AGENT, ...), when known. */
  spanKind: string | null;
  startUs: number;
  endUs: number;
  statusCode: number;
  statusMessage: string | null;
  sessionId: string | null;
  userId: string | null;
  model: string | null;
  input: string | null;
  output: string | null;
  /** The messages sent to the model (LLM spans), in order. */
  inputMessages: ChatMessage[] | null;
  /** The messages the model answered with. */
  outputMessages: ChatMessage[] | null;
  /**
   * What this span itself consumed. A convention's wrapper span that repeats its children's
   * usage (e.g. Vercel's ai.generateText over ai.generateText.doGenerate) carries zero here, so
   * rollups can simply add spans up.
   */
  tokens: Tokens;
  cost: number;
  tags: string[];
  metadata: Record<string, unknown>;
  attributes: Attributes;
  resource: Attributes;
  events: DecodedEvent[];
}

/** The attribute by which an app says its session is over (set by the SDK's endSession). */
export const SESSION_END_ATTRIBUTE = "threadline.session.end";
/** The name of the span endSession() sends when no span of the session is active. */
export const SESSION_END_SPAN = "session.end";

/** Whether the span ends its session. */
export function endsSession(span: Pick<SpanRecord, "attributes">): boolean {
  const value = span.attributes[SESSION_END_ATTRIBUTE];
  return value === true || value === "true";
}

/** A trace (one conversation turn), rolled up from its spans as they arrive. */
export interface TraceRollup {
  project: string;
  traceId: string;
  sessionId: string | null;
  userId: string | null;
  /** The root span's name (the earliest span's until the root arrives). */
  rootSpanName: string | null;
  startUs: number;
  endUs: number;
  spanCount: number;
  errorCount: number;
  /** LLM calls (spans of kind LLM). */
  llmCount: number;
  statusCode: number;
  /** Previews (rollup.ts: PREVIEW_CHARS); the whole texts are in the spans. */
  input: string | null;
  output: string | null;
  tokens: Tokens;
  cost: number;
  tags: string[];
  models: string[];
  /** Top-level metadata of its spans as [key, value as text] (the metadata filter's index). */
  metadata: Array<[string, string]>;
}

/** A session, rolled up from its traces as they arrive. */
export interface SessionRollup {
  project: string;
  sessionId: string;
  userIds: string[];
  startUs: number;
  endUs: number;
  traceCount: number;
  spanCount: number;
  errorCount: number;
  llmCount: number;
  tokens: Tokens;
  cost: number;
  /** Previews of the first trace's input and the last one's output (rollup.ts: PREVIEW_CHARS). */
  firstInput: string | null;
  lastOutput: string | null;
  tags: string[];
  models: string[];
  /** open, idle or closed (schema.ts SESSION_STATES). */
  state: "open" | "idle" | "closed";
}

/** A user of a project, rolled up from the traces that name them. */
export interface UserRollup {
  project: string;
  userId: string;
  firstSeenUs: number;
  lastSeenUs: number;
  sessionCount: number;
  traceCount: number;
  spanCount: number;
  errorCount: number;
  tokens: Tokens;
  cost: number;
}

export interface ProjectRollup {
  name: string;
  sessionCount: number;
  traceCount: number;
  userCount: number;
  spanCount: number;
  lastActivityUs: number | null;
}

export type AnnotationTargetRecord =
  | { type: "session"; sessionId: string }
  | { type: "trace"; traceId: string }
  | { type: "span"; traceId: string; spanId: string };

export interface AnnotationRecord {
  id: string;
  project: string;
  target: AnnotationTargetRecord;
  /** The session the target belongs to, when known. */
  sessionId: string | null;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  annotatorKind: "HUMAN" | "LLM" | "CODE";
  identifier: string;
  /** What an evaluator points at ({ turn, traceId }), or anything a client adds. */
  metadata: Record<string, unknown> | null;
  createdUs: number;
  updatedUs: number;
}

/** Per annotation name on a session or a user: mean score, most frequent label, count. */
export interface AnnotationSummaryRecord {
  name: string;
  annotatorKind: "HUMAN" | "LLM" | "CODE";
  score: number | null;
  label: string | null;
  count: number;
  /** Users: sessions per label, among those started since the window's start. */
  labels?: Record<string, number>;
}
