// Trace rollups in the ClickHouse store: computed by rollup.ts (the code SQLite uses) from a trace's
// distinct spans in a fixed order, so every writer that sees the same spans writes the same row.
import type { TraceRollup } from "../records.ts";
import { addSpan, type RollupSpan, type TracePicks } from "../rollup.ts";
import type { Row } from "./executor.ts";
import { tokenColumns, tokensOf } from "./span-rows.ts";

export function rollUp(spans: RollupSpan[]): TraceRollup {
  const ordered = [...spans].sort((a, b) => a.startUs - b.startUs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
  let state: { trace: TraceRollup | null; picks: TracePicks | null } = { trace: null, picks: null };
  for (const span of ordered) state = addSpan(state.trace, state.picks, span);
  return state.trace as TraceRollup;
}

/** The trace's row (traces and user_traces take the columns they have); its version is its span count. */
export function traceRow(t: TraceRollup): Row {
  return {
    project: t.project, session_id: t.sessionId ?? "", trace_id: t.traceId, user_id: t.userId ?? "", root_span_name: t.rootSpanName,
    start_us: t.startUs, end_us: t.endUs, span_count: t.spanCount, error_count: t.errorCount, llm_count: t.llmCount,
    status_code: t.statusCode, input: t.input, output: t.output, ...tokenColumns(t.tokens), cost: t.cost, tags: t.tags,
    models: t.models, metadata: t.metadata, ver: t.spanCount,
  };
}

export function toTrace(row: Row): TraceRollup {
  return {
    project: row.project as string, traceId: row.trace_id as string, sessionId: (row.session_id as string) || null,
    userId: (row.user_id as string) || null, rootSpanName: (row.root_span_name as string | null) ?? null,
    startUs: Number(row.start_us), endUs: Number(row.end_us), spanCount: Number(row.span_count), errorCount: Number(row.error_count),
    llmCount: Number(row.llm_count), statusCode: Number(row.status_code), input: (row.input as string | null) ?? null,
    output: (row.output as string | null) ?? null, tokens: tokensOf(row), cost: Number(row.cost), tags: row.tags as string[],
    models: row.models as string[], metadata: row.metadata as Array<[string, string]>,
  };
}
