// Ingest and browsing while the evaluation runner works through a backlog, against the same
// with evaluations off, in one run: the same data set (sessions a day old, all due for evaluation
// at once) copied into two data directories; the server started on each, with evaluations off
// and on, in alternating rounds (off, on, off, on, …) so that the machine's drift falls on both;
// the same ingest and browsing load in each round. Latencies are pooled per configuration: a
// p95 of one short round moved by ±50% between identical runs. The target: ingest speed and
// query latency within 10% of evaluations off.
//   node bench/evaluation-load.bench.ts [--sessions 10000] [--seconds 40] [--rounds 3]
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeOnExit } from "./lib/cleanup.ts";
import { numberOption } from "./lib/config.ts";
import { evaluationJobsFinished } from "./lib/http.ts";
import { browse, ingestFor } from "./lib/mixed.ts";
import type { Case } from "./lib/measure.ts";
import { sendAll } from "./lib/otlp-client.ts";
import { log, machine, writeSummary } from "./lib/report.ts";
import { startServer } from "./lib/server.ts";
import { int, latency, ms, table } from "./lib/stats.ts";
import { generateTraffic } from "./traffic.ts";

export const TARGET_LOSS = 0.1;
const sessions = numberOption("sessions", 10_000);
const seconds = numberOption("seconds", 40);
const rounds = numberOption("rounds", 3);
const PROJECT = "bench-evals";

console.log(`# evaluation-load bench  ${machine()}`);
const base = mkdtempSync(join(tmpdir(), "threadline-evalload-"));
removeOnExit(base);
const write = (name: string, config: object) => {
  writeFileSync(join(base, name), JSON.stringify(config));
  return { THREADLINE_CONFIG: join(base, name), THREADLINE_LOG_LEVEL: "warn" };
};
const off = write("off.json", { evaluators: [] });
// The default idle time: the backlog (a day old) is due at once, the live sessions not within the run.
const on = write("on.json", {});

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

interface Pooled {
  spans: number;
  ingestSeconds: number;
  jobs: number;
  samples: number[][];
}

async function phase(name: string, dataDir: string, env: Record<string, string>, into: Pooled, round: number) {
  const server = await startServer({ dataDir, env });
  const list = await (await fetch(`${server.url}/api/v1/projects/${PROJECT}/sessions?limit=500`)).json() as { sessions: Array<{ sessionId: string }> };
  // Each round ingests new sessions of its own (another seed), as live traffic would.
  const live = generateTraffic({ seed: 9 + round, project: PROJECT, users: 2_000, sessions: 1_000_000, startMs: Date.now(), windowMs: 3_600_000, spansPerRequest: 500 });
  const jobsBefore = await evaluationJobsFinished(server.url, "done");
  const [ingest] = await Promise.all([
    ingestFor(server.url, live, seconds, 8),
    browse(server.url, cases(list.sessions.map((s) => s.sessionId)), { seconds, rate: 8, onAnswer: (k, status, ms) => void (status === 200 && into.samples[k].push(ms)) }),
  ]);
  const jobs = (await evaluationJobsFinished(server.url, "done")) - jobsBefore;
  await server.stop();
  into.spans += ingest.spans;
  into.ingestSeconds += ingest.seconds;
  into.jobs += jobs;
  log(`round ${round + 1}, ${name}: ${int(ingest.spansPerSecond)} spans/s, ${int(jobs)} evaluations done`);
}

const names = cases([]).map((c) => c.name);
const pool = (): Pooled => ({ spans: 0, ingestSeconds: 0, jobs: 0, samples: names.map(() => []) });
const a = pool();
const b = pool();
for (let round = 0; round < rounds; round++) {
  await phase("evaluations off", dataA, off, a, round);
  await phase("evaluations on, backlog", dataB, on, b, round);
}
const rate = (p: Pooled) => p.spans / p.ingestSeconds;
const loss = 1 - rate(b) / rate(a);
const change = (x: number, y: number) => `${((y / x - 1) * 100).toFixed(0)}%`;
console.log(`\n## ${rounds} rounds of ${seconds} s each of ingest (8 requests in flight) and browsing (8 requests/s), ${int(sessions)} sessions due for evaluation`);
console.log(table(["measure", "evaluations off", "on, working through the backlog", "change", "target"], [
  ["ingest spans/s", int(rate(a)), int(rate(b)), `${(-loss * 100).toFixed(1)}%`, `>= -${TARGET_LOSS * 100}%`],
  ["evaluations done", int(a.jobs), int(b.jobs), "", ""],
  ...names.flatMap((name, k) => {
    const [x, y] = [latency(a.samples[k]), latency(b.samples[k])];
    return [
      [`${name} p50 ms (n=${x.n}/${y.n})`, ms(x.p50), ms(y.p50), change(x.p50, y.p50), ""],
      [`${name} p95 ms`, ms(x.p95), ms(y.p95), change(x.p95, y.p95), "<= +10%"],
    ];
  }),
]));
const queryChanges = names.map((_, k) => latency(b.samples[k]).p95 / latency(a.samples[k]).p95 - 1);
writeSummary({ bench: "evaluation-load", sessions, seconds, rounds, ingestOff: rate(a), ingestOn: rate(b), loss, jobs: b.jobs, queryChanges });
