// The store interface. Everything that speaks SQL lives behind it: SQLite (embedded, default)
// and ClickHouse (scale-out) implement the same contract.
import type { SessionSortKey, SortOrder, UserSortKey } from "../api/types.ts";
import type { ProjectRollup, SessionRollup, SpanRecord, TraceRollup, UserRollup } from "./records.ts";

/** Keyset position: the sort column's value and the id of the last row seen. */
export interface Cursor {
  value: number;
  id: string;
}

export interface Page<T> {
  rows: T[];
  /** Where the next page starts, or null on the last page. */
  next: Cursor | null;
}

export interface SessionFilter {
  userId?: string;
  /** Sessions overlapping [fromUs, toUs]. */
  fromUs?: number;
  toUs?: number;
  /** Words that must all appear in one span's input, output or messages. */
  text?: string;
  tag?: string;
  hasErrors?: boolean;
}

export interface SessionQuery {
  project: string;
  limit: number;
  sort: SessionSortKey;
  order: SortOrder;
  after: Cursor | null;
  filter: SessionFilter;
}

export interface UserQuery {
  project: string;
  limit: number;
  sort: UserSortKey;
  order: SortOrder;
  after: Cursor | null;
  /** A substring of the user id. */
  search?: string;
}

export interface Store {
  /**
   * Stores spans and brings the trace, session, user and project rollups up to date,
   * atomically. Idempotent on (project, trace id, span id): a span seen before changes nothing.
   * Resolves once the batch is durably committed.
   */
  writeSpans(spans: SpanRecord[]): Promise<void>;
  listProjects(): Promise<ProjectRollup[]>;
  getProject(name: string): Promise<ProjectRollup | null>;
  listSessions(query: SessionQuery): Promise<Page<SessionRollup>>;
  getSession(project: string, sessionId: string): Promise<SessionRollup | null>;
  /** The session's traces in time order. */
  listSessionTraces(project: string, sessionId: string): Promise<TraceRollup[]>;
  /** The trace's rollup and its spans in time order, or null when no span of it is stored. */
  getTrace(project: string, traceId: string): Promise<{ trace: TraceRollup; spans: SpanRecord[] } | null>;
  listUsers(query: UserQuery): Promise<Page<UserRollup>>;
  getUser(project: string, userId: string): Promise<UserRollup | null>;
  close(): Promise<void>;
}
