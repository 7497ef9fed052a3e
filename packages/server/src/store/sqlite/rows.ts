// Maps between the store's records and SQLite rows (snake_case columns, JSON text for lists).
import type { SQLInputValue } from "node:sqlite";
import type { ProjectRollup, SessionRollup, SpanRecord, Tokens, TraceRollup, UserRollup } from "../records.ts";
import type { RollupSpan, TracePicks } from "../rollup.ts";
import { searchText } from "../search-text.ts";

export type Row = Record<string, unknown>;

const text = (value: unknown): string | null => (value == null ? null : String(value));
const json = <T>(value: unknown, fallback: T): T => (value == null ? fallback : (JSON.parse(value as string) as T));

export const SPAN_COLUMNS = [
  "trace_key", "project", "trace_id", "span_id", "parent_span_id", "name", "kind", "span_kind", "start_us", "end_us",
  "status_code", "status_message", "session_id", "user_id", "model", "input", "output",
  "prompt_tokens", "completion_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens",
  "reasoning_tokens", "cost", "tags", "metadata", "attributes", "resource_id", "events",
];

export const TRACE_COLUMNS = [
  "project", "trace_id", "session_id", "user_id", "root_span_name", "start_us", "end_us", "span_count",
  "error_count", "llm_count", "status_code", "input", "output", "prompt_tokens", "completion_tokens", "total_tokens",
  "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost", "tags", "models", "picks",
];

/** Token columns and the Tokens field each holds. */
export const TOKEN_NAMES = [
  ["prompt_tokens", "prompt"], ["completion_tokens", "completion"], ["total_tokens", "total"],
  ["cache_read_tokens", "cacheRead"], ["cache_write_tokens", "cacheWrite"], ["reasoning_tokens", "reasoning"],
] as const;

function tokenValues(t: Tokens, cost: number): SQLInputValue[] {
  return [t.prompt, t.completion, t.total, t.cacheRead, t.cacheWrite, t.reasoning, cost];
}

export function tokens(row: Row): Tokens {
  return {
    prompt: row.prompt_tokens as number,
    completion: row.completion_tokens as number,
    total: row.total_tokens as number,
    cacheRead: row.cache_read_tokens as number,
    cacheWrite: row.cache_write_tokens as number,
    reasoning: row.reasoning_tokens as number,
  };
}

/**
 * A span made ready for the writer: its row (chat messages are not stored: they are read again
 * from the attributes), its resource and search text as strings, and what its trace's rollup
 * needs. Preparing is pure CPU work, done before the span reaches the writer's thread.
 */
export interface PreparedSpan {
  rollup: RollupSpan;
  /** SPAN_COLUMNS' values; the writer fills in the trace key (first) and the resource id. */
  row: SQLInputValue[];
  resource: string;
  text: string;
}

export const RESOURCE_INDEX = SPAN_COLUMNS.indexOf("resource_id");
export const TRACE_KEY_INDEX = 0;

export function prepareSpan(s: SpanRecord, resource: string = JSON.stringify(s.resource)): PreparedSpan {
  return {
    rollup: {
      project: s.project, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name,
      spanKind: s.spanKind, startUs: s.startUs, endUs: s.endUs, statusCode: s.statusCode, sessionId: s.sessionId,
      userId: s.userId, model: s.model, input: s.input, output: s.output, tokens: s.tokens, cost: s.cost, tags: s.tags,
    },
    row: [
      null, s.project, s.traceId, s.spanId, s.parentSpanId, s.name, s.kind, s.spanKind, s.startUs, s.endUs,
      s.statusCode, s.statusMessage, s.sessionId, s.userId, s.model, s.input, s.output,
      ...tokenValues(s.tokens, s.cost),
      JSON.stringify(s.tags), JSON.stringify(s.metadata), JSON.stringify(s.attributes), null, JSON.stringify(s.events),
    ],
    resource,
    text: searchText(s),
  };
}

export function traceValues(t: TraceRollup, picks: TracePicks): SQLInputValue[] {
  return [
    t.project, t.traceId, t.sessionId, t.userId, t.rootSpanName, t.startUs, t.endUs, t.spanCount,
    t.errorCount, t.llmCount, t.statusCode, t.input, t.output, ...tokenValues(t.tokens, t.cost),
    JSON.stringify(t.tags), JSON.stringify(t.models), JSON.stringify(picks),
  ];
}

export function toProject(row: Row): ProjectRollup {
  return {
    name: row.name as string,
    sessionCount: row.session_count as number,
    traceCount: row.trace_count as number,
    userCount: row.user_count as number,
    spanCount: row.span_count as number,
    lastActivityUs: (row.last_activity_us as number | null) ?? null,
  };
}

export function toSession(row: Row): SessionRollup {
  return {
    project: row.project as string,
    sessionId: row.session_id as string,
    userIds: json(row.user_ids, []),
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    traceCount: row.trace_count as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    llmCount: row.llm_count as number,
    tokens: tokens(row),
    cost: row.cost as number,
    firstInput: text(row.first_input),
    lastOutput: text(row.last_output),
    tags: json(row.tags, []),
    models: json(row.models, []),
  };
}

export function toTrace(row: Row): TraceRollup {
  return {
    project: row.project as string,
    traceId: row.trace_id as string,
    sessionId: text(row.session_id),
    userId: text(row.user_id),
    rootSpanName: text(row.root_span_name),
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    llmCount: row.llm_count as number,
    statusCode: row.status_code as number,
    input: text(row.input),
    output: text(row.output),
    tokens: tokens(row),
    cost: row.cost as number,
    tags: json(row.tags, []),
    models: json(row.models, []),
  };
}

export function toUser(row: Row): UserRollup {
  return {
    project: row.project as string,
    userId: row.user_id as string,
    firstSeenUs: row.first_seen_us as number,
    lastSeenUs: row.last_seen_us as number,
    sessionCount: row.session_count as number,
    traceCount: row.trace_count as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    tokens: tokens(row),
    cost: row.cost as number,
  };
}

export function toSpan(row: Row): SpanRecord {
  return {
    project: row.project as string,
    traceId: row.trace_id as string,
    spanId: row.span_id as string,
    parentSpanId: text(row.parent_span_id),
    name: row.name as string,
    kind: row.kind as number,
    spanKind: text(row.span_kind),
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    statusCode: row.status_code as number,
    statusMessage: text(row.status_message),
    sessionId: text(row.session_id),
    userId: text(row.user_id),
    model: text(row.model),
    input: text(row.input),
    output: text(row.output),
    inputMessages: null,
    outputMessages: null,
    tokens: tokens(row),
    cost: row.cost as number,
    tags: json(row.tags, []),
    metadata: json(row.metadata, {}),
    attributes: json(row.attributes, {}),
    resource: json(row.resource, {}), // joined from the resources table by the reader
    events: json(row.events, []),
  };
}
