// `npm run bench`: runs the ingest, query and SDK benches one after the other (each in its own
// process, so one's memory and failure do not touch the other), then prints a summary.
// Arguments go to every bench: npm run bench -- --spans 500000 --requests 50
// --only ingest|query|sdk runs one of them.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CeilingResult } from "./lib/ceiling.ts";
import { removeOnExit, track } from "./lib/cleanup.ts";
import { option } from "./lib/config.ts";
import { machine } from "./lib/report.ts";
import { int, mib, ms } from "./lib/stats.ts";

interface IngestSummary {
  spans: number;
  spansPerSecond: number;
  latencyMs: { p50: number; p95: number };
  retries: number;
  peakRssBytes: number;
  verified: string;
  ceiling: CeilingResult | null;
  pass: boolean;
}
interface QuerySummary {
  dataset: { spans: number; sessions: number; users: number; reused: boolean };
  rows: Array<{ name: string; status: string; p95: number; targetMs: number; pass: boolean }>;
  passed: number;
  measured: number;
}

const only = option("only", "");
const BENCHES: Record<string, string> = { ingest: "ingest.bench.ts", query: "query.bench.ts", sdk: "sdk/overhead.bench.ts" };
const benches = Object.keys(BENCHES).filter((name) => !only || only === name);
const dir = mkdtempSync(join(tmpdir(), "threadline-bench-"));
removeOnExit(dir);
const results = new Map<string, { code: number | null; summary: unknown }>();

console.log(`# Threadline benchmarks  ${machine()}`);
for (const name of benches) {
  const summaryFile = join(dir, `${name}.json`);
  const child = spawn(process.execPath, ["--max-old-space-size=8192", join(import.meta.dirname, BENCHES[name]), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_SUMMARY_FILE: summaryFile },
  });
  track(child);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (status) => resolve(status)));
  let summary: unknown = null;
  try {
    summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  } catch {
    // the bench failed before writing it
  }
  results.set(name, { code, summary });
  console.log("");
}

console.log("# summary");
const ingest = results.get("ingest");
if (ingest) {
  const s = ingest.summary as IngestSummary | null;
  if (!s) console.log(`ingest: FAILED (exit code ${ingest.code})`);
  else {
    const ceiling = (name: string, m: CeilingResult[keyof CeilingResult] | undefined) =>
      !m ? "" : "error" in m ? `; ${name} n/a` : `; ${name} ${int(m.spansPerSecond)} spans/s (server = ${((s.spansPerSecond / m.spansPerSecond) * 100).toFixed(0)}%)`;
    console.log(
      `ingest: ${int(s.spansPerSecond)} spans/s over ${int(s.spans)} spans, p50/p95 ${ms(s.latencyMs.p50)}/${ms(s.latencyMs.p95)} ms, ` +
        `${s.retries} retries, server peak RSS ${mib(s.peakRssBytes)}; ${s.verified}`,
    );
    console.log(
      `        ${s.pass ? "PASS" : "FAIL"} (target >= 50,000 spans/s or >= 50% of the ceiling)` +
        ceiling("store.writeSpans", s.ceiling?.storeWriteSpans) +
        ceiling("raw insert ceiling", s.ceiling?.rawInsert),
    );
  }
}
const query = results.get("query");
if (query) {
  const s = query.summary as QuerySummary | null;
  if (!s) console.log(`query:  FAILED (exit code ${query.code})`);
  else {
    const failing = s.rows.filter((r) => r.status === "measured" && !r.pass);
    const unsupported = s.rows.filter((r) => r.status === "unsupported").length;
    console.log(
      `query:  ${s.passed}/${s.measured} cases within target at ${int(s.dataset.spans)} spans, ${int(s.dataset.sessions)} sessions, ` +
        `${int(s.dataset.users)} users${unsupported ? `; ${unsupported} not supported yet` : ""}` +
        (failing.length ? `; over target: ${failing.map((r) => `${r.name} (p95 ${ms(r.p95)} > ${r.targetMs} ms)`).join(", ")}` : ""),
    );
  }
}
const sdk = results.get("sdk");
if (sdk) {
  const s = sdk.summary as Record<string, Record<string, { overhead: number }>> | null;
  if (!s) console.log(`sdk:    FAILED (exit code ${sdk.code})`);
  else {
    const rows = Object.entries(s).filter(([, setups]) => setups.Threadline);
    console.log(`sdk:    overhead per span or call, Threadline vs the others (ns): ${rows
      .map(([scenario, setups]) => `${scenario}: ${Object.entries(setups).filter(([name]) => name !== "bare provider" && setups[name].overhead !== undefined).map(([name, v]) => `${name} ${Math.round(v.overhead)}`).join(", ")}`)
      .join("; ")}`);
  }
}
process.exitCode = [...results.values()].some((r) => r.code !== 0) ? 1 : 0;
