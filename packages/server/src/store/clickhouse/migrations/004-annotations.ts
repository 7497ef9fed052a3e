// Annotations, their per-session summaries, review queues and the per-project counters (LLM usage,
// redactions). No row is ever updated in place: every change is a new row with a higher version
// (ReplacingMergeTree, read with FINAL), and counters are one row per addition, summed when read
// (docs/clickhouse.md, "Annotations, review queues and counters").
import type { TableDef } from "../ddl.ts";

/**
 * One row per annotation version; the id is derived from (project, target, name, identifier), so
 * two servers upserting the same annotation write the same key. A deletion is a row with
 * deleted = 1 that stays (summaries are versioned by the sum of their annotations' versions).
 */
export const annotations: TableDef = {
  name: "annotations",
  columns: [
    "project LowCardinality(String)", "id String", "target_type LowCardinality(String)", "target_key String",
    "session_id Nullable(String)", "trace_id Nullable(String)", "span_id Nullable(String)", "name String", "label Nullable(String)",
    "score Nullable(Float64)", "explanation Nullable(String)", "annotator_kind LowCardinality(String)", "identifier String",
    "created_us Int64", "updated_us Int64", "metadata Nullable(String)", "ver UInt64", "deleted UInt8",
    // Reads by session (summaries, deletion), by trace and by target skip the other granules.
    "INDEX session_idx session_id TYPE bloom_filter GRANULARITY 1", "INDEX trace_idx trace_id TYPE bloom_filter GRANULARITY 1",
    "INDEX target_idx target_key TYPE bloom_filter GRANULARITY 1",
  ],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, id)",
  settings: { index_granularity: 256 },
  shardBy: "cityHash64(project, id)",
};

/** Per session and name: a full recomputation from its annotations, versioned by the sum of their versions. */
export const sessionScores: TableDef = {
  name: "session_scores",
  columns: [
    "project LowCardinality(String)", "session_id String", "name String", "annotator_kind LowCardinality(String)", "score Nullable(Float64)",
    "label Nullable(String)", "count UInt32", "hour_us Int64", "ver UInt128", "deleted UInt8",
  ],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, session_id, name)",
  shardBy: "cityHash64(project, session_id)",
};

export const reviewQueues: TableDef = {
  name: "review_queues",
  columns: [
    "project LowCardinality(String)", "id String", "name String", "annotation String", "labels Array(String)", "created_by String",
    "created_us Int64", "ver UInt64", "deleted UInt8",
  ],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, id)",
  shardBy: "cityHash64(project, id)",
};

/** An item's latest mark wins (ver: when it was reviewed; 0 unreviewed). */
export const reviewItems: TableDef = {
  name: "review_items",
  columns: [
    "project LowCardinality(String)", "queue_id String", "position UInt32", "session_id String", "reviewed_by Nullable(String)",
    "reviewed_us Nullable(Int64)", "ver UInt64",
  ],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, queue_id, position)",
  shardBy: "cityHash64(project, queue_id)",
};

/** One row per addition, with its own id (the insert's deduplication token): summed when read. */
export const llmUsage: TableDef = {
  name: "llm_usage",
  columns: ["day String", "project LowCardinality(String)", "id String", "calls Int64", "tokens Int64"],
  engine: "ReplacingMergeTree",
  orderBy: "(day, project, id)",
  settings: { non_replicated_deduplication_window: 1000 },
  shardBy: "cityHash64(day)",
};

export const redactions: TableDef = {
  name: "redactions",
  columns: ["project LowCardinality(String)", "detector String", "id String", "count Int64"],
  engine: "ReplacingMergeTree",
  orderBy: "(project, detector, id)",
  settings: { non_replicated_deduplication_window: 1000 },
  shardBy: "cityHash64(project)",
};

export default { version: 4, name: "annotations", tables: [annotations, sessionScores, reviewQueues, reviewItems, llmUsage, redactions] };
