// The soak's windows: every `seconds`, the server's RSS (mean and max of 1 s samples, and its
// anonymous part), its CPU, the spans acknowledged and each client's p50/p99 in the window
// (a request counts in the window its answer arrived in). Then the verdicts over the windows.
import { procStats, type ProcStats } from "./server.ts";
import { int, mib, ms, percentile } from "./stats.ts";

export const CLIENTS = ["ingest", "query", "annotate"] as const;
export type Client = (typeof CLIENTS)[number];

export interface Window {
  index: number;
  endSeconds: number;
  rss: number;
  rssMax: number;
  rssAnon: number;
  cpuCores: number;
  spansPerSecond: number;
  /** Answers other than 200/201 (ingest: 503/429 resends are retried, not counted here). */
  errors: number;
  latency: Record<Client, { n: number; p50: number; p99: number }>;
}

export function windowRecorder(pid: number, seconds: number, count: number, onWindow: (w: Window) => void) {
  const windows: Window[] = [];
  const fresh = () => ({ spans: 0, errors: 0, samples: Object.fromEntries(CLIENTS.map((c) => [c, [] as number[]])) as Record<Client, number[]> });
  let current = fresh();
  let stats: ProcStats[] = [];
  const start = performance.now();
  let cpuBefore = procStats(pid)?.cpuSeconds ?? NaN;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const sampler = setInterval(() => {
    const s = procStats(pid);
    if (s) stats.push(s);
  }, 1000);
  const close = () => {
    const last = procStats(pid);
    if (last) stats.push(last);
    const mean = (f: (s: ProcStats) => number) => stats.reduce((sum, s) => sum + f(s), 0) / stats.length;
    const w: Window = {
      index: windows.length + 1,
      endSeconds: (performance.now() - start) / 1000,
      rss: mean((s) => s.rss),
      rssMax: Math.max(...stats.map((s) => s.rss)),
      rssAnon: mean((s) => s.rssAnon),
      cpuCores: last ? (last.cpuSeconds - cpuBefore) / seconds : NaN,
      spansPerSecond: current.spans / seconds,
      errors: current.errors,
      latency: Object.fromEntries(
        CLIENTS.map((c) => {
          const sorted = current.samples[c].sort((a, b) => a - b);
          return [c, { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
        }),
      ) as Window["latency"],
    };
    cpuBefore = last?.cpuSeconds ?? NaN;
    windows.push(w);
    current = fresh();
    stats = [];
    onWindow(w);
    if (windows.length >= count) {
      clearInterval(closer);
      clearInterval(sampler);
      finish();
    }
  };
  const closer = setInterval(close, seconds * 1000);
  return {
    windows,
    /** Resolves when the last window has closed. */
    finished,
    done: () => windows.length >= count,
    record(client: Client, latencyMs: number, spans = 0) {
      current.samples[client].push(latencyMs);
      current.spans += spans;
    },
    error() {
      current.errors++;
    },
    stop() {
      clearInterval(closer);
      clearInterval(sampler);
      finish();
    },
  };
}

export const WINDOW_HEADER = ["window", "end s", "RSS mean", "RSS max", "anon", "CPU", "spans/s", "ingest p50/p99", "query p50/p99", "annotate p50/p99", "errors"];

export function windowRow(w: Window): string[] {
  const lat = (c: Client) => `${ms(w.latency[c].p50)} / ${ms(w.latency[c].p99)}`;
  return [String(w.index), w.endSeconds.toFixed(0), mib(w.rss), mib(w.rssMax), mib(w.rssAnon), w.cpuCores.toFixed(2), int(w.spansPerSecond), lat("ingest"), lat("query"), lat("annotate"), String(w.errors)];
}

/** One window as a line, in fixed columns (the header above the first), for printing as the soak goes. */
export function windowLine(w: Window, first: boolean): string {
  const widths = [6, 5, 9, 9, 9, 4, 8, 16, 16, 16, 6];
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(Math.max(widths[i], WINDOW_HEADER[i].length))).join("  ");
  return (first ? `${line(WINDOW_HEADER)}\n` : "") + line(windowRow(w));
}

/**
 * Memory flat: the mean RSS over the last third of the windows at most this much above the
 * second window's (the first is warm-up: caches and heaps still filling). See bench/README.md.
 */
export const RSS_GROWTH_LIMIT = 0.2;
/** p99 stable: the last window's p99 at most this many times the first steady (second) window's. */
export const P99_RATIO_LIMIT = 2;

export interface Verdict {
  check: string;
  figure: string;
  limit: string;
  pass: boolean;
  value: number;
}

export function verdicts(windows: Window[]): Verdict[] {
  const out: Verdict[] = [];
  if (windows.length < 3) return out;
  const steady = windows[1];
  const lastThird = windows.slice(windows.length - Math.max(1, Math.ceil(windows.length / 3)));
  const mean = (f: (w: Window) => number) => lastThird.reduce((sum, w) => sum + f(w), 0) / lastThird.length;
  for (const [name, f] of [["RSS", (w: Window) => w.rss], ["RSS anonymous", (w: Window) => w.rssAnon]] as const) {
    const growth = mean(f) / f(steady) - 1;
    out.push({
      check: `${name} flat`,
      figure: `last third (windows ${lastThird[0].index}-${lastThird.at(-1)!.index}) mean ${mib(mean(f))} vs window 2 ${mib(f(steady))} (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%)`,
      limit: `<= +${RSS_GROWTH_LIMIT * 100}%`,
      pass: growth <= RSS_GROWTH_LIMIT,
      value: growth,
    });
  }
  const last = windows.at(-1)!;
  for (const c of CLIENTS) {
    const ratio = last.latency[c].p99 / steady.latency[c].p99;
    out.push({
      check: `${c} p99 stable`,
      figure: !steady.latency[c].n || !last.latency[c].n
        ? `no answers in window ${steady.latency[c].n ? last.index : 2} (longer windows: --window-seconds)`
        : `window ${last.index} ${ms(last.latency[c].p99)} ms vs window 2 ${ms(steady.latency[c].p99)} ms (${ratio.toFixed(2)}x; n ${last.latency[c].n} / ${steady.latency[c].n})`,
      limit: `<= ${P99_RATIO_LIMIT}x`,
      pass: ratio <= P99_RATIO_LIMIT,
      value: ratio,
    });
  }
  return out;
}
