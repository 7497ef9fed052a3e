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
import { ensureDataset, type Dataset } from "./lib/dataset.ts";
import { getJson } from "./lib/http.ts";
import { summarizeProfiles } from "./lib/profile.ts";
import { buildCases } from "./lib/queries.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer, type ServerHandle } from "./lib/server.ts";
import { int, latency, mib, ms, table } from "./lib/stats.ts";
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
const loadOptions = { concurrency: numberOption("load-concurrency", 4), reload: flag("reload") };

console.log(`# query bench  ${machine()}`);
let dataset: Dataset = await ensureDataset(traffic, loadOptions);
const profDir = flag("cpu-prof") ? mkdtempSync(join(tmpdir(), "threadline-prof-")) : undefined;
let server: ServerHandle;
try {
  server = await startServer({ dataDir: dataset.dataDir, cpuProfDir: profDir });
} catch (error) {
  if (dataset.loaded) throw error;
  // A cached data set the server no longer opens (format changed): load it again, once.
  log(`server refused the cached data set (${(error as Error).message.split("\n")[0]}); reloading`);
  dataset = await ensureDataset(traffic, { ...loadOptions, reload: true });
  server = await startServer({ dataDir: dataset.dataDir, cpuProfDir: profDir });
}
const { summary } = dataset.manifest;
console.log(
  `data set: ${int(summary.spans)} spans, ${int(summary.traces)} traces, ${int(summary.sessions)} sessions, ` +
    `${int(summary.users)} users (${dataset.loaded ? "loaded in this run" : "reused from the cache"}; load ran at ` +
    `${int(dataset.manifest.load.spansPerSecond)} spans/s)`,
);
log(`server ${server.url} (pid ${server.pid}); ${requests} requests per case ...`);

interface Row {
  name: string;
  targetMs: number;
  status: "measured" | "unsupported" | "error";
  note: string;
  p50: number;
  p95: number;
  max: number;
  pass: boolean;
}
const rows: Row[] = [];
for (const c of buildCases(server.url, dataset.manifest)) {
  const row: Row = { name: c.name, targetMs: c.targetMs, status: "measured", note: "", p50: NaN, p95: NaN, max: NaN, pass: false };
  rows.push(row);
  // One unmeasured request first: it tells whether the endpoint exists and warms it up.
  const probePath = await c.path(0);
  const probe = await getJson<{ error?: string }>(server.url + probePath);
  if (probe.status === 400 || probe.status === 404) {
    row.status = "unsupported";
    row.note = `not supported yet (${probe.status}: ${String(probe.body?.error ?? probe.body).slice(0, 60)})`;
    continue;
  }
  if (probe.status !== 200) {
    row.status = "error";
    row.note = `answered ${probe.status}: ${String(probe.body?.error ?? probe.body).slice(0, 60)}`;
    continue;
  }
  const samples: number[] = [];
  const problems = new Map<string, number>();
  let failures = 0;
  for (let i = 1; i <= requests; i++) {
    const path = await c.path(i);
    const reply = await getJson(server.url + path);
    if (reply.status !== 200) {
      failures++;
      continue;
    }
    samples.push(reply.ms);
    const problem = c.check?.(reply.body, path);
    if (problem) {
      const key = problem.replace(/\(session .*\)/, "").trim();
      problems.set(key, (problems.get(key) ?? 0) + 1);
    }
  }
  Object.assign(row, latency(samples));
  row.pass = samples.length > 0 && row.p95 <= c.targetMs && failures === 0;
  const notes = [...problems].map(([problem, n]) => `${problem} x${n}`);
  if (failures) notes.unshift(`${failures} non-200`);
  row.note = notes.join("; ");
  log(`  ${c.name}: p50 ${ms(row.p50)} ms, p95 ${ms(row.p95)} ms`);
}
const stats = server.stats();
await server.stop();

console.log(`\n## query latency (ms, ${requests} sequential requests per case, one keep-alive connection)`);
console.log(
  table(
    ["endpoint", "p50", "p95", "max", "target", "result", "note"],
    rows.map((r) => [
      r.name,
      ms(r.p50),
      ms(r.p95),
      ms(r.max),
      `${r.targetMs} ms`,
      r.status === "measured" ? (r.pass ? "pass" : "FAIL") : r.status === "unsupported" ? "n/a" : "ERROR",
      r.note,
    ]),
  ),
);
const measured = rows.filter((r) => r.status === "measured");
const passed = measured.filter((r) => r.pass).length;
console.log(
  `\n${passed}/${measured.length} measured cases within target (p95); ` +
    `${rows.filter((r) => r.status === "unsupported").length} not supported yet, ${rows.filter((r) => r.status === "error").length} errors; ` +
    `server peak RSS ${stats ? mib(stats.peakRss) : "?"}`,
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
