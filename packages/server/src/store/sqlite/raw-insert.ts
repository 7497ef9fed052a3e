// The benchmark's ceiling: the same span rows and search text inserted into the same schema,
// in large transactions, with nothing in front (no HTTP, decoding, normalizing or rollups).
import type { SpanRecord } from "../records.ts";
import { Checkpointer } from "./checkpointer.ts";
import { openDatabase } from "./database.ts";
import { ResourceIds } from "./resources.ts";
import { prepareSpan, RESOURCE_INDEX, SPAN_COLUMNS, TRACE_KEY_INDEX } from "./rows.ts";

/**
 * Inserts the spans into a new database at `path`; returns the spans per second achieved. Rows are
 * prepared (JSON, search text) before the clock starts, so this is the rate of the inserts alone,
 * with the same storage setup as the store: WAL, with checkpoints on their own thread.
 */
export async function rawInsertSpans(path: string, records: SpanRecord[], batchSize = 10_000): Promise<number> {
  // Sequential trace keys, as the store assigns them.
  const traceKeys = new Map<string, number>();
  const spans = records.map((span) => {
    const prepared = prepareSpan(span);
    let traceKey = traceKeys.get(span.traceId);
    if (traceKey === undefined) traceKeys.set(span.traceId, (traceKey = traceKeys.size + 1));
    prepared.row[TRACE_KEY_INDEX] = traceKey;
    return prepared;
  });
  // The same connection settings as the store's writer, whose checkpoints run on another thread.
  const db = openDatabase(path, { backgroundCheckpoints: true });
  const insertSpan = db.prepare(
    `INSERT INTO spans (${SPAN_COLUMNS.join(", ")}) VALUES (${SPAN_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`,
  );
  const insertText = db.prepare("INSERT INTO spans_fts (rowid, text) VALUES (?, ?)");
  const resources = new ResourceIds(db);
  const checkpointer = new Checkpointer(path);
  const started = performance.now();
  for (let i = 0; i < spans.length; i += batchSize) {
    db.exec("BEGIN IMMEDIATE");
    for (const { row, resource, text } of spans.slice(i, i + batchSize)) {
      row[RESOURCE_INDEX] = resources.idOf(resource);
      const { lastInsertRowid } = insertSpan.run(...row);
      if (text) insertText.run(lastInsertRowid, text);
    }
    db.exec("COMMIT");
  }
  // Stopped at the last commit, as the server's rate is: both leave the final checkpoint to shutdown.
  const seconds = (performance.now() - started) / 1000;
  db.close();
  await checkpointer.stop();
  return spans.length / seconds;
}
