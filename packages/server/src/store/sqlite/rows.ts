// Maps SQLite rows (snake_case columns) to the store's records.
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup } from "../records.ts";
import type { RollupSpan } from "../rollup.ts";

export type Row = Record<string, unknown>;

const text = (value: unknown): string | null => (value == null ? null : String(value));
const tokens = (row: Row) => ({
  prompt: row.prompt_tokens as number,
  completion: row.completion_tokens as number,
  total: row.total_tokens as number,
});

export function toProject(row: Row): ProjectRollup {
  return {
    name: row.name as string,
    sessionCount: row.session_count as number,
    traceCount: row.trace_count as number,
    lastActivityUs: (row.last_activity_us as number | null) ?? null,
  };
}

export function toSession(row: Row): SessionRollup {
  return {
    project: row.project as string,
    sessionId: row.session_id as string,
    userIds: JSON.parse(row.user_ids as string) as string[],
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    traceCount: row.trace_count as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    tokens: tokens(row),
    cost: row.cost as number,
    firstInput: text(row.first_input),
    lastOutput: text(row.last_output),
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
    statusCode: row.status_code as number,
    input: text(row.input),
    output: text(row.output),
    tokens: tokens(row),
    cost: row.cost as number,
  };
}

export function toRollupSpan(row: Row): RollupSpan {
  return {
    project: row.project as string,
    traceId: row.trace_id as string,
    spanId: row.span_id as string,
    parentSpanId: text(row.parent_span_id),
    name: row.name as string,
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    statusCode: row.status_code as number,
    sessionId: text(row.session_id),
    userId: text(row.user_id),
    input: text(row.input),
    output: text(row.output),
    tokens: tokens(row),
    cost: row.cost as number,
  };
}

export function toSpan(row: Row): SpanRecord {
  return {
    ...toRollupSpan(row),
    kind: row.kind as number,
    spanKind: text(row.span_kind),
    statusMessage: text(row.status_message),
    model: text(row.model),
    attributes: JSON.parse(row.attributes as string),
    resource: JSON.parse(row.resource as string),
    events: JSON.parse(row.events as string),
  };
}
