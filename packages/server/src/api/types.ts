// The JSON API's response shapes (camelCase, times as ISO-8601 strings).
// The web UI imports these types, so they are the contract between server and UI.

/** The fields the sessions list can be sorted by (`sort=`). */
export const SESSION_SORT_KEYS = [
  "startTime",
  "endTime",
  "durationMs",
  "traceCount",
  "spanCount",
  "errorCount",
  "llmCount",
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "cost",
] as const;
export type SessionSortKey = (typeof SESSION_SORT_KEYS)[number];

/** The fields the users list can be sorted by. */
export const USER_SORT_KEYS = [
  "firstSeen",
  "lastSeen",
  "sessionCount",
  "traceCount",
  "spanCount",
  "errorCount",
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "cost",
] as const;
export type UserSortKey = (typeof USER_SORT_KEYS)[number];
export type SortOrder = "asc" | "desc";

export interface TokenCounts {
  prompt: number;
  completion: number;
  total: number;
  /** Prompt tokens read from the provider's cache (included in prompt). */
  cacheRead: number;
  /** Prompt tokens written to the provider's cache (included in prompt). */
  cacheWrite: number;
  /** Reasoning tokens (included in completion). */
  reasoning: number;
}

export interface Cost {
  total: number;
}

export type TraceStatus = "OK" | "ERROR" | "UNSET";

export interface ProjectSummary {
  name: string;
  sessionCount: number;
  traceCount: number;
  userCount: number;
  spanCount: number;
  lastActivity: string | null;
}

export interface SessionSummary {
  sessionId: string;
  userIds: string[];
  startTime: string;
  endTime: string;
  durationMs: number;
  traceCount: number;
  spanCount: number;
  errorCount: number;
  /** LLM calls in the session. */
  llmCount: number;
  tokens: TokenCounts;
  cost: Cost;
  firstInput: string | null;
  lastOutput: string | null;
  tags: string[];
  models: string[];
  annotations: AnnotationSummary[];
}

export interface TraceSummary {
  traceId: string;
  rootSpanName: string | null;
  userId: string | null;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  llmCount: number;
  input: string | null;
  output: string | null;
  tokens: TokenCounts;
  cost: Cost;
  status: TraceStatus;
  tags: string[];
  models: string[];
}

export interface SessionDetail extends SessionSummary {
  /** The first turns in time order (up to 500); the rest page through /traces?cursor. */
  traces: TraceSummary[];
  tracesNextCursor: string | null;
  metadata: Record<string, string>;
  /** Every annotation of the session itself. */
  sessionAnnotations: Annotation[];
}

export interface TraceList {
  traces: TraceSummary[];
  nextCursor: string | null;
}

export interface ChatMessage {
  role: string;
  content: string | null;
  toolCalls?: Array<{ id: string | null; name: string; arguments: string }>;
  toolCallId?: string | null;
  name?: string | null;
}

export interface SpanEvent {
  name: string;
  time: string;
  attributes: Record<string, unknown>;
}

export interface SpanView {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP span kind: INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER or UNSPECIFIED. */
  kind: string;
  /** OpenInference span kind (LLM, CHAIN, TOOL, AGENT, ...) when known. */
  spanKind: string | null;
  startTime: string;
  endTime: string;
  durationMs: number;
  status: { code: TraceStatus; message: string | null };
  sessionId: string | null;
  userId: string | null;
  model: string | null;
  input: string | null;
  output: string | null;
  inputMessages: ChatMessage[] | null;
  outputMessages: ChatMessage[] | null;
  tokens: TokenCounts;
  cost: Cost;
  tags: string[];
  metadata: Record<string, unknown>;
  attributes: Record<string, unknown>;
  resourceAttributes: Record<string, unknown>;
  events: SpanEvent[];
}

export interface TraceDetail {
  traceId: string;
  sessionId: string | null;
  spans: SpanView[];
}

export interface ProjectList {
  projects: ProjectSummary[];
}

export interface SessionList {
  sessions: SessionSummary[];
  nextCursor: string | null;
}

export interface UserSummary {
  userId: string;
  firstSeen: string;
  lastSeen: string;
  sessionCount: number;
  traceCount: number;
  spanCount: number;
  errorCount: number;
  tokens: TokenCounts;
  cost: Cost;
  annotations: AnnotationSummary[];
}

