// The SQLite schema. Rollup tables (traces, sessions, users, projects) are kept up to date on
// write, so list pages read a few index rows instead of aggregating spans.
import type { SessionSortKey, UserSortKey } from "../../api/types.ts";

export const SCHEMA_VERSION = 9;

// Per user, annotation name, hour and label: the sum and number of their sessions' mean scores,
// how many annotations and how many sessions: users' averages and label counts ("frustrated 3
// times this week") without joining all their sessions (a heavy user has thousands). label is
// the session's most frequent label, '' when it has none.
const USER_SCORES = `CREATE TABLE IF NOT EXISTS user_scores (
  project TEXT NOT NULL,
  name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  hour_us INTEGER NOT NULL,
  label TEXT NOT NULL,
  annotator_kind TEXT NOT NULL,
  score_sum REAL NOT NULL,
  scored INTEGER NOT NULL,
  count INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  PRIMARY KEY (project, user_id, name, hour_us, label)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_scores_by_label ON user_scores (project, name, label, hour_us, user_id);`;

/** What turns a database of an older format into this one, by the format it is in. */
export const MIGRATIONS: Record<number, string> = {
  7: `ALTER TABLE sessions ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN evaluated_version INTEGER;
      ALTER TABLE annotations ADD COLUMN metadata TEXT;`,
  // user_scores gains labels and session counts: rebuilt from the sessions' summaries.
  8: `ALTER TABLE user_scores RENAME TO user_scores_v8;
      ${USER_SCORES}
      INSERT INTO user_scores SELECT us.project, sc.name, us.user_id, sc.hour_us, coalesce(sc.label, ''), max(sc.annotator_kind),
          total(sc.score), count(sc.score), sum(sc.count), count(*)
        FROM session_scores sc JOIN user_sessions us ON us.project = sc.project AND us.session_id = sc.session_id
        GROUP BY 1, 2, 3, 4, 5;
      DROP TABLE user_scores_v8;`,
};

/** A session's lifecycle: turns arriving, quiet for the project's idle time, or ended. */
export const SESSION_STATES = ["open", "idle", "closed"] as const;
export const OPEN = 0;
export const IDLE = 1;
export const CLOSED = 2;

/** A session longer than this (an hour, in µs) is in the sessions_long index. */
export const LONG_SESSION_US = 3_600_000_000;

/** A span's key is its trace's key times this plus its place in the trace (see `spans`). */
export const SPANS_PER_TRACE = 2 ** 20;

/** Each sortable session field and its column; every one has an index. */
export const SESSION_SORT_COLUMNS: Record<SessionSortKey, string> = {
  startTime: "start_us",
  endTime: "end_us",
  durationMs: "duration_us",
  traceCount: "trace_count",
  spanCount: "span_count",
  errorCount: "error_count",
  llmCount: "llm_count",
  promptTokens: "prompt_tokens",
  completionTokens: "completion_tokens",
  totalTokens: "total_tokens",
  cost: "cost",
  state: "state",
};

export const USER_SORT_COLUMNS: Record<UserSortKey, string> = {
  firstSeen: "first_seen_us",
  lastSeen: "last_seen_us",
  sessionCount: "session_count",
  traceCount: "trace_count",
  spanCount: "span_count",
  errorCount: "error_count",
  promptTokens: "prompt_tokens",
  completionTokens: "completion_tokens",
  totalTokens: "total_tokens",
  cost: "cost",
};

export const TOKEN_COLUMNS = [
  "prompt_tokens", "completion_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost",
];
const TOKENS_DDL = TOKEN_COLUMNS.map((c) => `  ${c} ${c === "cost" ? "REAL" : "INTEGER"} NOT NULL DEFAULT 0`).join(",\n");

const sortIndexes = (table: string, key: string, columns: Record<string, string>) =>
  Object.values(columns)
    .map((column) => `CREATE INDEX IF NOT EXISTS ${table}_by_${column} ON ${table} (project, ${column}, ${key});`)
    .join("\n");

