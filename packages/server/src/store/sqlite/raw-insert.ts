// The benchmark's ceiling: the same span rows and search text inserted into the same schema,
// in large transactions, with nothing in front (no HTTP, decoding, normalizing or rollups).
import type { SpanRecord } from "../records.ts";
import { searchText } from "../search-text.ts";
import { openDatabase } from "./database.ts";
import { SPAN_COLUMNS, spanValues } from "./rows.ts";

/** Inserts the spans into a new database at `path`; returns the spans per second achieved. */
export function rawInsertSpans(path: string, spans: SpanRecord[], batchSize = 10_000): number {
  const db = openDatabase(path);
  const insertSpan = db.prepare(
    `INSERT INTO spans (${SPAN_COLUMNS.join(", ")}) VALUES (${SPAN_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`,
  );
  const insertText = db.prepare("INSERT INTO spans_fts (rowid, text) VALUES (?, ?)");
  const started = performance.now();
  for (let i = 0; i < spans.length; i += batchSize) {
    db.exec("BEGIN IMMEDIATE");
    for (const span of spans.slice(i, i + batchSize)) {
      const { lastInsertRowid } = insertSpan.run(...spanValues(span));
      const text = searchText(span);
      if (text) insertText.run(lastInsertRowid, text);
    }
    db.exec("COMMIT");
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return spans.length / seconds;
}
