// Trace rollups and the bookkeeping that keeps them exact under concurrent writers
// (docs/clickhouse.md, "Exactness"). Every row is a full recomputation, versioned by what it saw.
import type { TableDef } from "../ddl.ts";
import { TOKEN_COLUMNS } from "./001-spans.ts";

const SMALL = { index_granularity: 256 };

/** A trace's rollup filed under its session ('' for none): a session's traces are one range. */
export const traces: TableDef = {
  name: "traces",
  columns: [
    "project LowCardinality(String)", "session_id String", "trace_id String", "user_id String", "root_span_name Nullable(String)",
    "start_us Int64", "end_us Int64", "span_count UInt32", "error_count UInt32", "llm_count UInt32", "status_code UInt8",
    "input Nullable(String)", "output Nullable(String)", ...TOKEN_COLUMNS, "cost Float64",
    "tags Array(String)", "models Array(String)", "metadata Array(Tuple(String, String))",
    // The trace's distinct span count when computed: a later recomputation saw more, so it wins.
    "ver UInt64",
  ],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, session_id, trace_id)",
  settings: SMALL,
  shardBy: "cityHash64(project, session_id)",
};

/** The same rollups filed under their user ('' for none): a user's recount is one range. */
export const userTraces: TableDef = {
  name: "user_traces",
  columns: [
    "project LowCardinality(String)", "user_id String", "trace_id String", "session_id String", "start_us Int64", "end_us Int64",
    "span_count UInt32", "error_count UInt32", ...TOKEN_COLUMNS, "cost Float64", "ver UInt64",
  ],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, user_id, trace_id)",
  settings: SMALL,
  shardBy: "cityHash64(project, user_id)",
};

/** Where each trace is filed now (highest version wins): getTrace by id, and which filings count. */
export const traceIndex: TableDef = {
  name: "trace_index",
  columns: ["project LowCardinality(String)", "trace_id String", "session_id String", "user_id String", "start_us Int64", "end_us Int64", "ver UInt64"],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, trace_id)",
  settings: SMALL,
  shardBy: "cityHash64(project, trace_id)",
};

/** Every (trace, session, user) any writer ever filed a trace under: what to recompute when it moves. */
export const traceLinks: TableDef = {
  name: "trace_links",
  columns: ["project LowCardinality(String)", "trace_id String", "session_id String", "user_id String"],
  engine: "ReplacingMergeTree",
  orderBy: "(project, trace_id, session_id, user_id)",
  settings: SMALL,
  shardBy: "cityHash64(project, trace_id)",
};

/**
 * Which batches carried spans of each trace, written before the batch's spans: a writer that finds
 * no other batch's row for a trace after storing its spans is the only one that wrote it, and rolls
 * the trace up from its batch in memory instead of reading it back.
 */
export const traceSeen: TableDef = {
  name: "trace_seen",
  columns: ["project LowCardinality(String)", "trace_id String", "batch String"],
  engine: "MergeTree",
  orderBy: "(project, trace_id)",
  settings: { ...SMALL, non_replicated_deduplication_window: 1000 },
  shardBy: "cityHash64(project, trace_id)",
};

export default { version: 2, name: "traces", tables: [traces, userTraces, traceIndex, traceLinks, traceSeen] };