export interface UserList {
  users: UserSummary[];
  nextCursor: string | null;
}

export interface ApiError {
  error: string;
}

// ---- Conversation (the Session page's chat) ----

/** One message of a conversation, shown once even though every LLM call re-sends the history. */
export interface ConversationMessage {
  role: string;
  content: string | null;
  toolCalls?: Array<{ id: string | null; name: string; arguments: string }>;
  toolCallId?: string | null;
  name?: string | null;
  /** The span the message was first seen in. */
  spanId: string | null;
}

/** One turn (trace) of the conversation: the messages it added, and what it cost. */
export interface ConversationTurn {
  traceId: string;
  startTime: string;
  durationMs: number;
  status: TraceStatus;
  tokens: TokenCounts;
  cost: Cost;
  /** Where the turn broke: the failing span's name and message. */
  error: { spanId: string; spanName: string; message: string | null } | null;
  /** The messages new in this turn, in order (system prompts included, flagged by role). */
  messages: ConversationMessage[];
  annotations: Annotation[];
}

export interface Conversation {
  turns: ConversationTurn[];
  /** Pass back as `cursor` for the next turns; null after the last. */
  nextCursor: string | null;
}

// ---- Annotations and evaluations ----

export const ANNOTATOR_KINDS = ["HUMAN", "LLM", "CODE"] as const;
export type AnnotatorKind = (typeof ANNOTATOR_KINDS)[number];

export type AnnotationTarget =
  | { type: "session"; sessionId: string }
  | { type: "trace"; traceId: string }
  | { type: "span"; traceId: string; spanId: string };

/** A human annotation or an automatic evaluation (LLM or CODE) of a session, trace or span. */
export interface Annotation {
  id: string;
  target: AnnotationTarget;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  annotatorKind: AnnotatorKind;
  /** Tells apart several annotations of one name on one target (e.g. one per reviewer). */
  identifier: string;
  createdAt: string;
  updatedAt: string;
}

/** What POST takes (it creates, or replaces by target + name + identifier); PATCH takes the same without name and identifier, which are the annotation's key. */
export interface AnnotationInput {
  name: string;
  label?: string | null;
  score?: number | null;
  explanation?: string | null;
  annotatorKind?: AnnotatorKind;
  identifier?: string;
}

export interface AnnotationList {
  annotations: Annotation[];
}

/** Per annotation name on a session or user: the mean score, the most frequent label. */
export interface AnnotationSummary {
  name: string;
  annotatorKind: AnnotatorKind;
  score: number | null;
  label: string | null;
  count: number;
}

/** Every annotation name used in a project: the columns and filters of the lists. */
export interface AnnotationNames {
  names: Array<{ name: string; annotatorKinds: AnnotatorKind[]; count: number; labels: string[]; minScore: number | null; maxScore: number | null }>;
}

// ---- Stats for the filtered sessions, and series over time ----

export interface SeriesPoint {
  /** Start of the bucket. */
  time: string;
  sessionCount: number;
  traceCount: number;
  tokens: number;
  cost: number;
  errorCount: number;
  /** Mean score per annotation name in the bucket (user page). */
  scores?: Record<string, number>;
}

export interface SessionStats {
  sessionCount: number;
  userCount: number;
  avgDurationMs: number;
  avgTurns: number;
  tokens: TokenCounts;
  cost: Cost;
  /** Share of sessions with at least one failed span, 0 to 1. */
  errorRate: number;
  /** Bucket size of `series` in milliseconds (hour or day, chosen from the range). */
  bucketMs: number;
  series: SeriesPoint[];
}

export interface UserDetail extends UserSummary {
  annotations: AnnotationSummary[];
  bucketMs: number;
  series: SeriesPoint[];
}

// ---- Global search ----

export interface SearchResults {
  sessions: Array<{ sessionId: string; userIds: string[]; startTime: string; match: "id" | "text" }>;
  users: Array<{ userId: string; sessionCount: number }>;
  traces: Array<{ traceId: string; sessionId: string | null; startTime: string }>;
}

// ---- Live updates (GET /api/v1/projects/{project}/events, text/event-stream) ----

/** `event: changes` data: what a committed batch touched. */
export interface ChangeEvent {
  project: string;
  sessionIds: string[];
  traceIds: string[];
}
