// Runs query cases against a server: one unmeasured probe per case (it tells whether the
// endpoint exists and warms it up), then sequential requests over one keep-alive connection,
// p50/p95/max against the case's target, and the case's check of every answer.
import { getJson } from "./http.ts";
import { log } from "./report.ts";
import { latency, ms, table } from "./stats.ts";

export interface Case {
  name: string;
  targetMs: number;
  /** The path to measure in iteration `i`; may make unmeasured requests first (cursor pages). */
  path(i: number): string | Promise<string>;
  /** A problem with the answer (e.g. a filter not applied), or null. */
  check?(body: unknown, path: string): string | null;
  /**
   * The query parameters that make this case what it is (a filter, a sort). Without them the
   * check must fail: verifyChecks() asks the server for the path without them to prove it.
   */
  essential?: string[];
}

export interface Row {
  name: string;
  targetMs: number;
  status: "measured" | "unsupported" | "error";
  note: string;
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** Answers that failed the case's check (a filter not applied, a wrong count). */
  wrong: number;
  /** p95 within the target, every answer a 200 that passed its check. */
  pass: boolean;
}

export interface MeasureOptions {
  requests: number;
  /** Stop a case after this long (with at least 5 answers): a pathological case cannot hold up the run. */
  budgetMs?: number;
}

export async function measureCase(base: string, c: Case, options: MeasureOptions): Promise<Row> {
  const row: Row = { name: c.name, targetMs: c.targetMs, status: "measured", note: "", n: 0, p50: NaN, p95: NaN, max: NaN, wrong: 0, pass: false };
  const probePath = await c.path(0);
  const probe = await getJson<{ error?: string }>(base + probePath);
  if (probe.status === 400 || probe.status === 404) {
    row.status = "unsupported";
    row.note = `not supported yet (${probe.status}: ${String(probe.body?.error ?? probe.body).slice(0, 60)})`;
    return row;
  }
  if (probe.status !== 200) {
    row.status = "error";
    row.note = `answered ${probe.status}: ${String(probe.body?.error ?? probe.body).slice(0, 60)}`;
    return row;
  }
  const samples: number[] = [];
  const problems = new Map<string, number>();
  let failures = 0;
  const started = performance.now();
  let i = 1;
  for (; i <= options.requests; i++) {
    if (options.budgetMs && i > 5 && performance.now() - started > options.budgetMs) break;
    const path = await c.path(i);
    const reply = await getJson(base + path);
    if (reply.status !== 200) {
      failures++;
      continue;
    }
    samples.push(reply.ms);
    const problem = c.check?.(reply.body, path);
    if (problem) {
      row.wrong++;
      const key = problem.replace(/\(session .*\)|\(user .*\)/, "").trim();
      problems.set(key, (problems.get(key) ?? 0) + 1);
    }
  }
  Object.assign(row, latency(samples));
  row.pass = samples.length > 0 && row.p95 <= c.targetMs && failures === 0 && row.wrong === 0;
  const notes = [...problems].map(([problem, n]) => `${problem} x${n}`);
  if (failures) notes.unshift(`${failures} non-200`);
  if (i <= options.requests) notes.push(`stopped after ${samples.length} (time budget)`);
  row.note = notes.join("; ");
  return row;
}

export async function measureCases(base: string, cases: Case[], options: MeasureOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of cases) {
    const row = await measureCase(base, c, options);
    rows.push(row);
    if (row.status === "measured") log(`  ${c.name}: p50 ${ms(row.p50)} ms, p95 ${ms(row.p95)} ms`);
    else log(`  ${c.name}: ${row.note}`);
  }
  return rows;
}

export function result(r: Row): string {
  if (r.status !== "measured") return r.status === "unsupported" ? "n/a" : "ERROR";
  return r.wrong > 0 ? "WRONG" : r.pass ? "pass" : "FAIL";
}

export function rowsTable(rows: Row[], withCount = false): string {
  return table(
    ["endpoint", ...(withCount ? ["n"] : []), "p50", "p95", "max", "target", "result", "note"],
    rows.map((r) => [r.name, ...(withCount ? [String(r.n)] : []), ms(r.p50), ms(r.p95), ms(r.max), `${r.targetMs} ms`, result(r), r.note]),
  );
}

/** The path without the named query parameters. */
export function without(path: string, names: string[]): string {
  const url = new URL(path, "http://x");
  for (const name of names) url.searchParams.delete(name);
  return url.pathname + url.search;
}

/**
 * Proves the checks: for every case with `essential` parameters, the answer to the same path
 * without them must fail the case's check (else the check would not notice a server that
 * ignores the filter). A path whose unfiltered answer happens to be right (a time window at the
 * very end of the data) proves nothing, so up to three of the case's paths are tried. Returns the
 * cases whose check let every unfiltered answer through.
 */
export async function verifyChecks(base: string, cases: Case[], tries = 3): Promise<{ verified: number; missed: string[] }> {
  let verified = 0;
  const missed: string[] = [];
  for (const c of cases) {
    if (!c.essential?.length || !c.check) continue;
    let caught = false;
    let status = 200;
    for (let i = 1; i <= tries && !caught; i++) {
      const original = await c.path(i);
      const reply = await getJson(base + without(original, c.essential));
      status = reply.status;
      if (status !== 200) break;
      // The unfiltered answer, checked against what the filtered path asked for.
      caught = c.check(reply.body, original) !== null;
    }
    if (caught) verified++;
    else if (status !== 200) missed.push(`${c.name} (the path without ${c.essential.join(", ")} answered ${status})`);
    else missed.push(`${c.name} (its check passed the answers without ${c.essential.join(", ")})`);
  }
  return { verified, missed };
}
