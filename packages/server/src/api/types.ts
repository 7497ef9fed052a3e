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
  traces: TraceSummary[];
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
}

export interface UserList {
  users: UserSummary[];
  nextCursor: string | null;
}

export interface ApiError {
  error: string;
}
