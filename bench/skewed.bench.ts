// Query latency over skewed, product-like traffic (bench/skewed.ts; GitHub issue "Real traffic
// at 5M spans"), idle and under ingest. The data set (default 1M spans; --scale 5m for 5M) is
// loaded once through the real OTLP endpoint, annotated through the API and cached. Then:
//  1. every case of lib/skewed-queries.ts, sequentially over one keep-alive connection, p50/p95/max
//     against its target (after proving that each filter's check catches an unfiltered answer);
//  2. the mixed load (unless --no-mixed), on a copy of the data dir: a browsing client (12
//     requests/s, sessions list pages and session details) idle, then while an ingest client
//     sends more skewed traffic (fresh sessions, same shape) with 16 requests in flight; the
//     ingest rate alone is measured before and after.
//
//   node bench/skewed.bench.ts [--scale 1m] [--requests 40] [--case-seconds 10] [--reload]
//     [--no-mixed] [--mixed-seconds 25] [--alone-seconds 16] [--idle-seconds 15] [--browse-rate 12] [--warmup-seconds 4]
//     [--mixed-concurrency 16] [--mixed-spans N] [--load-concurrency 8] [--seed 1] [--cpu-prof]
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProjectList } from "../packages/server/src/api/types.ts";
import { removeOnExit } from "./lib/cleanup.ts";
import { flag, numberOption } from "./lib/config.ts";
import { openDataset } from "./lib/dataset.ts";
import { diskUsage, formatBytes, sampleWal, type DiskUsage } from "./lib/disk.ts";
import { getJson } from "./lib/http.ts";
import { measureCases, rowsTable, verifyChecks } from "./lib/measure.ts";
import { browse, ingestFor, ingestPhasesOnThread, type Browsed, type Ingested } from "./lib/mixed.ts";
import { pregenerate } from "./lib/pregenerate.ts";
import { summarizeProfiles } from "./lib/profile.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer, type ServerHandle } from "./lib/server.ts";
import { ensureSkewed, type SkewedDataset } from "./lib/skewed-dataset.ts";
import { browsingCases } from "./lib/skewed-browsing.ts";
import { buildSkewedCases } from "./lib/skewed-queries.ts";
import { int, mib, ms, table } from "./lib/stats.ts";
import type { SkewedOptions } from "./skewed.ts";
import type { Batch } from "./traffic.ts";

export const TARGET_LOADED_RATIO = 2;
export const TARGET_INGEST_LOSS = 0.1;
export const TARGET_WINDOW_DRIFT = 0.1;

const scale = numberOption("scale", numberOption("spans", 1_000_000));
const requests = numberOption("requests", 40);
const budgetMs = numberOption("case-seconds", 10) * 1000;
const skewed: SkewedOptions = { seed: numberOption("seed", 1), spans: scale };
const loadConcurrency = numberOption("load-concurrency", 8);
const mixedOn = !flag("no-mixed");
const day = 24 * 3600_000;

console.log(`# skewed query bench  ${machine()}`);
const profDir = flag("cpu-prof") ? mkdtempSync(join(tmpdir(), "threadline-prof-")) : undefined;
const { dataset, server } = await openDataset(
  (reload) => ensureSkewed(skewed, { concurrency: loadConcurrency, reload: reload || flag("reload") }),
  (dataDir) => startServer({ dataDir, cpuProfDir: profDir }),
);
const { summary, traffic, load } = dataset.manifest;

