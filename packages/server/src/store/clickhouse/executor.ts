// The small surface the ClickHouse store needs from an engine: typed queries, commands and
// JSONEachRow inserts. Two implementations: http-executor.ts (@clickhouse/client, for servers and
// clusters) and chdb-executor.ts (the engine embedded in-process). Everything they run is scoped to
// the one call: parameters and settings never stay behind on a connection.

/** Values for `{name:Type}` placeholders; the engine parses each as its placeholder's type. */
export type Params = Record<string, string | number | boolean | null | Array<string | number>>;

/** ClickHouse settings for one insert (e.g. insert_deduplication_token). */
export type Settings = Record<string, string | number | boolean>;

export type Row = Record<string, unknown>;

export interface Executor {
  /** Rows of a SELECT (the executor asks for JSONEachRow; 64-bit integers come back as numbers). */
  query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]>;
  /** A statement without rows: DDL, INSERT ... SELECT, ALTER. */
  command(sql: string, params?: Params): Promise<void>;
  /** Rows into `table` as JSONEachRow, synchronously (the rows are visible when it resolves). */
  insert(table: string, rows: Row[], settings?: Settings): Promise<void>;
  close(): Promise<void>;
}

/** Settings every insert of the store runs with: acknowledged only once the part is written. */
export const SYNC_INSERT: Settings = { async_insert: 0 };
