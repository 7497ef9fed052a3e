// Ingest and browsing while the evaluation runner works through a backlog, against the same
// with evaluations off, in one run: the same data set (sessions a day old, all due for evaluation
// at once) copied into two data directories; the server started on each, with evaluations off
// and on; the same ingest and browsing load for the same time. The target: ingest speed and
// query latency within 10% of evaluations off.
//   node bench/evaluation-load.bench.ts [--sessions 20000] [--seconds 60]
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeOnExit } from "./lib/cleanup.ts";
import { numberOption } from "./lib/config.ts";
import { browse, ingestFor } from "./lib/mixed.ts";
import type { Case } from "./lib/measure.ts";
import { sendAll } from "./lib/otlp-client.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer } from "./lib/server.ts";
import { int, ms, table } from "./lib/stats.ts";
import { generateTraffic } from "./traffic.ts";

export const TARGET_LOSS = 0.1;
const sessions = numberOption("sessions", 20_000);
const seconds = numberOption("seconds", 60);
const PROJECT = "bench-evals";

console.log(`# evaluation-load bench  ${machine()}`);
const base = mkdtempSync(join(tmpdir(), "threadline-evalload-"));
removeOnExit(base);
const write = (name: string, config: object) => {
  writeFileSync(join(base, name), JSON.stringify(config));
  return { THREADLINE_CONFIG: join(base, name), THREADLINE_LOG_LEVEL: "warn" };
};
const off = write("off.json", { evaluators: [] });
const on = write("on.json", { sessionIdle: "1s" });

// The backlog: sessions that ended a day ago, loaded with evaluations off.
const dataA = join(base, "a");
{
  const server = await startServer({ dataDir: dataA, env: off });
  const backlog = [...generateTraffic({ seed: 3, project: PROJECT, users: 2_000, sessions, startMs: Date.now() - 2 * 86_400_000, windowMs: 86_400_000, spansPerRequest: 500 })];
  const sent = await sendAll(server.url, backlog, { concurrency: 8 });
  log(`backlog: ${int(sessions)} sessions, ${int(sent.ackedSpans)} spans loaded`);
  await server.stop();
}
const dataB = join(base, "b");
cpSync(dataA, dataB, { recursive: true });

const cases = (sessionIds: string[]): Case[] => [
  { name: "sessions newest first", targetMs: 50, path: () => `/api/v1/projects/${PROJECT}/sessions?limit=50` },
  { name: "session detail", targetMs: 20, path: (i) => `/api/v1/projects/${PROJECT}/sessions/${encodeURIComponent(sessionIds[i % sessionIds.length])}` },
  { name: "sessions sort=totalTokens", targetMs: 50, path: () => `/api/v1/projects/${PROJECT}/sessions?limit=50&sort=totalTokens` },
  { name: "session-stats", targetMs: 100, path: () => `/api/v1/projects/${PROJECT}/session-stats` },
];

async function phase(name: string, dataDir: string, env: Record<string, string>) {
  const server = await startServer({ dataDir, env });
  const list = await (await fetch(`${server.url}/api/v1/projects/${PROJECT}/sessions?limit=500`)).json() as { sessions: Array<{ sessionId: string }> };
  const live = generateTraffic({ seed: 9, project: PROJECT, users: 2_000, sessions: 1_000_000, startMs: Date.now(), windowMs: 3_600_000, spansPerRequest: 500 });
  const jobsBefore = await jobsDone(server.url);
  const [ingest, browsing] = await Promise.all([
    ingestFor(server.url, live, seconds, 8),
    browse(server.url, cases(list.sessions.map((s) => s.sessionId)), { seconds, rate: 8 }),
  ]);
  const jobs = (await jobsDone(server.url)) - jobsBefore;
  await server.stop();
  log(`${name}: ${int(ingest.spansPerSecond)} spans/s, ${int(jobs)} evaluations done`);
  return { ingest, browsing, jobs };
}

async function jobsDone(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^threadline_evaluation_jobs_total\{[^}]*outcome="done"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const a = await phase("evaluations off", dataA, off);
const b = await phase("evaluations on, backlog", dataB, on);
const loss = 1 - b.ingest.spansPerSecond / a.ingest.spansPerSecond;
console.log(`\n## ${seconds} s of ingest (8 requests in flight) and browsing (8 requests/s), ${int(sessions)} sessions due for evaluation`);
console.log(table(["measure", "evaluations off", "on, working through the backlog", "change", "target"], [
  ["ingest spans/s", int(a.ingest.spansPerSecond), int(b.ingest.spansPerSecond), `${(-loss * 100).toFixed(1)}%`, `>= -${TARGET_LOSS * 100}%`],
  ["evaluations done", int(a.jobs), int(b.jobs), "", ""],
  ...a.browsing.cases.map((c, k) => {
    const other = b.browsing.cases[k];
    return [`${c.name} p95 ms`, ms(c.latency.p95), ms(other.latency.p95), `${(((other.latency.p95 / c.latency.p95) - 1) * 100).toFixed(0)}%`, "<= +10%"];
  }),
]));
const queryChanges = a.browsing.cases.map((c, k) => b.browsing.cases[k].latency.p95 / c.latency.p95 - 1);
writeSummary({ bench: "evaluation-load", sessions, seconds, ingestOff: a.ingest.spansPerSecond, ingestOn: b.ingest.spansPerSecond, loss, jobs: b.jobs, queryChanges });