// ---- the data set ----
const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(part / whole < 0.01 ? 2 : 1)}%`;
const diskRow = (d: DiskUsage | undefined) =>
  d ? `db ${formatBytes(d.db)}, -wal ${formatBytes(d.wal)}, -shm ${formatBytes(d.shm)} (${int(d.total / summary.spans)} B/span)` : "-";
console.log(`\n## data set (${dataset.loaded ? "loaded in this run" : "reused from the cache"}: ${dataset.dataDir})`);
console.log(
  table(
    ["measure", "value"],
    [
      ["spans / traces / sessions", `${int(summary.spans)} / ${int(summary.traces)} / ${int(summary.sessions)} over ${((summary.lastMs - summary.firstMs) / day).toFixed(1)} days`],
      ["wire size", `${mib(summary.bytes)} (${int(summary.bytes / summary.spans)} B/span, OTLP protobuf, ${int(summary.requests)} requests)`],
      ["users", `${int(summary.users)} of a pool of ${int(summary.userPool)}; heaviest ${summary.heaviestUser.id} with ${int(summary.heaviestUser.sessions)} sessions; top 3 ${summary.topUsers.slice(0, 3).map((u) => int(u.sessions)).join(", ")}`],
      ["long sessions", `${int(summary.longSessionCount)} of 20-300 turns; ${summary.hugeSession.id ? `one of ${int(summary.hugeSession.turns)} turns (${summary.hugeSession.id}, user ${summary.hugeSession.userId})` : "no huge session"}`],
      ["error turns / sessions", `${pct(summary.errorTraces, summary.traces)} / ${int(summary.errorSessions)} sessions`],
      ["rare words", Object.entries(summary.markerTurns).map(([w, n]) => `${w} ${n} turns, ${summary.markerSessions[w].length} sessions`).join("; ")],
      ["phrase", `"${summary.phrase.words}" in ${int(summary.phrase.turns)} turns (${int(summary.phrase.injectedSessions.length)} sessions); ${summary.hugeWord.word} in ${int(summary.hugeWord.turns)} turns, huge session only`],
      ["metadata", `${summary.rareMetadata.key}:${summary.rareMetadata.value} ${summary.rareMetadata.sessions.length} sessions; ${summary.midMetadata.key}:${summary.midMetadata.value} ${int(summary.midMetadata.sessions)}; plan ${Object.entries(summary.plans).map(([p, n]) => `${p} ${pct(n, summary.sessions)}`).join(", ")}`],
      ["tags", `${summary.rareTag.tag} on ${summary.rareTag.sessions.length} sessions, and 1-2 common ones on each`],
      ["annotations", `${int(summary.annotations.filter((a) => a.quality).length)} CODE quality (half on the top 10 users), ${int(summary.annotations.filter((a) => a.review).length)} HUMAN review`],
      ["load", `${int(load.spansPerSecond)} spans/s, ${load.wallSeconds.toFixed(0)} s, ${load.retries} retries (${traffic.spansPerRequest} spans/request, ${loadConcurrency} in flight, generated in the same process)`],
      ["WAL max during load", load.maxWalBytes != null ? formatBytes(load.maxWalBytes) : "-"],
      ["on disk after load", diskRow(load.disk?.afterLoad)],
      ["on disk after shutdown", diskRow(load.disk?.afterStop)],
    ],
    false,
  ),
);
const windows = load.windows ?? [];
let drift: number | null = null;
// The rate "at 0": the faster of the first two windows (the first one includes the server's warm-up).
const startRate = Math.max(...windows.slice(0, Math.min(2, windows.length - 1)).map((w) => w.spansPerSecond));
if (windows.length >= 2) {
  drift = windows.at(-1)!.spansPerSecond / startRate - 1;
  let from = 0;
  console.log(`\n## load rate per ~10% of the spans (generation included)`);
  console.log(
    table(
      ["spans", "s", "spans/s"],
      windows.map((w) => {
        const row = [`${int(from)}-${int(w.toSpans)}`, w.seconds.toFixed(1), int(w.spansPerSecond)];
        from = w.toSpans;
        return row;
      }),
    ),
  );
  console.log(
    `last window ${int(windows.at(-1)!.spansPerSecond)} spans/s vs ${int(startRate)} at the start (the faster of the first two): ` +
      `${drift >= 0 ? "+" : ""}${(drift * 100).toFixed(0)}% (target: at most ${TARGET_WINDOW_DRIFT * 100}% slower: ${drift >= -TARGET_WINDOW_DRIFT ? "pass" : "FAIL"})`,
  );
}

// ---- the query cases, idle ----
log(`server ${server.url} (pid ${server.pid}); ${requests} requests per case (at most ${budgetMs / 1000} s each) ...`);
const cases = buildSkewedCases(server.url, dataset.manifest);
const checks = await verifyChecks(server.url, cases);
log(`checks: ${checks.verified} filter and sort cases reject the answer without their filter or sort${checks.missed.length ? `; not: ${checks.missed.join(", ")}` : ""}`);
const rows = await measureCases(server.url, cases, { requests, budgetMs });
const stats = server.stats();
await server.stop();

