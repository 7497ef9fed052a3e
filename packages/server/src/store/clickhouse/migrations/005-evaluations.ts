// Session lifecycle and evaluation jobs (docs/clickhouse.md, "Session lifecycle and evaluation
// jobs"). No row is ever updated: a state is a versioned row, a job's progress is the claims and
// outcomes inserted for it, each claim and outcome inserted once by its deduplication token.
import type { TableDef } from "../ddl.ts";

/** How many recent inserts a table remembers tokens of: claims race within seconds, far inside it. */
const DEDUP = { non_replicated_deduplication_window: 100_000 };

/**
 * A session's idle or closed state, set at the session's version (`as_of_ver`, sessions.ver) when
 * it was set: it holds while the session's version has not grown (a new turn reopens it). The row
 * version ranks later activity first, and closed above idle at the same activity.
 */
export const sessionStates: TableDef = {
  name: "session_states",
  columns: ["project LowCardinality(String)", "session_id String", "state UInt8", "as_of_ver UInt64", "changed_us Int64", "ver UInt64"],
  engine: "ReplacingMergeTree(ver)",
  orderBy: "(project, session_id)",
  shardBy: "cityHash64(project, session_id)",
};

/** The span count a session was last scheduled for evaluation at (SQLite's evaluated_version). */
export const evalScheduled: TableDef = {
  name: "eval_scheduled",
  columns: ["project LowCardinality(String)", "session_id String", "version UInt64", "scheduled_us Int64"],
  engine: "ReplacingMergeTree(scheduled_us)",
  orderBy: "(project, session_id)",
  shardBy: "cityHash64(project, session_id)",
};

/** One job per (session, evaluator, version, run): writers of the same job write the same row. */
export const evalJobs: TableDef = {
  name: "eval_jobs",
  columns: [
    "project LowCardinality(String)", "session_id String", "evaluator LowCardinality(String)", "version UInt64", "run_id String",
    "job_key String", "id UInt64", "run_after_us Int64", "created_us Int64",
  ],
  engine: "ReplacingMergeTree",
  orderBy: "(project, session_id, evaluator, version, run_id)",
  shardBy: "cityHash64(project, session_id)",
};

/**
 * Claims: one row per (job, attempt), inserted with the token `claim-<job>-<attempt>`, so of two
 * servers claiming the same attempt only the first row is stored; each reads it back and runs the
 * job only if the row names it. MergeTree, never collapsed: a winner once read stays the winner.
 */
export const evalClaims: TableDef = {
  name: "eval_claims",
  columns: ["job_key String", "attempt UInt32", "owner String", "lease_until_us Int64", "claimed_us Int64"],
  engine: "MergeTree",
  orderBy: "(job_key, attempt)",
  settings: DEDUP,
  shardBy: "cityHash64(job_key)",
};

/**
 * Outcomes: a job's one result (token `done-<job>`), or an attempt's retry or failure
 * (`end-<job>-<attempt>`). The result itself lives only in its annotation, which erasure deletes
 * with the session (an explanation may quote what was said).
 */
export const evalOutcomes: TableDef = {
  name: "eval_outcomes",
  columns: ["job_key String", "attempt UInt32", "kind UInt8", "owner String", "error Nullable(String)", "retry_at_us Int64", "finished_us Int64"],
  engine: "MergeTree",
  orderBy: "(job_key, attempt)",
  settings: DEDUP,
  shardBy: "cityHash64(job_key)",
};

export default { version: 5, name: "evaluations", tables: [sessionStates, evalScheduled, evalJobs, evalClaims, evalOutcomes] };
