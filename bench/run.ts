// `npm run bench`: runs the ingest, query and SDK benches one after the other (each in its own
// process, so one's memory and failure do not touch the other), then prints a summary.
//   --only ingest|query|sdk|evaluators   runs one of them
//   --only soak                 the soak (soak.bench.ts, 10 minutes by default; not in the default set)
//   --only stores               SQLite and chdb side by side on the skewed data set (--scale; not in the default set)
//   --only evaluation-load      ingest and browsing while the evaluation runner works through a
//                               backlog, against evaluations off (about 10 minutes; not in the default set)
//   --dataset skewed|uniform    the query bench: skewed.bench.ts (default: skewed traffic at 1M
//                               spans, with the mixed load) or query.bench.ts (the uniform 1M)
//   --scale 5m (or --spans 5M)  the skewed data set's size; goes to the query bench only (with
//                               --only ingest or --only sdk, --spans goes to that bench instead)
//   --ingest-spans N            the ingest bench's --spans
// Other arguments go to every bench: npm run bench -- --requests 50
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CeilingResult } from "./lib/ceiling.ts";
import { removeOnExit, track } from "./lib/cleanup.ts";
import { option } from "./lib/config.ts";
import { formatBytes } from "./lib/disk.ts";
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
  bareShare?: number | null;
  barePass?: boolean;
}
interface QueryRow {
  name: string;
  status: string;
  p95: number;
  targetMs: number;
  pass: boolean;
  wrong?: number;
  note?: string;
}
interface QuerySummary {
  bench: string;
  dataset: { spans: number; sessions: number; users: number; reused: boolean; wireBytesPerSpan?: number; diskBytesPerSpan?: number | null; maxWalBytes?: number | null };
  rows: QueryRow[];
  passed: number;
  measured: number;
  checksMissed?: string[];
  load?: { windows: Array<{ spansPerSecond: number }>; startRate: number; drift: number | null };
  mixed?: {
    cases: Array<{ name: string; idleP95: number; loadedP95: number; ratio: number; pass: boolean }>;
    aloneSpansPerSecond: number;
    withBrowsingSpansPerSecond: number;
    loss: number;
    lossPass: boolean;
    maxWalBytes: number;
    diskBytesPerSpan: number;
    wireBytesPerSpan: number;
    verified: string;
  } | null;
}

interface SoakSummary {
  minutes: number;
  maxSpansPerSecond: number | null;
  targetSpansPerSecond: number;
  heldSpansPerSecond: number;
  peakRssBytes: number;
  checks: Array<{ check: string; figure: string; pass: boolean }>;
  pass: boolean;
}

const only = option("only", "");
const datasetName = option("dataset", "skewed");
if (datasetName !== "skewed" && datasetName !== "uniform") throw new Error(`--dataset must be skewed or uniform, not "${datasetName}"`);
const BENCHES: Record<string, string> = {
  ingest: "ingest.bench.ts",
  query: datasetName === "uniform" ? "query.bench.ts" : "skewed.bench.ts",
  sdk: "sdk/overhead.bench.ts",
  evaluators: "evaluators.bench.ts",
  soak: "soak.bench.ts",
  "evaluation-load": "evaluation-load.bench.ts",
  stores: "stores.bench.ts",
};
// The soak takes 10 minutes and more: only on its own (--only soak).
const benches = only ? Object.keys(BENCHES).filter((name) => only === name) : ["ingest", "query", "sdk", "evaluators"];
if (benches.length === 0) throw new Error(`--only must be one of ${Object.keys(BENCHES).join(", ")}, not "${only}"`);

/** The arguments one bench gets: --spans/--scale select the query data set, --ingest-spans the ingest bench's size. */
function argsFor(bench: string): string[] {
  const argv = process.argv.slice(2);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    const name = match?.[1];
    const takesValue = name === "spans" || name === "scale" || name === "ingest-spans" || name === "dataset" || name === "only";
    if (!match || !takesValue) {
      out.push(argv[i]);
      continue;
    }
    const value = match[2] ?? argv[++i] ?? "";
    if (name === "ingest-spans" && bench === "ingest") out.push("--spans", value);
    else if (name === "spans" && (only === "ingest" || only === "sdk") && bench === only) out.push("--spans", value);
    else if ((name === "spans" || name === "scale") && (bench === "stores" || (bench === "query" && datasetName === "skewed"))) out.push("--scale", value);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "threadline-bench-"));
removeOnExit(dir);
const results = new Map<string, { code: number | null; summary: unknown }>();

