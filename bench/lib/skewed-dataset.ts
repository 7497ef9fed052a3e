// The skewed data set (bench/skewed.ts) loaded through the server's OTLP endpoint, then annotated
// through the public API: a CODE evaluation `quality` (score 0..1, label good/bad) on ~2,000
// sessions per 1M spans, half of them the top users', and a HUMAN `review` (a label) on ~500.
// Cached under SKEWED_CACHE_ROOT by generator version, options and schema hash (dataset.ts).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { emptySkewedSummary, generateSkewed, resolveSkewed, SKEWED_VERSION, type SkewedOptions } from "../skewed.ts";
import type { SkewedSummary } from "./skewed-summary.ts";
import { ensureLoaded, type Dataset } from "./dataset.ts";
import { agent, send } from "./http.ts";
import { ROOT } from "./config.ts";
import { log } from "./report.ts";
import type { ServerHandle } from "./server.ts";
import { int } from "./stats.ts";

const MIGRATIONS_DIR = `${ROOT}/packages/server/src/store/clickhouse/migrations`;

export const SKEWED_CACHE_ROOT = process.env.BENCH_SKEWED_CACHE_DIR ?? "/tmp/threadline-bench-skewed";

export type SkewedDataset = Dataset<Required<SkewedOptions>, SkewedSummary>;

export interface AnnotationLoad {
  quality: number;
  review: number;
  seconds: number;
}

/** The store a data set is loaded into: SQLite (the default) or chdb, in the data dir. */
export type BenchStore = "sqlite" | "chdb";

export function skewedKey(options: SkewedOptions, store: BenchStore = "sqlite"): string {
  const o = resolveSkewed(options);
  const hash = createHash("sha1").update(JSON.stringify(o)).digest("hex").slice(0, 8);
  return `skewed${SKEWED_VERSION}-${o.spans}sp-seed${o.seed}-${hash}${store === "chdb" ? `-chdb${clickhouseSchemaHash()}` : ""}`;
}

/** The ClickHouse migrations' text: a chdb data set is rebuilt when they change. */
function clickhouseSchemaHash(): string {
  const hash = createHash("sha1");
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) hash.update(readFileSync(join(MIGRATIONS_DIR, name)));
  return hash.digest("hex").slice(0, 8);
}

/** The server's environment for a store, given the data dir. */
export function storeEnv(store: BenchStore, dataDir: string): Record<string, string> {
  return store === "chdb" ? { THREADLINE_STORE: `chdb:${join(dataDir, "chdb")}` } : {};
}

/** `load.env`: more environment for the loading server (the stores bench turns evaluators off with it). */
export function ensureSkewed(
  options: SkewedOptions,
  load: { concurrency: number; reload: boolean; store?: BenchStore; env?: Record<string, string> },
): Promise<SkewedDataset> {
  const o = resolveSkewed(options);
  const store = load.store ?? "sqlite";
  const key = skewedKey(o, store);
  // An older generator or schema of the same size, seed and store is replaced; other sizes are kept.
  const sameSize = new RegExp(`^skewed\\d+-${o.spans}sp-seed${o.seed}-[0-9a-f]+${store === "chdb" ? "-chdb" : "-schema"}`);
  return ensureLoaded({
    serverEnv: (dataDir) => ({ ...storeEnv(store, dataDir), ...load.env }),
    root: SKEWED_CACHE_ROOT,
    key,
    replaces: (name) => sameSize.test(name),
    traffic: o,
    emptySummary: () => emptySkewedSummary(o),
    generate: (summary) => generateSkewed(o, summary),
    expectedSpans: o.spans,
    concurrency: load.concurrency,
    reload: load.reload,
    afterSpans: (server, summary) => postAnnotations(server, summary),
  });
}

async function postAnnotations(server: ServerHandle, summary: SkewedSummary, concurrency = 4): Promise<AnnotationLoad> {
  const via = agent(concurrency);
  const project = encodeURIComponent(summary.project);
  const posts: Array<{ sessionId: string; body: object }> = [];
  for (const a of summary.annotations) {
    if (a.quality) {
      posts.push({
        sessionId: a.sessionId,
        body: { name: "quality", annotatorKind: "CODE", identifier: "evaluator-v1", score: a.quality.score, label: a.quality.label },
      });
    }
    if (a.review) {
      posts.push({
        sessionId: a.sessionId,
        body: { name: "review", annotatorKind: "HUMAN", identifier: "reviewer-1", label: a.review.label, explanation: "checked by hand" },
      });
    }
  }
  log(`data set: posting ${int(posts.length)} annotations through the API ...`);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < posts.length) {
      const { sessionId, body } = posts[next++];
      const json = Buffer.from(JSON.stringify(body));
      const reply = await send(`${server.url}/api/v1/projects/${project}/sessions/${encodeURIComponent(sessionId)}/annotations`, {
        method: "POST",
        agent: via,
        headers: { "Content-Type": "application/json", "Content-Length": json.length },
        body: json,
      });
      if (reply.status !== 201 && reply.status !== 200) {
        throw new Error(`POST annotation for session ${sessionId} answered ${reply.status}: ${reply.body.toString("utf8").slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  via.destroy();
  const seconds = (performance.now() - started) / 1000;
  const quality = summary.annotations.filter((a) => a.quality).length;
  const review = summary.annotations.filter((a) => a.review).length;
  log(`data set: ${int(quality)} quality evaluations and ${int(review)} reviews posted in ${seconds.toFixed(1)} s`);
  return { quality, review, seconds };
}
