// Soak: mixed ingest, browsing and annotation load on the real server for `--minutes` (10) at
// half the maximum ingest rate measured first on the same server; every window the server's RSS
// (the memory curve), the spans acknowledged and each client's p50/p99; at the end, whether
// every acknowledged span and annotation is stored. Verdicts beside the figures.
//
//   node bench/soak.bench.ts [--minutes 10] [--rate N (skip the maximum, soak at N spans/s)]
//        [--probe-seconds 25] [--probe-spans 400000] [--concurrency 16] [--soak-concurrency 32]
//        [--spans-per-request 500]
//        [--browse-rate 4] [--annotate-rate 1.5] [--window-seconds 30] [--seed 1] [--keep]
// (or BENCH_MINUTES=... etc.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProjectList, SessionSummary } from "../packages/server/src/api/types.ts";
import { removeOnExit } from "./lib/cleanup.ts";
import { flag, numberOption } from "./lib/config.ts";
import { getJson } from "./lib/http.ts";
import { browse } from "./lib/mixed.ts";
import { sendAll } from "./lib/otlp-client.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer, type ServerHandle } from "./lib/server.ts";
import { annotate, browsingCases, REVIEW, sessionPool, storedCount } from "./lib/soak-clients.ts";
import { soakTraffic } from "./lib/soak-traffic.ts";
import { verdicts, windowLine, windowRecorder, windowRow, WINDOW_HEADER } from "./lib/soak-windows.ts";
import { int, latency, mib, ms, table } from "./lib/stats.ts";
import { emptySummary, generateTraffic, SPANS_PER_TURN, type TrafficOptions } from "./traffic.ts";

const minutes = numberOption("minutes", 10);
const fixedRate = numberOption("rate", 0);
const probeSeconds = numberOption("probe-seconds", 25);
const probeSpans = numberOption("probe-spans", 400_000);
const concurrency = numberOption("concurrency", 16);
// The paced client's cap on requests in flight, above the probe's: when answers slow down, it
// keeps to its schedule (as independent exporters would) instead of slowing down with them.
const soakConcurrency = numberOption("soak-concurrency", 2 * concurrency);
const spansPerRequest = numberOption("spans-per-request", 500);
const browseRate = numberOption("browse-rate", 4);
const annotateRate = numberOption("annotate-rate", 1.5);
const seed = numberOption("seed", 1);
const soakSeconds = minutes * 60;
// 30 s windows; a short soak (while developing) gets ten windows, so the verdicts mean something.
const windowSeconds = numberOption("window-seconds", Math.min(30, soakSeconds / 10));
const windowCount = Math.max(3, Math.round(soakSeconds / windowSeconds));
const PROJECT = "bench-soak";
const PROBE_PROJECT = "bench-soak-probe";
const USERS = 2_000;
/** The probe's first seconds are not counted: a fresh server's first seconds ran up to a third slower (README). */
const PROBE_WARMUP_MS = 5_000;

console.log(`# soak bench  ${machine()}`);
const dataDir = mkdtempSync(join(tmpdir(), "threadline-soak-"));
if (!flag("keep")) removeOnExit(dataDir);
const server = await startServer({ dataDir });
log(`server ${server.url} (pid ${server.pid}), data ${dataDir}`);
const withLog = (error: Error) => {
  throw new Error(`${error.message}\nserver log:\n${server.log()}`);
};

// ---- phase 1: the maximum sustained rate, pre-generated traffic at full speed ----
let maxRate: number | null = null;
let probeAcked = 0;
if (!fixedRate) {
  const options: TrafficOptions = { seed, project: PROBE_PROJECT, users: USERS, sessions: Math.max(1, Math.round(probeSpans / (SPANS_PER_TURN * 7.5))), spansPerRequest };
  log(`probe: generating ~${int(probeSpans)} spans ...`);
  const batches = [...generateTraffic(options, emptySummary(options))];
  log(`probe: ${concurrency} requests in flight for up to ${probeSeconds} s (the first ${PROBE_WARMUP_MS / 1000} s not counted) ...`);
  const t0 = performance.now();
  const marks = { warm: null as { acked: number; at: number } | null, last: { acked: 0, at: t0 } };
  const sent = await sendAll(server.url, batches, {
    concurrency,
    stop: () => performance.now() - t0 >= probeSeconds * 1000,
    onAck: (acked, at) => {
      if (!marks.warm && at - t0 >= PROBE_WARMUP_MS) marks.warm = { acked, at };
      marks.last = { acked, at };
    },
  }).catch(withLog);
  const { warm, last } = marks;
  maxRate = warm && last.at - warm.at > 1000 ? ((last.acked - warm.acked) / (last.at - warm.at)) * 1000 : (sent.ackedSpans / sent.wallMs) * 1000;
  probeAcked = sent.ackedSpans;
  log(`probe: ${int(maxRate)} spans/s sustained (${int(sent.ackedSpans)} spans in ${(sent.wallMs / 1000).toFixed(1)} s, ${sent.retries} retries)`);
}
const target = fixedRate || maxRate! / 2;

