// The records the store keeps. Times are microseconds since the epoch.
import type { Attributes, DecodedEvent } from "../otlp/types.ts";

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;

export interface Tokens {
  prompt: number;
  completion: number;
  total: number;
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
  tokens: Tokens;
  cost: number;
  attributes: Attributes;
  resource: Attributes;
  events: DecodedEvent[];
}

/** A trace (one conversation turn), rolled up from its spans as they arrive. */
export interface TraceRollup {
  project: string;
  traceId: string;
  sessionId: string | null;
  userId: string | null;
  rootSpanName: string | null;
  startUs: number;
  endUs: number;
  spanCount: number;
  errorCount: number;
  statusCode: number;
  input: string | null;
  output: string | null;
  tokens: Tokens;
  cost: number;
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
  tokens: Tokens;
  cost: number;
  firstInput: string | null;
  lastOutput: string | null;
}

export interface ProjectRollup {
  name: string;
  sessionCount: number;
  traceCount: number;
  lastActivityUs: number | null;
}
