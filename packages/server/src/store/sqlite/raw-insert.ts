// The benchmark's ceiling: the same span rows, blocks and search text inserted into the same
// schema, in large transactions, with nothing in front (no HTTP, decoding, normalizing or rollups).
import type { SpanRecord } from "../records.ts";
import { Checkpointer } from "./checkpointer.ts";
import { openDatabase } from "./database.ts";
import { ResourceIds } from "./resources.ts";
import { BodyLog } from "./body-log.ts";
import { BODY_AT_INDEX, KEY_INDEX, prepareSpans, RESOURCE_INDEX, SPAN_COLUMNS, TRACE_KEY_INDEX } from "./rows.ts";
import { SPANS_PER_TRACE } from "./schema.ts";

/**
 * Inserts the spans into a new database at `path`; returns the spans per second achieved. Rows are
 * prepared (compressed blocks, search text) before the clock starts, so this is the rate of the
 * inserts alone, with the same storage setup as the store: WAL, with checkpoints on their own thread.
 */
export async function rawInsertSpans(path: string, records: SpanRecord[], batchSize = 10_000): Promise<number> {
  const batches = [];
  for (let i = 0; i < records.length; i += batchSize) batches.push(prepareSpans(records.slice(i, i + batchSize)));
  // The same connection settings as the store's writer, whose checkpoints run on another thread.
  const db = openDatabase(path, { backgroundCheckpoints: true });
  const insertSpan = db.prepare(
    `INSERT INTO spans (${SPAN_COLUMNS.join(", ")}) VALUES (${SPAN_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`,
  );
  const insertText = db.prepare("INSERT INTO spans_fts (rowid, text) VALUES (?, ?)");
  const resources = new ResourceIds(db);
  const bodies = new BodyLog(db);
  const checkpointer = new Checkpointer(path);
  // Sequential trace keys, as the store assigns them.
  const traceKeys = new Map<string, { key: number; spans: number }>();
  const started = performance.now();
  for (const traces of batches) {
    db.exec("BEGIN IMMEDIATE");
    for (const trace of traces) {
      let known = traceKeys.get(trace.traceId);
      if (!known) traceKeys.set(trace.traceId, (known = { key: traceKeys.size + 1, spans: 0 }));
      const bodyAt = bodies.end;
      bodies.append(trace.block);
      const firstKey = known.key * SPANS_PER_TRACE + known.spans;
      for (const { row, resource } of trace.spans) {
        row[KEY_INDEX] = known.key * SPANS_PER_TRACE + known.spans++;
        row[TRACE_KEY_INDEX] = known.key;
        row[RESOURCE_INDEX] = resources.idOf(trace.resources[resource]);
        row[BODY_AT_INDEX] = bodyAt;
        insertSpan.run(...row);
      }
      if (trace.text) insertText.run(firstKey, trace.text);
    }
    bodies.commit();
    db.exec("COMMIT");
  }
  // Stopped at the last commit, as the server's rate is: both leave the final checkpoint to shutdown.
  const seconds = (performance.now() - started) / 1000;
  db.close();
  await checkpointer.stop();
  return records.length / seconds;
}
