// SQLite and ClickHouse (chdb, the engine embedded) side by side on the same skewed data set
// (bench/skewed.ts): each store loaded through the real OTLP endpoint by a real `threadline serve`
// (ingest rate, disk per span), then every query case of lib/skewed-queries.ts against each, in
// one run. Data sets are cached per store like the skewed bench's (--reload rebuilds them).
//
//   node bench/stores.bench.ts [--scale 1m] [--stores sqlite,chdb] [--requests 20] [--case-seconds 8]
//     [--load-concurrency 8] [--seed 1] [--reload] [--no-evaluators] [--probe-spans 100000]
// --no-evaluators: the servers loading and answering the queries run no evaluators, so that the
// evaluations every freshly loaded session is due do not share the cores and the store (at 10M
// spans that is ~1.8 million jobs; the evaluation stage has its own bench).
// --probe-spans: the ingest rate once loaded, measured on its own (the loads may have shared the
// machine): that many more spans of the same shape, a new seed each run, into a project of their
// own (bench-ingest-probe, which grows by that much a run), before the queries.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProjectList } from "../packages/server/src/api/types.ts";
import { removeOnExit } from "./lib/cleanup.ts";
import { flag, numberOption, option } from "./lib/config.ts";
import { openDataset } from "./lib/dataset.ts";
import { diskUsage, formatBytes } from "./lib/disk.ts";
import { evaluationJobsFinished, getJson } from "./lib/http.ts";
import { measureCases, type Row } from "./lib/measure.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer } from "./lib/server.ts";
import { ensureSkewed, storeEnv, type BenchStore, type SkewedDataset } from "./lib/skewed-dataset.ts";
import { sendAll } from "./lib/otlp-client.ts";
import { emptySkewedSummary, generateSkewed, resolveSkewed } from "./skewed.ts";
import { buildSkewedCases } from "./lib/skewed-queries.ts";
import { int, mib, ms, table } from "./lib/stats.ts";

const scale = numberOption("scale", numberOption("spans", 1_000_000));
const stores = option("stores", "sqlite,chdb").split(",").map((s) => s.trim()) as BenchStore[];
const requests = numberOption("requests", 20);
const budgetMs = numberOption("case-seconds", 8) * 1000;
const loadConcurrency = numberOption("load-concurrency", 8);
const probeSpans = numberOption("probe-spans", 100_000);
/** With --no-evaluators, a configuration file that turns them off for the servers queried. */
function noEvaluatorsEnv(): Record<string, string> {
  if (!flag("no-evaluators")) return {};
  const dir = mkdtempSync(join(tmpdir(), "threadline-stores-"));
  removeOnExit(dir);
  writeFileSync(join(dir, "config.json"), JSON.stringify({ evaluators: [] }));
  return { THREADLINE_CONFIG: join(dir, "config.json") };
}
const queryEnv = noEvaluatorsEnv();

/**
 * With evaluators off, the jobs an earlier server queued are recorded as failed as the server
 * starts: waits until that stops (the jobs counter still for 12 s, longer than the stage's first
 * look, 5 s after the start, and a batch), so the reads share the store with nothing. How many
 * jobs that was.
 */
async function backlogSettled(url: string): Promise<number> {
  let last = -1;
  for (let still = 0; still < 12; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    const jobs = await evaluationJobsFinished(url);
    still = jobs === last ? still + 1 : 0;
    last = jobs;
  }
  return last;
}

/** Spans a second for --probe-spans more spans, sent as the load sends them; null with none. */
async function ingestProbe(url: string): Promise<number | null> {
  if (probeSpans <= 0) return null;
  const o = resolveSkewed({ seed: Date.now() % 1_000_000_000, spans: probeSpans, project: "bench-ingest-probe" });
  const sent = await sendAll(url, generateSkewed(o, emptySkewedSummary(o)), { concurrency: loadConcurrency });
  return (sent.ackedSpans / sent.wallMs) * 1000;
}

interface StoreResult {
  store: BenchStore;
  dataset: SkewedDataset;
  probeSpansPerSecond: number | null;
  diskBytes: number;
  storedSpans: number;
  peakRss: number | null;
  rows: Row[];
}

