// The benchmark's bare-row ceiling: the span rows the store writes, inserted into ONE table keyed
// by (trace id, span id), with no other index, no search index, no resources or rollups. It
// answers "how fast can SQLite on this machine durably take these rows at all". Only the
// benchmark (bench/lib/ceiling.ts) uses this file.
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { Checkpointer } from "./checkpointer.ts";

/**
 * `rowid` (the default): a rowid table with UNIQUE (trace_id, span_id). Rows are appended in
 * rowid order, so the table's pages fill one after another; only the small key index (about 60
 * bytes an entry) takes inserts at random places. `without-rowid`: the rows themselves are kept
 * in key order, so every ~2 KB row lands on a random page of the table and splits it; measured
 * slower (bench/README.md).
 */
export type BareLayout = "rowid" | "without-rowid";

export interface BareOptions {
  batchSize?: number;
  layout?: BareLayout;
}

/**
 * Creates the table in a new database at `path` and inserts `rows` (values in `columns` order,
 * which must include trace_id and span_id) in transactions of `batchSize`; returns the rows per
 * second of the inserts alone (rows are ready before the clock starts). Storage is set up as the
 * store's is: WAL, synchronous=NORMAL, the same page cache, checkpoints on their own thread.
 */
export async function bareInsertSpans(path: string, columns: string[], rows: SQLInputValue[][], options: BareOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 10_000;
  const layout = options.layout ?? "rowid";
  for (const key of ["trace_id", "span_id"]) if (!columns.includes(key)) throw new Error(`bareInsertSpans: no ${key} column`);
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;");
  db.exec("PRAGMA journal_size_limit = 67108864; PRAGMA wal_autocheckpoint = 0");
  const quoted = columns.map((c) => `"${c.replace(/"/g, "")}"`);
  db.exec(
    layout === "without-rowid"
      ? `CREATE TABLE spans (${quoted.join(", ")}, PRIMARY KEY (trace_id, span_id)) WITHOUT ROWID`
      : `CREATE TABLE spans (${quoted.join(", ")}, UNIQUE (trace_id, span_id))`,
  );
  const insert = db.prepare(`INSERT INTO spans (${quoted.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`);
  const checkpointer = new Checkpointer(path);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += batchSize) {
    db.exec("BEGIN IMMEDIATE");
    const end = Math.min(rows.length, i + batchSize);
    for (let k = i; k < end; k++) insert.run(...rows[k]);
    db.exec("COMMIT");
  }
  // Stopped at the last commit, as the server's rate and rawInsertSpans's are.
  const seconds = (performance.now() - started) / 1000;
  db.close();
  await checkpointer.stop();
  return rows.length / seconds;
}
