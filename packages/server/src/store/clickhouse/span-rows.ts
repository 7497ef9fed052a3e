// Spans as rows of the spans table, and back. Nested values are JSON text, as SQLite keeps them;
// the chat messages are not stored (the API reads them from the attributes, as for SQLite).
import type { SpanRecord, Tokens } from "../records.ts";
import { metadataPairs, type RollupSpan } from "../rollup.ts";
import { searchText } from "../search-text.ts";
import type { Row } from "./executor.ts";
import { foldForSearch } from "./search-filters.ts";

export const TOKEN_FIELDS = [
  ["prompt_tokens", "prompt"], ["completion_tokens", "completion"], ["total_tokens", "total"],
  ["cache_read_tokens", "cacheRead"], ["cache_write_tokens", "cacheWrite"], ["reasoning_tokens", "reasoning"],
] as const;

export function tokenColumns(tokens: Tokens): Row {
  return Object.fromEntries(TOKEN_FIELDS.map(([column, field]) => [column, tokens[field]]));
}

export function tokensOf(row: Row): Tokens {
  return Object.fromEntries(TOKEN_FIELDS.map(([column, field]) => [field, Number(row[column])])) as unknown as Tokens;
}

export function spanRow(s: SpanRecord): Row {
  return {
    project: s.project, trace_id: s.traceId, span_id: s.spanId, parent_span_id: s.parentSpanId, name: s.name, kind: s.kind,
    span_kind: s.spanKind, start_us: s.startUs, end_us: s.endUs, status_code: s.statusCode, status_message: s.statusMessage,
    session_id: s.sessionId, user_id: s.userId, model: s.model, ...tokenColumns(s.tokens), cost: s.cost, tags: s.tags,
    metadata: JSON.stringify(s.metadata), metadata_pairs: metadataPairs(s.metadata), input: s.input, output: s.output,
    attributes: JSON.stringify(s.attributes), resource: JSON.stringify(s.resource), events: JSON.stringify(s.events),
    search_text: foldForSearch(searchText([s])),
  };
}

/** The columns a trace's rollup reads back (rollupSpan below). */
export const ROLLUP_COLUMNS = [
  "project", "trace_id", "span_id", "parent_span_id", "name", "span_kind", "start_us", "end_us", "status_code", "session_id",
  "user_id", "model", "input", "output", ...TOKEN_FIELDS.map(([c]) => c), "cost", "tags", "metadata_pairs",
];

export function rollupSpan(row: Row): RollupSpan {
  return {
    project: row.project as string, traceId: row.trace_id as string, spanId: row.span_id as string,
    parentSpanId: (row.parent_span_id as string | null) ?? null, name: row.name as string, spanKind: (row.span_kind as string | null) ?? null,
    startUs: Number(row.start_us), endUs: Number(row.end_us), statusCode: Number(row.status_code),
    sessionId: (row.session_id as string | null) ?? null, userId: (row.user_id as string | null) ?? null, model: (row.model as string | null) ?? null,
    input: (row.input as string | null) ?? null, output: (row.output as string | null) ?? null, tokens: tokensOf(row), cost: Number(row.cost),
    tags: row.tags as string[], metadata: row.metadata_pairs as Array<[string, string]>,
  };
}

export function toSpan(row: Row): SpanRecord {
  return {
    ...rollupSpan(row), kind: Number(row.kind), statusMessage: (row.status_message as string | null) ?? null,
    inputMessages: null, outputMessages: null, metadata: JSON.parse(row.metadata as string) as Record<string, unknown>,
    attributes: JSON.parse(row.attributes as string) as SpanRecord["attributes"], resource: JSON.parse(row.resource as string) as SpanRecord["resource"],
    events: JSON.parse(row.events as string) as SpanRecord["events"],
  };
}