console.log(`\n## query latency, idle (ms; ${requests} sequential requests per case, one keep-alive connection)`);
console.log(rowsTable(rows, true));
const measured = rows.filter((r) => r.status === "measured");
const passed = measured.filter((r) => r.pass).length;
console.log(
  `\n${passed}/${measured.length} measured cases within target (p95); ` +
    `${rows.filter((r) => r.status === "unsupported").length} not supported yet, ${rows.filter((r) => r.status === "error").length} errors; ` +
    `server peak RSS ${stats ? mib(stats.peakRss) : "?"}\n` +
    `checks: each of ${checks.verified} filter/sort/search cases rejects the server's answer without its filter` +
    (checks.missed.length ? `; NOT: ${checks.missed.join("; ")}` : ""),
);
if (profDir) console.log(`\n## server CPU profile (query cases)\n${summarizeProfiles(profDir)}`);

// ---- the mixed load ----
interface MixedResult {
  copySeconds: number;
  generated: { spans: number; bytes: number; seconds: number };
  idle: Browsed;
  loaded: Browsed;
  alone: Ingested[];
  withBrowsing: Ingested;
  aloneSpansPerSecond: number;
  loss: number;
  lossPass: boolean;
  cases: Array<{ name: string; idleP95: number; loadedP95: number; ratio: number; pass: boolean }>;
  maxWalBytes: number;
  disk: { beforeStop: DiskUsage; afterStop: DiskUsage };
  totalSpans: number;
  diskBytesPerSpan: number;
  wireBytesPerSpan: number;
  verified: string;
}
let mixed: MixedResult | null = null;
let mixedError: string | null = null;
if (mixedOn) {
  try {
    mixed = await runMixed(dataset);
  } catch (error) {
    mixedError = (error as Error).message;
    console.log(`\n## mixed load: FAILED\n${mixedError}`);
    process.exitCode = 1;
  }
}

async function runMixed(dataset: SkewedDataset): Promise<MixedResult> {
  const aloneSeconds = numberOption("alone-seconds", 16);
  const mixedSeconds = numberOption("mixed-seconds", 25);
  const warmupSeconds = numberOption("warmup-seconds", 4);
  // Enough traffic for the ingest phases at twice the load's rate (which had generation in it).
  const poolSpans = numberOption("mixed-spans", 0) ||
    Math.min(1_500_000, Math.max(100_000, Math.round(2 * load.spansPerSecond * (warmupSeconds + aloneSeconds + mixedSeconds))));

  log(`mixed load: copying the data set (${formatBytes(diskUsage(dataset.dataDir).total)}) so the cached one stays as it is ...`);
  let start = performance.now();
  const copyRoot = mkdtempSync(join(tmpdir(), "threadline-mixed-"));
  removeOnExit(copyRoot);
  const copy = join(copyRoot, "data");
  cpSync(dataset.dataDir, copy, { recursive: true });
  const copySeconds = (performance.now() - start) / 1000;

  // Fresh sessions of the same shape, after the loaded window, from the same user pool; two
  // parts generated in parallel before the clock starts.
  log(`mixed load: generating ~${int(poolSpans)} spans of fresh skewed traffic (2 threads) ...`);
  start = performance.now();
  const windowMs = Math.min(30 * day, (30 * day * poolSpans) / summary.spans);
  const parts = [0, 1].map((k): SkewedOptions => ({
    seed: traffic.seed + 100 + k,
    project: summary.project,
    spans: Math.round(poolSpans / 2),
    users: traffic.users,
    everyUserOnce: false,
    startMs: Math.ceil(summary.lastMs) + 60_000 + (k * windowMs) / 2,
    windowMs: windowMs / 2,
    spansPerRequest: traffic.spansPerRequest,
    qualityAnnotations: 0,
    reviewAnnotations: 0,
    rareMetadataSessions: 0,
  }));
  const { batches } = await pregenerate(parts);
  const generated = {
    spans: batches.reduce((n, b) => n + b.spans, 0),
    bytes: batches.reduce((n, b) => n + b.body.byteLength, 0),
    seconds: (performance.now() - start) / 1000,
  };
  log(`  ${int(generated.spans)} spans, ${int(generated.bytes / generated.spans)} B/span in ${generated.seconds.toFixed(0)} s`);

  const server = await startServer({ dataDir: copy });
  try {
    return await measureMixed(server, copy, batches, generated, copySeconds, copyRoot);
  } catch (error) {
    const serverLog = server.log();
    await server.stop();
    throw new Error(`${(error as Error).message}${serverLog ? `\nserver log:\n${serverLog}` : ""}`, { cause: error });
  }
}

