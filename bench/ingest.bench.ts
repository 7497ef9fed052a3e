// Sustained ingest over loopback: the real server as a child process, several OTLP/HTTP protobuf
// clients sending pre-generated chat traffic, every acknowledged span counted; then the same
// span rows written with no server in front (the ceilings: the same schema, and bare rows in one
// table), side by side.
//
//   node bench/ingest.bench.ts [--spans 300000] [--concurrency 16] [--spans-per-request 500]
//                              [--seed 1] [--cpu-prof] [--no-ceiling] [--keep]
// (or BENCH_SPANS=... etc.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CeilingResult, Measured } from "./lib/ceiling.ts";
import { removeOnExit } from "./lib/cleanup.ts";
import { flag, numberOption } from "./lib/config.ts";
import { getJson } from "./lib/http.ts";
import { sendAll } from "./lib/otlp-client.ts";
import { summarizeProfiles } from "./lib/profile.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { sampleProcess, startServer } from "./lib/server.ts";
import { int, latency, mib, ms, table } from "./lib/stats.ts";
import { emptySummary, generateTraffic, SPANS_PER_TURN, type TrafficOptions } from "./traffic.ts";

export const TARGET_SPANS_PER_SECOND = 50_000;
export const TARGET_CEILING_SHARE = 0.5;
/** The server's sustained rate as a share of the bare-row ceiling (one table, one key). */
export const TARGET_BARE_SHARE = 0.5;

const spans = numberOption("spans", 300_000);
// Sixteen exporters in flight: production traffic comes from many app instances, each exporting
// on its own; with only a few in flight, each waits on the commit of the others (BENCHMARKS.md).
const concurrency = numberOption("concurrency", 16);
const cpuProf = flag("cpu-prof");
const traffic: TrafficOptions = {
  seed: numberOption("seed", 1),
  project: "bench-ingest",
  users: 10_000,
  // 3-12 turns (7.5 on average) of 4 spans each.
  sessions: Math.max(1, Math.round(spans / (SPANS_PER_TURN * 7.5))),
  spansPerRequest: numberOption("spans-per-request", 500),
};

console.log(`# ingest bench  ${machine()}`);
log(`generating ~${int(spans)} spans (seed ${traffic.seed}) ...`);
let start = performance.now();
const generated = emptySummary(traffic);
const batches = [...generateTraffic(traffic, generated)];
log(
  `  ${int(generated.spans)} spans, ${int(generated.traces)} traces, ${int(generated.sessions)} sessions, ` +
    `${int(generated.requests)} requests, ${mib(generated.bytes)} (${int(generated.bytes / generated.spans)} B/span) ` +
    `in ${ms((performance.now() - start) / 1000)} s`,
);

const dataDir = mkdtempSync(join(tmpdir(), "threadline-ingest-"));
if (!flag("keep")) removeOnExit(dataDir);
const profDir = cpuProf ? mkdtempSync(join(tmpdir(), "threadline-prof-")) : undefined;
const server = await startServer({ dataDir, cpuProfDir: profDir });
log(`server ${server.url} (pid ${server.pid}), data ${dataDir}; sending with ${concurrency} requests in flight ...`);

const sampler = sampleProcess(server.pid);
const sent = await sendAll(server.url, batches, {
  concurrency,
  progress: (acked, elapsed) => log(`  ${int(acked)} spans acknowledged, ${int((acked / elapsed) * 1000)} spans/s`),
}).catch((error: Error) => {
  throw new Error(`${error.message}\nserver log:\n${server.log()}`);
});
const proc = sampler.stop();

