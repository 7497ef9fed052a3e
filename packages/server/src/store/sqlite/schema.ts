// The SQLite schema. Rollup tables (traces, sessions, projects) are kept up to date on write,
// so list pages read a few index rows instead of aggregating spans.
import type { SessionSortKey } from "../../api/types.ts";

export const SCHEMA_VERSION = 1;

/** Each sortable session field, its column, and the index that makes sorting on it cheap. */
export const SESSION_SORT_COLUMNS: Record<SessionSortKey, string> = {
  startTime: "start_us",
  endTime: "end_us",
  durationMs: "duration_us",
  traceCount: "trace_count",
  spanCount: "span_count",
  errorCount: "error_count",
  promptTokens: "prompt_tokens",
  completionTokens: "completion_tokens",
  totalTokens: "total_tokens",
  cost: "cost",
};

const TOKEN_COLUMNS = `
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0`;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS spans (
  project TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  span_kind TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  status_message TEXT,
  session_id TEXT,
  user_id TEXT,
  model TEXT,
  input TEXT,
  output TEXT,${TOKEN_COLUMNS},
  attributes TEXT NOT NULL,
  resource TEXT NOT NULL,
  events TEXT NOT NULL,
  UNIQUE (project, trace_id, span_id)
);

CREATE TABLE IF NOT EXISTS traces (
  project TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  session_id TEXT,
  user_id TEXT,
  root_span_name TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  input TEXT,
  output TEXT,${TOKEN_COLUMNS},
  PRIMARY KEY (project, trace_id)
);
CREATE INDEX IF NOT EXISTS traces_by_session ON traces (project, session_id, start_us);

CREATE TABLE IF NOT EXISTS sessions (
  project TEXT NOT NULL,
  session_id TEXT NOT NULL,
  user_ids TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  trace_count INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  first_input TEXT,
  last_output TEXT,${TOKEN_COLUMNS},
  PRIMARY KEY (project, session_id)
);
${Object.values(SESSION_SORT_COLUMNS)
  .map((column) => `CREATE INDEX IF NOT EXISTS sessions_by_${column} ON sessions (project, ${column}, session_id);`)
  .join("\n")}

CREATE TABLE IF NOT EXISTS projects (
  name TEXT PRIMARY KEY,
  session_count INTEGER NOT NULL DEFAULT 0,
  trace_count INTEGER NOT NULL DEFAULT 0,
  last_activity_us INTEGER
);
`;