async function measureMixed(
  server: ServerHandle,
  copy: string,
  batches: Batch[],
  generated: MixedResult["generated"],
  copySeconds: number,
  copyRoot: string,
): Promise<MixedResult> {
  const idleSeconds = numberOption("idle-seconds", 15);
  const aloneSeconds = numberOption("alone-seconds", 16);
  const mixedSeconds = numberOption("mixed-seconds", 25);
  const warmupSeconds = numberOption("warmup-seconds", 4);
  const rate = numberOption("browse-rate", 12);
  const concurrency = numberOption("mixed-concurrency", 16);
  const wal = sampleWal(copy);
  const pages = browsingCases(dataset.manifest);
  const pair = [pages.list, pages.detail];
  const it = batches.values();
  // Warm-up, not counted: a freshly started server's first seconds of ingest ran up to a third slower.
  log(`mixed load: server ${server.url}; warming up (ingest ${warmupSeconds} s, then browsing 3 s) ...`);
  const warmup = await ingestFor(server.url, it, warmupSeconds, concurrency);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await browse(server.url, pair, { seconds: 3, rate });
  log(`mixed load: browsing idle for ${idleSeconds} s at ${rate} requests/s ...`);
  const idle = await browse(server.url, pair, { seconds: idleSeconds, rate });

  log(
    `mixed load: ingest with ${concurrency} requests in flight, alone for ${aloneSeconds / 2} s, with browsing for ${mixedSeconds} s, ` +
      `alone for ${aloneSeconds / 2} s ...`,
  );
  let browsing: Promise<Browsed> | null = null;
  const ingest = await ingestPhasesOnThread(server.url, it, [aloneSeconds / 2, mixedSeconds, aloneSeconds / 2], concurrency, (k) => {
    if (k === 1) browsing = browse(server.url, pair, { seconds: mixedSeconds, rate });
  });
  const loaded = await (browsing as Promise<Browsed> | null)!;
  const [before, withBrowsing, after] = ingest.phases;
  const alone = [before, after];
  log(`  ${int(before.spansPerSecond)}, ${int(withBrowsing.spansPerSecond)} (with browsing), ${int(after.spansPerSecond)} spans/s`);
  const maxWalBytes = wal.stop();

  const sentSpans = warmup.spans + ingest.spans;
  const sentBytes = warmup.bytes + ingest.bytes;
  const totalSpans = summary.spans + sentSpans;
  let verified = "";
  for (let attempt = 0; attempt < 20; attempt++) {
    const { status, body } = await getJson<ProjectList>(`${server.url}/api/v1/projects`);
    const project = body.projects?.find((p) => p.name === summary.project);
    verified =
      status !== 200 ? `FAILED: GET /api/v1/projects answered ${status}`
      : `${project?.spanCount === totalSpans ? "OK" : "MISMATCH"}: ${int(project?.spanCount ?? 0)} of ${int(totalSpans)} spans in the project`;
    if (project?.spanCount === totalSpans || status !== 200) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const beforeStop = diskUsage(copy);
  await server.stop();
  const afterStop = diskUsage(copy);
  rmSync(copyRoot, { recursive: true, force: true });

  const aloneSpans = alone[0].spans + alone[1].spans;
  const aloneSpansPerSecond = aloneSpans / (alone[0].seconds + alone[1].seconds);
  const loss = 1 - withBrowsing.spansPerSecond / aloneSpansPerSecond;
  const caseRows = idle.cases.map((c, k) => {
    const ratio = loaded.cases[k].latency.p95 / c.latency.p95;
    return { name: c.name, idleP95: c.latency.p95, loadedP95: loaded.cases[k].latency.p95, ratio, pass: ratio <= TARGET_LOADED_RATIO };
  });

  console.log(`\n## mixed load: browsing at ${rate} requests/s, idle vs while ingesting with ${concurrency} requests in flight (ms)`);
  console.log(
    table(
      ["case", "idle n", "p50", "p95", "max", "loaded n", "p50", "p95", "max", "loaded/idle p95", "target", "result", "note"],
      idle.cases.map((c, k) => {
        const l = loaded.cases[k];
        const notes = [...c.problems, ...l.problems];
        if (c.failures + l.failures) notes.push(`${c.failures + l.failures} non-200`);
        if (l.latency.p95 > c.targetMs) notes.push(`loaded p95 over the ${c.targetMs} ms target`);
        return [
          c.name, String(c.latency.n), ms(c.latency.p50), ms(c.latency.p95), ms(c.latency.max),
          String(l.latency.n), ms(l.latency.p50), ms(l.latency.p95), ms(l.latency.max),
          `${caseRows[k].ratio.toFixed(1)}x`, `<= ${TARGET_LOADED_RATIO}x`, caseRows[k].pass ? "pass" : "FAIL", notes.join("; "),
        ];
      }),
    ),
  );
  console.log(`browsing made ${idle.rate.toFixed(1)} requests/s idle, ${loaded.rate.toFixed(1)} under load`);
  console.log(
    `\n## mixed load: ingest (fresh skewed traffic, ${traffic.spansPerRequest} spans/request, ${concurrency} in flight, one client ` +
      `through the phases: each counts the requests acknowledged within it)`,
  );
  const ingestRow = (name: string, r: Ingested) => [
    name, int(r.spansPerSecond), `${int(r.spans)} spans in ${r.seconds.toFixed(1)} s; request p50/p95 ${ms(r.latency.p50)}/${ms(r.latency.p95)} ms`,
  ];
  console.log(
    table(
      ["phase", "spans/s", "note"],
      [
        ingestRow("warm-up (not counted)", warmup),
        ingestRow("alone, before", alone[0]),
        ingestRow("with browsing", withBrowsing),
        ingestRow("alone, after", alone[1]),
        ["alone (both)", int(aloneSpansPerSecond), `${ingest.retries + warmup.retries} retries (503/429) in all`],
      ],
    ),
  );
  const lossPass = loss <= TARGET_INGEST_LOSS;
  console.log(
    `with browsing, ingest ${loss >= 0 ? "loses" : "gains"} ${(Math.abs(loss) * 100).toFixed(0)}% (target: loses <= ${TARGET_INGEST_LOSS * 100}%): ${lossPass ? "pass" : "FAIL"}`,
  );
  if (sentSpans >= generated.spans) console.log(`(the ${int(generated.spans)} generated spans ran out; pass --mixed-spans for longer phases)`);
  const wireBytesPerSpan = (summary.bytes + sentBytes) / totalSpans;
  console.log(
    table(
      ["measure", "value"],
      [
        ["WAL max during the mixed phase", `${formatBytes(maxWalBytes)} (sampled every 500 ms)`],
        ["on disk before shutdown", `db ${formatBytes(beforeStop.db)}, -wal ${formatBytes(beforeStop.wal)}, -shm ${formatBytes(beforeStop.shm)}`],
        ["on disk after shutdown", `db ${formatBytes(afterStop.db)}, -wal ${formatBytes(afterStop.wal)}, -shm ${formatBytes(afterStop.shm)}; total ${formatBytes(afterStop.total)}`],
        ["bytes per span", `${int(afterStop.total / totalSpans)} on disk vs ${int(wireBytesPerSpan)} on the wire (${int(totalSpans)} spans)`],
        ["verify", verified],
        ["copy of the data dir", `${copySeconds.toFixed(0)} s`],
      ],
      false,
    ),
  );
  return {
    copySeconds,
    generated,
    idle,
    loaded,
    alone,
    withBrowsing,
    aloneSpansPerSecond,
    loss,
    lossPass,
    cases: caseRows,
    maxWalBytes,
    disk: { beforeStop, afterStop },
    totalSpans,
    diskBytesPerSpan: afterStop.total / totalSpans,
    wireBytesPerSpan,
    verified,
  };
}

writeSummary({
  bench: "skewed",
  dataset: {
    spans: summary.spans,
    traces: summary.traces,
    sessions: summary.sessions,
    users: summary.users,
    reused: !dataset.loaded,
    wireBytesPerSpan: summary.bytes / summary.spans,
    diskBytesPerSpan: load.disk ? load.disk.afterStop.total / summary.spans : null,
    maxWalBytes: load.maxWalBytes ?? null,
  },
  load: { spansPerSecond: load.spansPerSecond, windows, startRate, drift },
  rows,
  passed,
  measured: measured.length,
  checksMissed: checks.missed,
  peakRssBytes: stats?.peakRss ?? null,
  mixedError,
  mixed: mixed && {
    cases: mixed.cases,
    aloneSpansPerSecond: mixed.aloneSpansPerSecond,
    withBrowsingSpansPerSecond: mixed.withBrowsing.spansPerSecond,
    loss: mixed.loss,
    lossPass: mixed.lossPass,
    maxWalBytes: mixed.maxWalBytes,
    diskBytesPerSpan: mixed.diskBytesPerSpan,
    wireBytesPerSpan: mixed.wireBytesPerSpan,
    verified: mixed.verified,
  },
});
