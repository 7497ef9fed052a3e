// The ingest ceiling: the same span rows written into SQLite with no server in front.
//  - decode+normalize: the server's own OTLP decoder and normalizer over the same bodies (CPU
//    the server spends before the store sees a span);
//  - store.writeSpans: the server's store, in-process on this thread (no write worker), in
//    10k-span transactions (what the batch writer does; includes the rollups);
//  - rawInsertSpans (packages/server/src/store/sqlite/raw-insert.ts): the same span rows and
//    search text inserted into the same schema in 10k-span transactions, nothing else;
//  - bare rows (packages/server/src/store/sqlite/bare-insert.ts): the same span rows
//    (prepareSpan(span).row, SPAN_COLUMNS) in ONE table keyed by (trace_id, span_id), no other
//    index, no search index, 10k-span transactions, WAL + synchronous=NORMAL: what SQLite on
//    this machine takes at all.
// The store modules are imported dynamically: they are being rewritten, and a missing or
// changed export is reported as "not available" instead of failing the bench.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { SQLInputValue } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtobuf } from "../../packages/server/src/otlp/decode.ts";
import { normalizeRequest } from "../../packages/server/src/normalize/normalize.ts";
import { BUILTIN_PRICES, PriceTable } from "../../packages/server/src/normalize/prices.ts";
import type { SpanRecord } from "../../packages/server/src/store/records.ts";
import type { Batch } from "../traffic.ts";
import { removeOnExit } from "./cleanup.ts";

export const CHUNK_SPANS = 10_000;

export type Measured = { spans: number; ms: number; spansPerSecond: number } | { error: string };

export interface CeilingResult {
  decodeNormalize: Measured;
  storeWriteSpans: Measured;
  rawInsert: Measured;
  bareRows: Measured;
}

const STORE_MODULE = "../../packages/server/src/store/sqlite/sqlite-store.ts";
const RAW_MODULE = "../../packages/server/src/store/sqlite/raw-insert.ts";
const ROWS_MODULE = "../../packages/server/src/store/sqlite/rows.ts";
const BARE_MODULE = "../../packages/server/src/store/sqlite/bare-insert.ts";
/** The bare table's layout (see bare-insert.ts): a rowid table with a unique key measured fastest. */
export const BARE_LAYOUT = process.env.BENCH_BARE_LAYOUT === "without-rowid" ? "without-rowid" : "rowid";

