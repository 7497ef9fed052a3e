// The store interface. Everything that speaks SQL lives behind it: SQLite (embedded, default)
// and, later, ClickHouse (scale-out) implement the same contract.
import type { SessionSortKey, SortOrder } from "../api/types.ts";
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup } from "./records.ts";

/** Keyset position: the sort column's value and the session id of the last row seen. */
export interface SessionCursor {
  value: number;
  sessionId: string;
}

export interface SessionQuery {
  project: string;
  limit: number;
  sort: SessionSortKey;
  order: SortOrder;
  after: SessionCursor | null;
}

export interface SessionPage {
  sessions: SessionRollup[];
  /** Where the next page starts, or null on the last page. */
  next: SessionCursor | null;
}

export interface Store {
  /**
   * Stores spans and brings the trace, session and project rollups up to date, atomically.
   * Idempotent on (project, trace id, span id): a span seen before changes nothing.
   * Resolves once the batch is durably committed.
   */
  writeSpans(spans: SpanRecord[]): Promise<void>;
  listProjects(): Promise<ProjectRollup[]>;
  listSessions(query: SessionQuery): Promise<SessionPage>;
  getSession(project: string, sessionId: string): Promise<SessionRollup | null>;
  /** The session's traces in time order. */
  listSessionTraces(project: string, sessionId: string): Promise<TraceRollup[]>;
  /** The trace's rollup and its spans in time order, or null when no span of it is stored. */
  getTrace(project: string, traceId: string): Promise<{ trace: TraceRollup; spans: SpanRecord[] } | null>;
  close(): Promise<void>;
}
