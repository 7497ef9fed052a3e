// Query latency over a large data set (default 100k sessions, ~250k traces, ~1M spans, 10k
// users), loaded once through the real OTLP/HTTP endpoint and cached between runs. Each case is
// requested sequentially over one keep-alive connection; p50/p95/max against its target.
//
//   node bench/query.bench.ts [--sessions 100000] [--users 10000] [--requests 40] [--seed 1]
//                             [--reload] [--load-concurrency 4] [--cpu-prof]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flag, numberOption } from "./lib/config.ts";
import { ensureDataset, openDataset } from "./lib/dataset.ts";
import { measureCases, rowsTable, verifyChecks } from "./lib/measure.ts";
import { summarizeProfiles } from "./lib/profile.ts";
import { buildCases } from "./lib/queries.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer } from "./lib/server.ts";
import { int, mib } from "./lib/stats.ts";
import type { TrafficOptions } from "./traffic.ts";

const requests = numberOption("requests", 40);
const traffic: TrafficOptions = {
  seed: numberOption("seed", 1),
  project: "bench-query",
  users: numberOption("users", 10_000),
  sessions: numberOption("sessions", 100_000),
  // 1-4 turns (2.5 on average): 100k sessions make ~250k traces, ~1M spans.
  minTurns: 1,
  maxTurns: 4,
  windowMs: 14 * 24 * 3600_000,
  spansPerRequest: 1000,
};
const loadConcurrency = numberOption("load-concurrency", 4);

console.log(`# query bench  ${machine()}`);
const profDir = flag("cpu-prof") ? mkdtempSync(join(tmpdir(), "threadline-prof-")) : undefined;
const { dataset, server } = await openDataset(
  (reload) => ensureDataset(traffic, { concurrency: loadConcurrency, reload: reload || flag("reload") }),
  (dataDir) => startServer({ dataDir, cpuProfDir: profDir }),
);
const { summary } = dataset.manifest;
console.log(
  `data set: ${int(summary.spans)} spans, ${int(summary.traces)} traces, ${int(summary.sessions)} sessions, ` +
    `${int(summary.users)} users (${dataset.loaded ? "loaded in this run" : "reused from the cache"}; load ran at ` +
    `${int(dataset.manifest.load.spansPerSecond)} spans/s)`,
);
log(`server ${server.url} (pid ${server.pid}); ${requests} requests per case ...`);

const cases = buildCases(server.url, dataset.manifest);
const checks = await verifyChecks(server.url, cases);
log(`checks: ${checks.verified} filter and sort cases reject the answer without their filter or sort${checks.missed.length ? `; not: ${checks.missed.join(", ")}` : ""}`);
const rows = await measureCases(server.url, cases, { requests });
const stats = server.stats();
await server.stop();

console.log(`\n## query latency (ms, ${requests} sequential requests per case, one keep-alive connection)`);
console.log(rowsTable(rows));
const measured = rows.filter((r) => r.status === "measured");
const passed = measured.filter((r) => r.pass).length;
console.log(
  `\n${passed}/${measured.length} measured cases within target (p95); ` +
    `${rows.filter((r) => r.status === "unsupported").length} not supported yet, ${rows.filter((r) => r.status === "error").length} errors; ` +
    `server peak RSS ${stats ? mib(stats.peakRss) : "?"}` +
    (checks.missed.length ? `\nchecks that let an unfiltered answer through: ${checks.missed.join("; ")}` : ""),
);
if (profDir) console.log(`\n## server CPU profile\n${summarizeProfiles(profDir)}`);

writeSummary({
  bench: "query",
  dataset: { spans: summary.spans, traces: summary.traces, sessions: summary.sessions, users: summary.users, reused: !dataset.loaded },
  loadSpansPerSecond: dataset.manifest.load.spansPerSecond,
  rows,
  passed,
  measured: measured.length,
  peakRssBytes: stats?.peakRss ?? null,
});