export const SCHEMA = `
-- A span's key is trace_key * 2^20 + its place in the trace, so a trace's spans sit together
-- (a trace is one range read), new spans land at the end of the table rather than on random
-- pages, and a search hit (whose rowid is the span key) names its trace without a join.
-- What only the span view reads (input, output, attributes, events, ...) is kept compressed, a
-- block per trace per write (body_pages): spans were 4x their wire size as JSON text.
CREATE TABLE IF NOT EXISTS spans (
  span_key INTEGER PRIMARY KEY,
  trace_key INTEGER NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  span_kind TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  model TEXT,
${TOKENS_DDL},
  resource_id INTEGER NOT NULL,
  body_at INTEGER NOT NULL,
  body_len INTEGER NOT NULL,
  block_index INTEGER NOT NULL,
  UNIQUE (trace_key, span_id)
);

-- The span bodies' byte stream (body-log.ts): a trace's write is one block at (body_at,
-- body_len), zstd-compressed JSON holding per span [input, output, status message, session id,
-- user id, tags, metadata, attributes, events].
CREATE TABLE IF NOT EXISTS body_pages (
  page INTEGER PRIMARY KEY,
  data BLOB NOT NULL
);

-- Each distinct resource (service, SDK, host attributes) once: every span of an app repeats it.
CREATE TABLE IF NOT EXISTS resources (
  id INTEGER PRIMARY KEY,
  attributes TEXT NOT NULL UNIQUE
);

-- Words of the input, output and new messages of a trace's spans written together; rowid = the
-- first of those spans' key.
CREATE VIRTUAL TABLE IF NOT EXISTS spans_fts USING fts5(
  text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE IF NOT EXISTS traces (
  trace_key INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  session_id TEXT,
  user_id TEXT,
  root_span_name TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  llm_count INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  input TEXT,
  output TEXT,
${TOKENS_DDL},
  tags TEXT NOT NULL,
  models TEXT NOT NULL,
  metadata TEXT NOT NULL,
  picks TEXT NOT NULL,
  UNIQUE (project, trace_id)
);
CREATE INDEX IF NOT EXISTS traces_by_session ON traces (project, session_id, start_us);
CREATE INDEX IF NOT EXISTS traces_by_user ON traces (project, user_id, start_us);

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
  llm_count INTEGER NOT NULL,
${TOKENS_DDL},
  first_input TEXT,
  first_input_us INTEGER,
  last_output TEXT,
  last_output_us INTEGER,
  tags TEXT NOT NULL,
  models TEXT NOT NULL,
  -- The metadata pairs linked in session_metadata (as deltas.ts pairKey makes them): a write
  -- links only the new ones.
  metadata TEXT NOT NULL DEFAULT '[]',
  -- SESSION_STATES: a new turn opens it; the lifecycle stage marks it idle; a close ends it.
  state INTEGER NOT NULL DEFAULT 0,
  -- The span count the evaluations were last scheduled at: a session whose count moved on since
  -- is evaluated again once it is idle or closed.
  evaluated_version INTEGER,
  PRIMARY KEY (project, session_id)
);
${sortIndexes("sessions", "session_id", SESSION_SORT_COLUMNS)}
-- The open sessions by their last activity (the lifecycle's idle scan), and the sessions due for
-- evaluation: both small, whatever the size of the project.
CREATE INDEX IF NOT EXISTS sessions_open ON sessions (project, end_us) WHERE state = 0;
CREATE INDEX IF NOT EXISTS sessions_due ON sessions (project, session_id) WHERE state > 0 AND evaluated_version IS NOT span_count;
-- Sessions longer than LONG_SESSION_US by start and end: a time window's stats find the ones that
-- began before it and still ran in it from the index alone (5,000 of 248,000 at 5M spans; through
-- the duration index each took a row lookup, 26 ms a window).
CREATE INDEX IF NOT EXISTS sessions_long ON sessions (project, start_us, end_us) WHERE duration_us > ${LONG_SESSION_US};

CREATE TABLE IF NOT EXISTS users (
  project TEXT NOT NULL,
  user_id TEXT NOT NULL,
  first_seen_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL,
  session_count INTEGER NOT NULL,
  trace_count INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
${TOKENS_DDL},
  PRIMARY KEY (project, user_id)
);
-- Sorted at 80k users without an index, a page took 93-173 ms (BENCHMARKS.md).
${sortIndexes("users", "user_id", USER_SORT_COLUMNS)}

-- Which users took part in which sessions, and which tags a session carries: the filters.
CREATE TABLE IF NOT EXISTS user_sessions (
  project TEXT NOT NULL,
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  PRIMARY KEY (project, user_id, session_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_sessions_by_session ON user_sessions (project, session_id);

CREATE TABLE IF NOT EXISTS session_tags (
  project TEXT NOT NULL,
  tag TEXT NOT NULL,
  session_id TEXT NOT NULL,
  PRIMARY KEY (project, tag, session_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS session_tags_by_session ON session_tags (project, session_id);

-- Top-level metadata keys and values (see rollup.ts: metadataPairs) of a
-- session's spans: the metadata filter, which otherwise reads every span of the project.
CREATE TABLE IF NOT EXISTS session_metadata (
  project TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  session_id TEXT NOT NULL,
  PRIMARY KEY (project, key, value, session_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS session_metadata_by_session ON session_metadata (project, session_id);

-- Session totals by the hour the sessions started and whether they failed, for the whole project
-- (user_id '') and for each of its users (a session counts in each of its users' rows): the
-- sessions page's header, unfiltered or by errors, user or time window, without reading sessions.
CREATE TABLE IF NOT EXISTS session_hours (
  project TEXT NOT NULL,
  has_errors INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  hour_us INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  traces INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  error_sessions INTEGER NOT NULL,
${TOKENS_DDL},
  PRIMARY KEY (project, has_errors, user_id, hour_us)
) WITHOUT ROWID;
-- The users whose sessions started in an hour (a time window's user count); written only when an
-- hour's row is new.
CREATE INDEX IF NOT EXISTS session_hours_by_hour ON session_hours (project, hour_us, user_id);

-- Per user and hour: sessions started, traces, tokens, cost and failed traces (a user's page),
-- so a user with 100k turns is as quick to show as one with ten.
CREATE TABLE IF NOT EXISTS user_hours (
  project TEXT NOT NULL,
  user_id TEXT NOT NULL,
  hour_us INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  traces INTEGER NOT NULL,
  error_traces INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  cost REAL NOT NULL,
  PRIMARY KEY (project, user_id, hour_us)
) WITHOUT ROWID;

-- Human annotations and automatic evaluations of sessions, traces and spans. A trace's or span's
-- annotation also names the trace's session, so it counts in the session's summary.
CREATE TABLE IF NOT EXISTS annotations (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_key TEXT NOT NULL,
  session_id TEXT,
  trace_id TEXT,
  span_id TEXT,
  name TEXT NOT NULL,
  label TEXT,
  score REAL,
  explanation TEXT,
  annotator_kind TEXT NOT NULL,
  identifier TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL,
  -- JSON object or NULL: what an evaluator points at ({ turn, traceId }), or anything a client adds.
  metadata TEXT,
  UNIQUE (project, target_type, target_key, name, identifier)
);
CREATE INDEX IF NOT EXISTS annotations_by_session ON annotations (project, session_id, name);
CREATE INDEX IF NOT EXISTS annotations_by_trace ON annotations (project, trace_id);

-- Per session and annotation name: mean score, most frequent label, count (list columns,
-- filters and sorting by a score).
-- hour_us: the session's start hour when the summary was written, where its users' per-hour
-- score totals (user_scores) counted it.
CREATE TABLE IF NOT EXISTS session_scores (
  project TEXT NOT NULL,
  name TEXT NOT NULL,
  session_id TEXT NOT NULL,
  annotator_kind TEXT NOT NULL,
  score REAL,
  label TEXT,
  count INTEGER NOT NULL,
  hour_us INTEGER NOT NULL,
  PRIMARY KEY (project, name, session_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS session_scores_by_score ON session_scores (project, name, score, session_id);
CREATE INDEX IF NOT EXISTS session_scores_by_session ON session_scores (project, session_id);
-- An evaluator's distribution over time (labels and mean score per bucket).
CREATE INDEX IF NOT EXISTS session_scores_by_hour ON session_scores (project, name, hour_us, label, score);

${USER_SCORES}

-- Evaluation jobs: one per session, evaluator and version of the session (its span count), so a
-- session is evaluated once per version. A job is queued, running (until its lease ends: a
-- server that stopped mid-job leaves it to be taken again), done (its result written with it, in
-- one transaction) or failed (after its last attempt). Done jobs are the history of results.
CREATE TABLE IF NOT EXISTS eval_jobs (
  id INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  session_id TEXT NOT NULL,
  evaluator TEXT NOT NULL,
  version INTEGER NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  run_after_us INTEGER NOT NULL,
  lease_until_us INTEGER,
  -- The on-demand run that asked for it; '' for the run a session's idle or close starts.
  run_id TEXT NOT NULL DEFAULT '',
  error TEXT,
  label TEXT,
  score REAL,
  explanation TEXT,
  metadata TEXT,
  created_us INTEGER NOT NULL,
  finished_us INTEGER,
  UNIQUE (project, session_id, evaluator, version, run_id)
);
CREATE INDEX IF NOT EXISTS eval_jobs_due ON eval_jobs (run_after_us) WHERE state < 2;
CREATE INDEX IF NOT EXISTS eval_jobs_by_run ON eval_jobs (run_id, state);

-- Review queues: the sessions a filter kept when the queue was made, in its order, each stepped
-- through by a person; a review is a HUMAN annotation of the queue's name, written with the
-- item's mark in one transaction.
CREATE TABLE IF NOT EXISTS review_queues (
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  annotation TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  PRIMARY KEY (project, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS review_items (
  project TEXT NOT NULL,
  queue_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  reviewed_by TEXT,
  reviewed_us INTEGER,
  PRIMARY KEY (project, queue_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_items_by_session ON review_items (project, session_id);

-- The LLM judges' use of each UTC day, per project: their daily budget survives a restart.
CREATE TABLE IF NOT EXISTS llm_usage (
  project TEXT NOT NULL,
  day TEXT NOT NULL,
  calls INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  PRIMARY KEY (project, day)
) WITHOUT ROWID;

-- What redaction replaced at ingest, per project and detector (or pattern name).
CREATE TABLE IF NOT EXISTS redactions (
  project TEXT NOT NULL,
  detector TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project, detector)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS projects (
  name TEXT PRIMARY KEY,
  session_count INTEGER NOT NULL DEFAULT 0,
  trace_count INTEGER NOT NULL DEFAULT 0,
  user_count INTEGER NOT NULL DEFAULT 0,
  span_count INTEGER NOT NULL DEFAULT 0,
  last_activity_us INTEGER
);
`;
