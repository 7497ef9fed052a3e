// Spans: one row per (project, trace, span). A copy sent twice collapses (ReplacingMergeTree on the
// span's key; reads use FINAL), and a retried request is dropped whole before it makes a part by the
// batch's insert_deduplication_token (non_replicated_deduplication_window keeps the tokens on a
// single server; Replicated tables keep them in Keeper).
import type { TableDef } from "../ddl.ts";

const TOKENS = ["prompt_tokens", "completion_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens"];
export const TOKEN_COLUMNS = TOKENS.map((c) => `${c} Int64`);

export const spans: TableDef = {
  name: "spans",
  columns: [
    "project LowCardinality(String)", "trace_id String", "span_id String", "parent_span_id Nullable(String)", "name String",
    "kind UInt8", "span_kind LowCardinality(Nullable(String))", "start_us Int64", "end_us Int64", "status_code UInt8",
    "status_message Nullable(String)", "session_id Nullable(String)", "user_id Nullable(String)", "model LowCardinality(Nullable(String))",
    ...TOKEN_COLUMNS, "cost Float64", "tags Array(String)",
    // The metadata as JSON (what the API returns), and its top-level pairs as the rollups index them.
    "metadata String CODEC(ZSTD(1))", "metadata_pairs Array(Tuple(String, String))",
    "input Nullable(String) CODEC(ZSTD(1))", "output Nullable(String) CODEC(ZSTD(1))",
    "attributes String CODEC(ZSTD(1))", "resource String CODEC(ZSTD(1))", "events String CODEC(ZSTD(1))",
    // search-text.ts's words of this span alone: a span's copy that wins a merge carries its own words.
    "search_text String CODEC(ZSTD(1))",
    // Measured on the spike: 10-12 ms a search at 1M spans against 160-200 ms with tokenbf_v1.
    "INDEX search_idx search_text TYPE text(tokenizer = 'splitByNonAlpha', preprocessor = lower(search_text))",
  ],
  engine: "ReplacingMergeTree",
  orderBy: "(project, trace_id, span_id)",
  // Small granules: a batch reads back a granule per trace it touches, not the table.
  settings: { index_granularity: 256, non_replicated_deduplication_window: 1000 },
  shardBy: "cityHash64(project, trace_id)",
};

export default { version: 1, name: "spans", tables: [spans] };
