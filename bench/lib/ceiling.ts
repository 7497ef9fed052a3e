// The ingest ceiling: the same span rows written into SQLite with no server in front.
//  - decode+normalize: the server's own OTLP decoder and normalizer over the same bodies (CPU
//    the server spends before the store sees a span);
//  - store.writeSpans: the server's store, in-process on this thread (no write worker), in
//    10k-span transactions (what the batch writer does; includes the rollups);
//  - rawInsertSpans (packages/server/src/store/sqlite/raw-insert.ts): the same span rows and
//    search text inserted into the same schema in 10k-span transactions, nothing else.
// The store modules are imported dynamically: they are being rewritten, and a missing or
// changed export is reported as "not available" instead of failing the bench.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
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
}

const STORE_MODULE = "../../packages/server/src/store/sqlite/sqlite-store.ts";
const RAW_MODULE = "../../packages/server/src/store/sqlite/raw-insert.ts";

/** The bodies decoded and normalized by the server's code, CHUNK_SPANS records at a time. */
function* records(bodies: Batch[], timing: { ms: number }): Generator<SpanRecord[]> {
  const prices = PriceTable.fromFile(BUILTIN_PRICES);
  let chunk: SpanRecord[] = [];
  for (const body of bodies) {
    const start = performance.now();
    const { spans } = normalizeRequest(decodeProtobuf(body.body), { prices });
    timing.ms += performance.now() - start;
    for (const span of spans) chunk.push(span);
    if (chunk.length >= CHUNK_SPANS) {
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
    try {
      const specifier = RAW_MODULE;
      const mod = (await import(specifier)) as { rawInsertSpans?: (path: string, spans: SpanRecord[]) => unknown };
      if (typeof mod.rawInsertSpans !== "function") throw new Error(`${RAW_MODULE} exports no rawInsertSpans`);
      const all: SpanRecord[] = [];
      for (const chunk of records(bodies, { ms: 0 })) for (const span of chunk) all.push(span);
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
    return { decodeNormalize, storeWriteSpans, rawInsert };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
