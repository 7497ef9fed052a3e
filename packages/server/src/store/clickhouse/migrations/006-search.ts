// The sessions filter by metadata (key=value): which traces carry each top-level pair, keyed by the
// pair, so a rare value is found by its key range instead of reading every trace. A materialized
// view fills it from every trace row written: a trace's pairs only grow as its spans arrive, and
// the rows carry no counts, so a row written twice (a retry, two servers) collapses and cannot
// double anything. A trace that moved to another session keeps its old rows here; readers count
// a row only while trace_index files the trace under that session (search-filters.ts).
import type { TableDef } from "../ddl.ts";

export const traceMetadata: TableDef = {
  name: "trace_metadata",
  columns: ["project LowCardinality(String)", "key String", "value String", "session_id String", "trace_id String"],
  engine: "ReplacingMergeTree",
  orderBy: "(project, key, value, session_id, trace_id)",
  settings: { index_granularity: 1024 },
  // By session, as traces is: the view writes on the shard the trace row landed on.
  shardBy: "cityHash64(project, session_id)",
};

const PAIRS = (source: string) => `SELECT project, pair.1 AS key, pair.2 AS value, session_id, trace_id
  FROM ${source} ARRAY JOIN metadata AS pair`;

export default {
  version: 6,
  name: "search",
  tables: [traceMetadata],
  statements: (database: string, onCluster: string) => {
    // On a cluster the view sits on each node's local tables (a Distributed insert lands there).
    const local = (name: string) => `${database}.${name}${onCluster ? "_local" : ""}`;
    return [
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.trace_metadata_mv${onCluster} TO ${local("trace_metadata")} AS ${PAIRS(local("traces"))}`,
      // Traces written before the view existed (or while it was being created): rows collapse, so
      // running this again, or beside the view, adds nothing.
      `INSERT INTO ${database}.trace_metadata ${PAIRS(`${database}.traces`)}`,
    ];
  },
};
