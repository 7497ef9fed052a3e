// The mixed load: an ingest client at full speed and a person browsing, on one server. The
// browsing client makes `rate` requests per second, alternating the two cases it is given (a
// sessions list page, a session's detail), one at a time over its own keep-alive connection;
// the ingest client keeps `concurrency` OTLP requests in flight over its own connections (on its
// own thread in the skewed bench: ingestPhasesOnThread).
import { Worker } from "node:worker_threads";
import type { Batch } from "../traffic.ts";
import { agent, getJson } from "./http.ts";
import type { Case } from "./measure.ts";
import { sendAll } from "./otlp-client.ts";
import { latency, type Latency } from "./stats.ts";

export interface Browsed {
  seconds: number;
  /** Requests per second actually made (below `rate` when answers took longer than the pace). */
  rate: number;
  cases: Array<{ name: string; targetMs: number; latency: Latency; failures: number; problems: string[] }>;
}

/** Browses at `rate` requests per second for `seconds`, or until `stop()`. */
export async function browse(
  base: string,
  cases: Case[],
  options: { seconds: number; rate: number; stop?: () => boolean; onAnswer?: (k: number, status: number, ms: number, body: unknown) => void },
): Promise<Browsed> {
  const via = agent(1);
  const samples = cases.map(() => [] as number[]);
  const failures = cases.map(() => 0);
  const problems = cases.map(() => new Map<string, number>());
  const started = performance.now();
  let i = 0;
  for (;; i++) {
    const due = started + (i * 1000) / options.rate;
    if (due - started > options.seconds * 1000 || options.stop?.()) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (options.stop?.()) break;
    const k = i % cases.length;
    const path = await cases[k].path(i);
    const reply = await getJson(base + path, via);
    options.onAnswer?.(k, reply.status, reply.ms, reply.body);
    if (reply.status !== 200) {
      failures[k]++;
      continue;
    }
    samples[k].push(reply.ms);
    const problem = cases[k].check?.(reply.body, path);
    if (problem) problems[k].set(problem, (problems[k].get(problem) ?? 0) + 1);
  }
  via.destroy();
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    rate: i / seconds,
    cases: cases.map((c, k) => ({
      name: c.name,
      targetMs: c.targetMs,
      latency: latency(samples[k]),
      failures: failures[k],
      problems: [...problems[k]].map(([p, n]) => `${p} x${n}`),
    })),
  };
}

export interface Ingested {
  spans: number;
  seconds: number;
  spansPerSecond: number;
  /** Latency of the requests acknowledged in the phase. */
  latency: Latency;
}

/** Sends from `batches` (a shared iterator: a later call continues where this one stopped) for `seconds`. */
export async function ingestFor(base: string, batches: Iterator<Batch> & Iterable<Batch>, seconds: number, concurrency: number) {
  const until = performance.now() + seconds * 1000;
  const sent = await sendAll(base, batches, { concurrency, stop: () => performance.now() >= until });
  return { spans: sent.ackedSpans, bytes: sent.bytes, seconds: sent.wallMs / 1000, spansPerSecond: (sent.ackedSpans / sent.wallMs) * 1000, retries: sent.retries, latency: latency(sent.latenciesMs) };
}

/**
 * One ingest client that never pauses, through consecutive phases of `seconds[k]` each; a phase's
 * rate counts the requests acknowledged within it, so no phase pays for filling or draining the
 * pipeline (the client drains once, after the last). `onPhase(k)` runs as phase k begins.
 */
export async function ingestPhases(
  base: string,
  batches: Iterator<Batch> & Iterable<Batch>,
  seconds: number[],
  concurrency: number,
  onPhase: (k: number) => void,
): Promise<{ phases: Ingested[]; spans: number; bytes: number; retries: number }> {
  const start = performance.now();
  const bounds = seconds.map((_, k) => start + seconds.slice(0, k + 1).reduce((a, b) => a + b, 0) * 1000);
  const phases = seconds.map(() => ({ spans: 0, latencies: [] as number[] }));
  let last = 0;
  let current = 0;
  onPhase(0);
  const timers = bounds.slice(0, -1).map((at, k) => setTimeout(() => onPhase(k + 1), at - start));
  const sent = await sendAll(base, batches, {
    concurrency,
    stop: () => performance.now() >= bounds.at(-1)!,
    onAck: (acked, now, latencyMs) => {
      while (current < bounds.length && now >= bounds[current]) current++;
      if (current < phases.length) {
        phases[current].spans += acked - last;
        phases[current].latencies.push(latencyMs);
      }
      last = acked;
    },
  }).finally(() => timers.forEach(clearTimeout));
  return {
    phases: phases.map((p, k) => ({ spans: p.spans, seconds: seconds[k], spansPerSecond: p.spans / seconds[k], latency: latency(p.latencies) })),
    spans: sent.ackedSpans,
    bytes: sent.bytes,
    retries: sent.retries,
  };
}

/**
 * ingestPhases on a worker thread, sending what is left of `batches` (their buffers move to the
 * thread): the browsing client on this thread then measures the server, not its own event loop.
 */
export function ingestPhasesOnThread(
  base: string,
  batches: Iterator<Batch> & Iterable<Batch>,
  seconds: number[],
  concurrency: number,
  onPhase: (k: number) => void,
): Promise<Awaited<ReturnType<typeof ingestPhases>>> {
  const rest = [...batches];
  const worker = new Worker(new URL("./ingest-phases-worker.ts", import.meta.url), {
    workerData: { base, batches: rest, seconds, concurrency },
    transferList: rest.map((b) => b.body.buffer as ArrayBuffer),
  });
  return new Promise((resolve, reject) => {
    let result: Awaited<ReturnType<typeof ingestPhases>> | null = null;
    worker.on("message", (message: { phase?: number; result?: typeof result }) => {
      if (message.phase !== undefined) onPhase(message.phase);
      if (message.result) result = message.result;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`ingest thread exited with ${code}`))));
  });
}