// Every span must have landed: the project's trace and session counts match what was sent.
let verified = "";
for (let attempt = 0; attempt < 20; attempt++) {
  const { status, body } = await getJson<{ projects?: Array<{ name: string; traceCount: number; sessionCount: number }> }>(
    `${server.url}/api/v1/projects`,
  );
  const project = body.projects?.find((p) => p.name === traffic.project);
  const ok = project?.traceCount === generated.traces && project?.sessionCount === generated.sessions;
  verified =
    status !== 200 ? `FAILED: GET /api/v1/projects answered ${status}`
    : !project ? `FAILED: project ${traffic.project} not listed`
    : `${ok ? "OK" : "MISMATCH"}: ${int(project.traceCount)}/${int(generated.traces)} traces, ` +
      `${int(project.sessionCount)}/${int(generated.sessions)} sessions in project ${traffic.project}`;
  if (ok || status !== 200) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
await server.stop();

const lat = latency(sent.latenciesMs);
const rate = (sent.ackedSpans / sent.wallMs) * 1000;
console.log(`\n## server: OTLP/HTTP protobuf, ${concurrency} requests in flight, ${traffic.spansPerRequest} spans/request`);
console.log(
  table(
    ["measure", "value"],
    [
      ["acknowledged spans", `${int(sent.ackedSpans)} of ${int(generated.spans)}${sent.rejectedSpans ? ` (${int(sent.rejectedSpans)} rejected)` : ""}`],
      ["wall time", `${(sent.wallMs / 1000).toFixed(1)} s`],
      ["sustained spans/s", int(rate)],
      ["requests/s", ((sent.requests / sent.wallMs) * 1000).toFixed(1)],
      ["MiB/s (protobuf)", ((sent.bytes / 2 ** 20 / sent.wallMs) * 1000).toFixed(1)],
      ["request latency p50 / p95 / max", `${ms(lat.p50)} / ${ms(lat.p95)} / ${ms(lat.max)} ms`],
      ["retries (503/429)", `${int(sent.retries)} (waited ${(sent.backoffMs / 1000).toFixed(1)} s in all)`],
      ["server peak RSS (VmHWM)", mib(proc.peakRss)],
      ["server CPU", `${(proc.cpuSeconds / (sent.wallMs / 1000)).toFixed(2)} cores (${proc.cpuSeconds.toFixed(1)} s CPU)`],
      ["verify", verified],
    ],
    false,
  ),
);
if (profDir) console.log(`\n## server CPU profile\n${summarizeProfiles(profDir)}`);

let ceiling: CeilingResult | null = null;
if (!flag("no-ceiling")) {
  log("ceiling: the same span rows, no server in front ...");
  start = performance.now();
  // Imported here so a half-edited server tree costs the ceiling, not the whole bench.
  ceiling = await import("./lib/ceiling.ts")
    .then(({ measureCeiling }) => measureCeiling(batches, log))
    .catch((error: Error) => {
      const failed = { error: `cannot load the server modules: ${error.message.split("\n")[0]}` };
      return { decodeNormalize: failed, storeWriteSpans: failed, rawInsert: failed, bareRows: failed };
    });
  log(`  ceiling measured in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  const row = (name: string, m: Measured) =>
    "error" in m ? [name, "n/a", "-", m.error.replace(/^Cannot find module '([^']*)'.*/, "missing $1")] : [name, int(m.spansPerSecond), `${((rate / m.spansPerSecond) * 100).toFixed(0)}%`, `${int(m.spans)} spans in ${(m.ms / 1000).toFixed(1)} s`];
  console.log(`\n## comparison (spans/s; "server is" = server rate / that rate)`);
  console.log(
    table(
      ["path", "spans/s", "server is", "note"],
      [
        ["server, end to end (above)", int(rate), "100%", `${concurrency} clients over loopback`],
        row("decode+normalize only (1 thread)", ceiling.decodeNormalize),
        row("store.writeSpans in-process (10k/txn)", ceiling.storeWriteSpans),
        row("ceiling: rawInsertSpans", ceiling.rawInsert),
        row(`bare rows: 1 table, key (trace_id, span_id)`, ceiling.bareRows),
      ],
    ),
  );
}
const raw = ceiling && !("error" in ceiling.rawInsert) ? ceiling.rawInsert.spansPerSecond : null;
const pass = rate >= TARGET_SPANS_PER_SECOND || (raw !== null && rate >= TARGET_CEILING_SHARE * raw);
console.log(
  `\ntarget: >= ${int(TARGET_SPANS_PER_SECOND)} spans/s or >= ${TARGET_CEILING_SHARE * 100}% of the ceiling: ` +
    `${pass ? "PASS" : "FAIL"} (${int(rate)} spans/s${raw ? `, ${((rate / raw) * 100).toFixed(0)}% of ${int(raw)}` : ", ceiling n/a"})`,
);
const bare = ceiling && !("error" in ceiling.bareRows) ? ceiling.bareRows.spansPerSecond : null;
const bareShare = bare ? rate / bare : null;
const barePass = bareShare !== null && bareShare >= TARGET_BARE_SHARE;
if (ceiling) {
  console.log(
    `target: >= ${TARGET_BARE_SHARE * 100}% of the bare-row ceiling: ` +
      (bare ? `${barePass ? "PASS" : "FAIL"} (${int(rate)} spans/s, ${((bareShare ?? 0) * 100).toFixed(0)}% of ${int(bare)})` : "n/a (bare rows not measured)"),
  );
}

writeSummary({
  bench: "ingest",
  spans: generated.spans,
  concurrency,
  spansPerSecond: rate,
  requestsPerSecond: (sent.requests / sent.wallMs) * 1000,
  latencyMs: lat,
  retries: sent.retries,
  peakRssBytes: proc.peakRss,
  serverCpuCores: proc.cpuSeconds / (sent.wallMs / 1000),
  verified,
  ceiling,
  pass,
  bareShare,
  barePass,
});
