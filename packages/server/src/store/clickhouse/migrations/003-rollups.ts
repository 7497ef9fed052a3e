// Session, user and project rollups. Sessions and users are full recomputations from their filed
// trace rows, versioned by the sum of the versions they saw (docs/clickhouse.md, "Exactness").
// Lists read them with FINAL and never touch spans.
import type { TableDef } from "../ddl.ts";
import { TOKEN_COLUMNS } from "./001-spans.ts";

export const sessions: TableDef = {
  name: "sessions",
  columns: [
    "project LowCardinality(String)", "session_id String", "user_ids Array(String)", "start_us Int64", "end_us Int64", "duration_us Int64",
    "trace_count UInt32", "span_count UInt32", "error_count UInt32", "llm_count UInt32", ...TOKEN_COLUMNS, "cost Float64",
    "first_input Nullable(String)", "last_output Nullable(String)", "tags Array(String)", "models Array(String)",
    "ver UInt64", "deleted UInt8",
    // Lists by time skip the granules outside a window.
    "INDEX end_idx end_us TYPE minmax GRANULARITY 1", "INDEX start_idx start_us TYPE minmax GRANULARITY 1",
  ],
  engine: "ReplacingMergeTree(ver, deleted)",
  orderBy: "(project, session_id)",
  shardBy: "cityHash64(project, session_id)",
};

export const users: TableDef = {
  name: "users",
  columns: [
    "project LowCardinality(String)", "user_id String", "first_seen_us Int64", "last_seen_us Int64", "session_count UInt32",
    "trace_count UInt32", "span_count UInt32", "error_count UInt32", ...TOKEN_COLUMNS, "cost Float64", "ver UInt64", "deleted UInt8",
  ],
  engine: "ReplacingMergeTree(ver, deleted)",
  orderBy: "(project, user_id)",
  shardBy: "cityHash64(project, user_id)",
};

/** The projects that ever had a span (their totals are counted from the rollups when read). */
export const projects: TableDef = {
  name: "projects",
  columns: ["name String", "first_seen_us SimpleAggregateFunction(min, Int64)"],
  engine: "AggregatingMergeTree",
  orderBy: "name",
  shardBy: "cityHash64(name)",
};

export default { version: 3, name: "rollups", tables: [sessions, users, projects] };