console.log(`# store comparison bench  ${machine()}`);
const results: StoreResult[] = [];
for (const store of stores) {
  log(`${store}: the data set ...`);
  const { dataset, server } = await openDataset(
    (reload) => ensureSkewed({ seed: numberOption("seed", 1), spans: scale }, { concurrency: loadConcurrency, reload: reload || flag("reload"), store, env: queryEnv }),
    (dataDir) => startServer({ dataDir, env: { ...storeEnv(store, dataDir), ...queryEnv } }),
  );
  const { body } = await getJson<ProjectList>(`${server.url}/api/v1/projects`);
  const project = body.projects.find((p) => p.name === dataset.manifest.summary.project);
  if (project?.spanCount !== dataset.manifest.summary.spans) {
    throw new Error(`${store}: the server has ${project?.spanCount} spans, the data set ${dataset.manifest.summary.spans}`);
  }
  if (queryEnv.THREADLINE_CONFIG) log(`${store}: ${int(await backlogSettled(server.url))} queued evaluation jobs drained before measuring`);
  if (probeSpans > 0) log(`${store}: ingesting ${int(probeSpans)} more spans alone ...`);
  const probeSpansPerSecond = await ingestProbe(server.url);
  // Disk per span counts the probes' spans too (they are on the disk).
  const storedSpans = (await getJson<ProjectList>(`${server.url}/api/v1/projects`)).body.projects.reduce((n, p) => n + p.spanCount, 0);
  log(`${store}: ${requests} requests per case (at most ${budgetMs / 1000} s each) ...`);
  const rows = await measureCases(server.url, buildSkewedCases(server.url, dataset.manifest), { requests, budgetMs });
  const peakRss = server.stats()?.peakRss ?? null;
  await server.stop();
  results.push({ store, dataset, probeSpansPerSecond, diskBytes: diskUsage(dataset.dataDir).total, storedSpans, peakRss, rows });
}

const { summary } = results[0].dataset.manifest;
console.log(`\n## data set: ${int(summary.spans)} spans, ${int(summary.traces)} traces, ${int(summary.sessions)} sessions, ${int(summary.users)} users (${int(summary.bytes / summary.spans)} B/span on the wire)`);
console.log(
  table(
    ["store", "ingest spans/s (load)", "load s", `ingest spans/s (${int(probeSpans)} more, alone)`, "disk", "disk B/span", "server peak RSS (queries)"],
    results.map((r) => {
      const load = r.dataset.manifest.load;
      return [
        r.store, int(load.spansPerSecond), load.wallSeconds.toFixed(0), r.probeSpansPerSecond ? int(r.probeSpansPerSecond) : "-",
        formatBytes(r.diskBytes), int(r.diskBytes / r.storedSpans),
        r.peakRss ? mib(r.peakRss) : "-",
      ];
    }),
  ),
);
console.log("(ingest: one `threadline serve`, skewed OTLP protobuf generated in the same bench process, 8 requests in flight, 2 cores shared)");

const cell = (row: Row | undefined) => (row?.status === "measured" ? `${ms(row.p50)} / ${ms(row.p95)}${row.wrong ? ` (${row.wrong} wrong)` : ""}` : row?.status ?? "-");
console.log(`\n## query latency, p50 / p95 ms (${requests} sequential requests per case; evaluators ${queryEnv.THREADLINE_CONFIG ? "off" : "on, working through the loaded sessions' backlog"})`);
console.log(
  table(
    ["case", "target", ...results.map((r) => r.store)],
    results[0].rows.map((row, i) => [row.name, ms(row.targetMs), ...results.map((r) => cell(r.rows[i]))]),
    false,
  ),
);
writeSummary({
  bench: "stores",
  spans: summary.spans,
  stores: results.map((r) => ({
    store: r.store,
    spansPerSecond: r.dataset.manifest.load.spansPerSecond,
    probeSpansPerSecond: r.probeSpansPerSecond,
    diskBytesPerSpan: r.diskBytes / r.storedSpans,
    rows: r.rows.map((row) => ({ name: row.name, p50: row.p50, p95: row.p95, targetMs: row.targetMs, status: row.status, wrong: row.wrong })),
  })),
});
