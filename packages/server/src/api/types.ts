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
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "cost",
] as const;
export type SessionSortKey = (typeof SESSION_SORT_KEYS)[number];
export type SortOrder = "asc" | "desc";

export interface TokenCounts {
  prompt: number;
  completion: number;
  total: number;
}

export interface Cost {
  total: number;
}

export type TraceStatus = "OK" | "ERROR" | "UNSET";

export interface ProjectSummary {
  name: string;
  sessionCount: number;
  traceCount: number;
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
  tokens: TokenCounts;
  cost: Cost;
  firstInput: string | null;
  lastOutput: string | null;
}

export interface TraceSummary {
  traceId: string;
  rootSpanName: string | null;
  userId: string | null;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  input: string | null;
  output: string | null;
  tokens: TokenCounts;
  cost: Cost;
  status: TraceStatus;
}

export interface SessionDetail extends SessionSummary {
  traces: TraceSummary[];
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
  tokens: TokenCounts;
  cost: Cost;
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

export interface ApiError {
  error: string;
}