console.log(`# Threadline benchmarks  ${machine()}`);
for (const name of benches) {
  const summaryFile = join(dir, `${name}.json`);
  const child = spawn(process.execPath, ["--max-old-space-size=8192", join(import.meta.dirname, BENCHES[name]), ...argsFor(name)], {
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
    if (s.ceiling?.bareRows) {
      console.log(
        `        ${s.barePass ? "PASS" : "FAIL"} (target >= 50% of the bare-row ceiling)` + ceiling("bare rows", s.ceiling.bareRows),
      );
    }
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
        `${int(s.dataset.users)} users (${s.bench === "skewed" ? "skewed" : "uniform"} data set)${unsupported ? `; ${unsupported} not supported yet` : ""}`,
    );
    const over = failing.filter((r) => !(r.p95 <= r.targetMs));
    const wrong = failing.filter((r) => r.wrong);
    if (over.length) console.log(`        over target: ${over.map((r) => `${r.name} (p95 ${ms(r.p95)} > ${r.targetMs} ms)`).join(", ")}`);
    if (wrong.length) console.log(`        wrong answers: ${wrong.map((r) => `${r.name} (${r.note})`).join(", ")}`);
    if (s.checksMissed?.length) console.log(`        checks that let an unfiltered answer through: ${s.checksMissed.join(", ")}`);
    const w = s.load?.windows;
    if (w && w.length >= 2 && s.load?.drift != null) {
      console.log(
        `        load: ${int(s.load.startRate)} spans/s at the start (the faster of the first two ~10% windows), ${int(w.at(-1)!.spansPerSecond)} over the last ` +
          `(${s.load.drift >= 0 ? "+" : ""}${(s.load.drift * 100).toFixed(0)}%; ${s.load.drift >= -0.1 ? "PASS" : "FAIL"}, target at most 10% slower)` +
          (s.dataset.maxWalBytes != null ? `; WAL max ${formatBytes(s.dataset.maxWalBytes)}` : "") +
          (s.dataset.diskBytesPerSpan != null && s.dataset.wireBytesPerSpan ? `; ${int(s.dataset.diskBytesPerSpan)} B/span on disk vs ${int(s.dataset.wireBytesPerSpan)} on the wire` : ""),
      );
    }
    const m = s.mixed;
    if (m) {
      console.log(
        `mixed:  browsing under ingest: ${m.cases.map((c) => `${c.name.replace(/ \(.*\)$/, "")} p95 ${ms(c.idleP95)} -> ${ms(c.loadedP95)} ms (${c.ratio.toFixed(1)}x, ${c.pass ? "PASS" : "FAIL"})`).join("; ")} (target <= 2x idle)`,
      );
      console.log(
        `        ingest ${int(m.aloneSpansPerSecond)} spans/s alone, ${int(m.withBrowsingSpansPerSecond)} with browsing ` +
          `(${m.loss >= 0 ? "-" : "+"}${(Math.abs(m.loss) * 100).toFixed(0)}%, ${m.lossPass ? "PASS" : "FAIL"}, target loses <= 10%); ` +
          `WAL max ${formatBytes(m.maxWalBytes)}; ${int(m.diskBytesPerSpan)} B/span on disk vs ${int(m.wireBytesPerSpan)} on the wire; ${m.verified}`,
      );
      const over = m.cases.filter((c) => !c.pass);
      if (over.length || !m.lossPass) {
        console.log(`        over target: ${[...over.map((c) => `${c.name} under load (${c.ratio.toFixed(1)}x idle p95)`), ...(m.lossPass ? [] : ["ingest with browsing"])].join(", ")}`);
      }
    }
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
const evaluators = results.get("evaluators");
if (evaluators) {
  const s = evaluators.summary as { precision: number; recall: number; accuracy: number; firstTurn: number; conversations: number; pass: boolean } | null;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (!s) console.log(`evals:  FAILED (exit code ${evaluators.code})`);
  else console.log(`evals:  ${s.pass ? "PASS" : "FAIL"} user_frustration on ${s.conversations} labelled conversations: precision ${pct(s.precision)}, recall ${pct(s.recall)} (targets 80%), accuracy ${pct(s.accuracy)}, first frustrated turn ${pct(s.firstTurn)}`);
}
const load = results.get("evaluation-load");
if (load) {
  const s = load.summary as { loss: number; queryChanges: number[]; jobs: number } | null;
  if (!s) console.log(`evaluation-load: FAILED (exit code ${load.code})`);
  else {
    const worst = Math.max(...s.queryChanges);
    console.log(`evaluation-load: ${s.loss <= 0.1 && worst <= 0.1 ? "PASS" : "FAIL"} ingest ${(-s.loss * 100).toFixed(1)}%, worst query p95 ${worst >= 0 ? "+" : ""}${(worst * 100).toFixed(0)}% (targets -10%, +10%), ${int(s.jobs)} evaluations done meanwhile`);
  }
}
const soak = results.get("soak");
if (soak) {
  const s = soak.summary as SoakSummary | null;
  if (!s) console.log(`soak:   FAILED (exit code ${soak.code})`);
  else {
    console.log(
      `soak:   ${s.pass ? "PASS" : "FAIL"} over ${s.minutes} min at ${int(s.targetSpansPerSecond)} spans/s` +
        `${s.maxSpansPerSecond ? ` (half of ${int(s.maxSpansPerSecond)})` : ""}, held ${int(s.heldSpansPerSecond)}; server peak RSS ${mib(s.peakRssBytes)}`,
    );
    console.log(`        ${s.checks.map((c) => `${c.check} ${c.pass ? "PASS" : "FAIL"}`).join("; ")}`);
    const failed = s.checks.filter((c) => !c.pass);
    if (failed.length) console.log(`        failed: ${failed.map((c) => `${c.check}: ${c.figure}`).join("; ")}`);
  }
}
process.exitCode = [...results.values()].some((r) => r.code !== 0) ? 1 : 0;