// ---- the soak: three clients on one server, windows of `windowSeconds` ----
log(`soak: ${minutes} min at ${int(target)} spans/s (at most ${soakConcurrency} requests in flight), browsing ${browseRate}/s, annotating ${annotateRate}/s; ${windowCount} windows of ${windowSeconds} s`);
// Chunks of 4,000 sessions (~120k spans), each 2 hours of the app's time after the one before.
const traffic = soakTraffic(
  { seed, project: PROJECT, users: USERS, sessions: 4_000, startMs: Date.UTC(2025, 5, 2), windowMs: 2 * 3600_000, spansPerRequest },
  Math.ceil((target * 5) / spansPerRequest) + soakConcurrency,
);
await traffic.filled;
const recorder = windowRecorder(server.pid, windowSeconds, windowCount, (w) => log(windowLine(w, w.index === 1)));
let aborted = false;
const stop = () => aborted || recorder.done();
const abort = (error: Error) => {
  aborted = true;
  recorder.stop();
  throw error;
};
void recorder.finished.then(() => traffic.stop());
const pool = sessionPool();
const cases = browsingCases(PROJECT, USERS, pool, seed + 1);
const byCase = new Map(cases.map((c) => [c.name, { targetMs: c.targetMs, samples: [] as number[], failures: 0, problems: [] as string[] }]));
let firstAck = () => {};
const ingesting = new Promise<void>((resolve) => (firstAck = resolve));
const started = performance.now();
let slot = 0;
let lastAcked = 0;
const [ingested, browsed, annotated] = await Promise.all([
  sendAll(server.url, traffic.batches, {
    concurrency: soakConcurrency,
    stop,
    // Each request has its slot on a fixed schedule, so after a slow spell the client catches
    // up and the average rate holds.
    gate: async () => {
      const wait = started + ((slot++ * spansPerRequest) / target) * 1000 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await traffic.take();
    },
    onAck: (acked, _at, latencyMs) => {
      firstAck();
      recorder.record("ingest", latencyMs, acked - lastAcked);
      lastAcked = acked;
    },
  }).catch(withLog).catch(abort),
  // Browsing and annotating start with the first acknowledged batch: before it the project does not exist (404).
  ingesting.then(() =>
    browse(server.url, cases, {
      seconds: Infinity,
      rate: browseRate,
      stop,
      onAnswer: (k, status, latencyMs, body) => {
        const c = byCase.get(cases[k].name)!;
        if (status !== 200) {
          c.failures++;
          return recorder.error();
        }
        c.samples.push(latencyMs);
        recorder.record("query", latencyMs);
        const list = (body as { sessions?: unknown } | null)?.sessions;
        if (Array.isArray(list) && "traceCount" in (list[0] ?? {})) pool.add(list as SessionSummary[]);
      },
    }),
  ).catch(abort),
  ingesting.then(() =>
    annotate(server.url, PROJECT, pool, {
      rate: annotateRate,
      seed: seed + 2,
      stop,
      onAnswer: (status, latencyMs) => (status === 200 || status === 201 ? recorder.record("annotate", latencyMs) : recorder.error()),
    }),
  ).catch(abort),
]).finally(() => traffic.stop());
const soakWall = (performance.now() - started) / 1000;

// ---- nothing acknowledged lost: the server's counts once every request in flight is answered ----
const project = await projectCounts(server, PROJECT, ingested.ackedSpans);
const probe = fixedRate ? null : await projectCounts(server, PROBE_PROJECT, probeAcked);
const names = await getJson(`${server.url}/api/v1/projects/${PROJECT}/annotation-names`);
const storedAnnotations = storedCount(names.body);
const peakRss = server.stats()?.peakRss ?? NaN;
await server.stop();

const { windows } = recorder;
console.log(`\n## windows of ${windowSeconds} s (RSS: VmRSS of the server; anon: its RssAnon, without mapped database pages)`);
console.log(table(WINDOW_HEADER, windows.map(windowRow)));