/** The bodies decoded and normalized by the server's code, `chunkSpans` records at a time. */
export function* records(bodies: Iterable<Batch>, timing: { ms: number }, chunkSpans = CHUNK_SPANS): Generator<SpanRecord[]> {
  const prices = PriceTable.fromFile(BUILTIN_PRICES);
  let chunk: SpanRecord[] = [];
  for (const body of bodies) {
    const start = performance.now();
    const { spans } = normalizeRequest(decodeProtobuf(body.body), { prices });
    timing.ms += performance.now() - start;
    for (const span of spans) chunk.push(span);
    if (chunk.length >= chunkSpans) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function rate(spans: number, ms: number): Measured {
  return { spans, ms, spansPerSecond: (spans / ms) * 1000 };
}

function failed(error: unknown): Measured {
  const message = (error as Error).message ?? String(error);
  return { error: message.split("\n")[0].slice(0, 200) };
}

export async function measureCeiling(bodies: Batch[], log: (line: string) => void): Promise<CeilingResult> {
  const dir = mkdtempSync(join(tmpdir(), "threadline-ceiling-"));
  removeOnExit(dir);
  try {
    // Pass 1: decode+normalize (timed) and the server's store, in-process (timed separately).
    const decodeTiming = { ms: 0 };
    let decoded = 0;
    let storeWriteSpans: Measured;
    try {
      const { SqliteStore } = (await import(STORE_MODULE)) as {
        SqliteStore: new (options: { path: string; writeInWorker?: boolean }) => { writeSpans(spans: SpanRecord[]): Promise<void>; close(): Promise<void> };
      };
      const store = new SqliteStore({ path: join(dir, "store", "threadline.db"), writeInWorker: false });
      let ms = 0;
      for (const chunk of records(bodies, decodeTiming)) {
        decoded += chunk.length;
        const start = performance.now();
        await store.writeSpans(chunk);
        ms += performance.now() - start;
      }
      await store.close();
      storeWriteSpans = rate(decoded, ms);
    } catch (error) {
      storeWriteSpans = failed(error);
      if (decoded === 0) for (const chunk of records(bodies, decodeTiming)) decoded += chunk.length;
    }
    const decodeNormalize = rate(decoded, decodeTiming.ms);
    log(`  decode+normalize done; store.writeSpans ${"error" in storeWriteSpans ? "n/a" : "done"}`);

    // Pass 2: raw inserts, all records in one call (the function decides its transactions and
    // returns the spans per second it timed; an older one that returns nothing is timed here).
    let rawInsert: Measured;
    const all: SpanRecord[] = [];
    for (const chunk of records(bodies, { ms: 0 })) for (const span of chunk) all.push(span);
    try {
      const specifier = RAW_MODULE;
      const mod = (await import(specifier)) as { rawInsertSpans?: (path: string, spans: SpanRecord[]) => unknown };
      if (typeof mod.rawInsertSpans !== "function") throw new Error(`${RAW_MODULE} exports no rawInsertSpans`);
      mkdirSync(join(dir, "raw"));
      const start = performance.now();
      const reported = await mod.rawInsertSpans(join(dir, "raw", "threadline.db"), all);
      rawInsert =
        typeof reported === "number" && reported > 0
          ? rate(all.length, (all.length / reported) * 1000)
          : rate(all.length, performance.now() - start);
    } catch (error) {
      rawInsert = failed(error);
    }
    log(`  rawInsertSpans ${"error" in rawInsert ? "n/a" : "done"}`);
    const bareRows = await measureBareRows(join(dir, "bare"), all);
    return { decodeNormalize, storeWriteSpans, rawInsert, bareRows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pass 3: the store's span rows, prepared before the clock, into one bare table (bare-insert.ts).
 * Every column but the store's own keys (span_key, trace_key, block_key: the bare table is keyed
 * by trace_id and span_id instead); the one resource every span shares has id 1. With a store
 * that keeps span bodies in a compressed block per trace (prepareSpans), the block rides on the
 * trace's first span row, so the bare table holds the same bytes as the store's spans.
 */
async function measureBareRows(dir: string, all: SpanRecord[]): Promise<Measured> {
  try {
    const rows = (await import(ROWS_MODULE)) as {
      SPAN_COLUMNS?: string[];
      prepareSpan?: (span: SpanRecord) => { row: SQLInputValue[] };
      prepareSpans?: (spans: SpanRecord[]) => Array<{ traceId: string; spans: Array<{ row: SQLInputValue[] }>; block?: Uint8Array }>;
    };
    const bare = (await import(BARE_MODULE)) as {
      bareInsertSpans?: (path: string, columns: string[], rows: SQLInputValue[][], options?: { layout?: string }) => Promise<number>;
    };
    const columns = rows.SPAN_COLUMNS;
    if (!Array.isArray(columns)) throw new Error(`${ROWS_MODULE} exports no SPAN_COLUMNS`);
    if (typeof bare.bareInsertSpans !== "function") throw new Error(`${BARE_MODULE} exports no bareInsertSpans`);
    const keys = new Set(["span_key", "trace_key", "block_key"]);
    const keep = columns.map((c, i) => (keys.has(c) ? -1 : i)).filter((i) => i >= 0);
    const resourceAt = columns.indexOf("resource_id");
    const own = (row: SQLInputValue[]) => {
      if (resourceAt >= 0) row[resourceAt] ??= 1;
      return keep.map((i) => row[i]);
    };
    let names = keep.map((i) => columns[i]);
    const values: SQLInputValue[][] = [];
    if (typeof rows.prepareSpans === "function") {
      const withTraceId = !names.includes("trace_id");
      names = [...(withTraceId ? ["trace_id"] : []), ...names, "block"];
      for (let i = 0; i < all.length; i += CHUNK_SPANS) {
        for (const trace of rows.prepareSpans(all.slice(i, i + CHUNK_SPANS))) {
          trace.spans.forEach(({ row }, k) => values.push([...(withTraceId ? [trace.traceId] : []), ...own(row), k === 0 ? (trace.block ?? null) : null]));
        }
      }
    } else if (typeof rows.prepareSpan === "function") {
      for (const span of all) values.push(own(rows.prepareSpan(span).row));
    } else {
      throw new Error(`${ROWS_MODULE} exports neither prepareSpans nor prepareSpan`);
    }
    mkdirSync(dir);
    const start = performance.now();
    const reported = await bare.bareInsertSpans(join(dir, "bare.db"), names, values, { layout: BARE_LAYOUT });
    return typeof reported === "number" && reported > 0 ? rate(values.length, (values.length / reported) * 1000) : rate(values.length, performance.now() - start);
  } catch (error) {
    return failed(error);
  }
}
