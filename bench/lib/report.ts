// What every bench prints first (the machine) and writes last (a JSON summary for bench/run.ts).
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";

export function machine(): string {
  const cpu = cpus()[0]?.model?.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  return `${new Date().toISOString()}  nproc ${availableParallelism()}  ${(totalmem() / 2 ** 30).toFixed(1)} GiB  Node ${process.version}  ${cpu}`;
}

/** bench/run.ts passes BENCH_SUMMARY_FILE; run directly, a bench just prints. */
export function writeSummary(summary: unknown): void {
  const file = process.env.BENCH_SUMMARY_FILE;
  if (file) writeFileSync(file, JSON.stringify(summary, null, 2));
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