const steady = windows.slice(1);
const heldRate = steady.reduce((sum, w) => sum + w.spansPerSecond, 0) / Math.max(1, steady.length);
console.log(`\n## the soak`);
console.log(
  table(
    ["measure", "value"],
    [
      ["maximum (phase 1)", maxRate ? `${int(maxRate)} spans/s, ${concurrency} requests in flight, ${spansPerRequest} spans/request` : "not measured (--rate)"],
      ["target", `${int(target)} spans/s${maxRate ? " (half the maximum)" : ""}`],
      ["ingest held (windows 2-)", `${int(heldRate)} spans/s (${((heldRate / target) * 100).toFixed(0)}% of target); ${int(ingested.ackedSpans)} spans in ${soakWall.toFixed(0)} s, ${ingested.retries} retries (503/429)`],
      ["browsing", `${browsed.cases.reduce((n, c) => n + c.latency.n, 0)} answers at ${browsed.rate.toFixed(1)}/s; ${browsed.cases.reduce((n, c) => n + c.failures, 0)} non-200, ${int(pool.size)} sessions seen for the annotator`],
      ["annotations", `${annotated.posted} posted: ${annotated.created} created, ${annotated.replaced} replaced, ${[...annotated.failures].map(([k, n]) => `${k} x${n}`).join("; ") || "no failures"}`],
      ["server peak RSS (VmHWM)", mib(peakRss)],
    ],
    false,
  ),
);
console.log(`\n## browsing cases over the whole soak (ms; the target is the idle query bench's, for reference)`);
for (const c of browsed.cases) byCase.get(c.name)!.problems.push(...c.problems);
console.log(
  table(
    ["case", "n", "p50", "p95", "max", "target", "note"],
    [...byCase].map(([name, c]) => {
      const l = latency(c.samples);
      return [name, String(l.n), ms(l.p50), ms(l.p95), ms(l.max), `${c.targetMs} ms`, [c.failures ? `${c.failures} non-200` : "", ...c.problems].filter(Boolean).join("; ")];
    }),
  ),
);

const acknowledgedAnnotations = annotated.acknowledged.size;
const checks = [
  ...verdicts(windows),
  lostCheck("spans lost", project),
  ...(probe ? [lostCheck("spans lost (phase 1)", probe)] : []),
  lostCheck(`annotations lost (${REVIEW})`, { acked: acknowledgedAnnotations, stored: storedAnnotations, note: "" }),
];
console.log(`\n## verdicts`);
console.log(table(["check", "figure", "limit", "verdict"], checks.map((c) => [c.check, c.figure, c.limit, c.pass ? "PASS" : "FAIL"]), false));
const pass = checks.every((c) => c.pass);
console.log(`\nsoak: ${pass ? "PASS" : "FAIL"} (${checks.filter((c) => c.pass).length}/${checks.length} checks)`);

writeSummary({
  bench: "soak",
  minutes,
  windowSeconds,
  maxSpansPerSecond: maxRate,
  targetSpansPerSecond: target,
  heldSpansPerSecond: heldRate,
  ackedSpans: ingested.ackedSpans,
  storedSpans: project.stored,
  annotations: { acknowledged: acknowledgedAnnotations, stored: storedAnnotations, posted: annotated.posted },
  peakRssBytes: peakRss,
  windows,
  checks,
  pass,
});

/** The project's span count (polled briefly: a count that catches up is not a loss). */
async function projectCounts(handle: ServerHandle, name: string, acked: number) {
  let stored = NaN;
  let note = "";
  for (let attempt = 0; attempt < 20; attempt++) {
    const { status, body } = await getJson<ProjectList>(`${handle.url}/api/v1/projects`);
    const found = status === 200 ? body.projects.find((p) => p.name === name) : undefined;
    stored = found?.spanCount ?? NaN;
    note = status !== 200 ? `GET /api/v1/projects answered ${status}` : found ? "" : `project ${name} not listed`;
    if (stored >= acked || status !== 200) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { acked, stored, note };
}

function lostCheck(check: string, counts: { acked: number; stored: number; note: string }) {
  const lost = Number.isFinite(counts.stored) ? Math.max(0, counts.acked - counts.stored) : counts.acked;
  return {
    check,
    figure: `${int(counts.acked)} acknowledged, ${Number.isFinite(counts.stored) ? int(counts.stored) : "?"} stored: ${int(lost)} lost${counts.note ? ` (${counts.note})` : ""}`,
    limit: "0",
    pass: lost === 0 && Number.isFinite(counts.stored),
    value: lost,
  };
}
