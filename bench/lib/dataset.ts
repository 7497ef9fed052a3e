// The query benches' data sets: generated traffic loaded into a data dir through the real
// OTLP/HTTP endpoint of a server child process, cached under a cache root between runs. The cache
// key names the generator, its version and options, and a hash of the server's schema file, so
// a changed generator or database format reloads; --reload forces it.
//
// ensureLoaded() is the general loader (any generator, an optional step after the spans, such as
// annotations through the API); ensureDataset() is the uniform data set of query.bench.ts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENERATOR_VERSION, emptySummary, generateTraffic, resolveOptions, type Batch, type TrafficOptions, type TrafficSummary } from "../traffic.ts";
import { ROOT } from "./config.ts";
import { diskUsage, sampleWal, type DiskUsage } from "./disk.ts";
import { getJson } from "./http.ts";
import { sendAll } from "./otlp-client.ts";
import { log } from "./report.ts";
import { startServer, type ServerHandle } from "./server.ts";
import { int } from "./stats.ts";

export const CACHE_ROOT = process.env.BENCH_CACHE_DIR ?? "/tmp/threadline-bench-1m";
const SCHEMA_FILE = `${ROOT}/packages/server/src/store/sqlite/schema.ts`;

/** What every generator's summary has (the loader checks the server against it). */
export interface LoadedSummary {
  project: string;
  spans: number;
  traces: number;
  sessions: number;
  bytes: number;
}

export interface RateWindow {
  /** Spans acknowledged at the window's end. */
  toSpans: number;
  seconds: number;
  spansPerSecond: number;
}

export interface LoadStats {
  spansPerSecond: number;
  wallSeconds: number;
  retries: number;
  loadedAt: string;
  /** The load's rate per ~10% of the spans, in order (absent in manifests of older benches). */
  windows?: RateWindow[];
  /** The largest the WAL file grew to during the load, sampled every 500 ms. */
  maxWalBytes?: number;
  /** The data dir right after the load (server still running) and after the server stopped. */
  disk?: { afterLoad: DiskUsage; afterStop: DiskUsage };
  /** What the step after the spans reported (e.g. the annotations posted). */
  after?: unknown;
}

export interface Manifest<O = Required<TrafficOptions>, S = TrafficSummary> {
  key: string;
  traffic: O;
  summary: S;
  load: LoadStats;
}

export interface Dataset<O = Required<TrafficOptions>, S = TrafficSummary> {
  dataDir: string;
  manifest: Manifest<O, S>;
  /** Loaded in this run (false: reused from the cache). */
  loaded: boolean;
}

export interface DatasetSpec<O, S extends LoadedSummary> {
  /** The cache root: one directory per data set under it. */
  root: string;
  /** Generator, version and options; the schema hash is appended. */
  key: string;
  /** Other cached data sets of this root that this one replaces (removed when it loads). */
  replaces: (name: string) => boolean;
  traffic: O;
  emptySummary: () => S;
  generate: (summary: S) => Iterable<Batch>;
  /** About how many spans (for the log and the rate windows). */
  expectedSpans: number;
  concurrency: number;
  reload: boolean;
  /** Runs on the loaded server after every span landed; what it returns goes into the manifest. */
  afterSpans?: (server: ServerHandle, summary: S) => Promise<unknown>;
  /** More environment for the loading server (the store it writes to: THREADLINE_STORE). */
  serverEnv?: (dataDir: string) => Record<string, string>;
}

export function schemaHash(): string {
  return existsSync(SCHEMA_FILE) ? createHash("sha1").update(readFileSync(SCHEMA_FILE)).digest("hex").slice(0, 8) : "none";
}

/** Rates per tenth of the expected spans, from every acknowledgement. */
export class RateWindows {
  readonly windows: RateWindow[] = [];
  readonly #every: number;
  #next: number;
  #fromSpans = 0;
  #fromMs: number;
  #lastSpans = 0;
  #lastMs: number;

  constructor(expectedSpans: number, startMs = performance.now(), parts = 10) {
    this.#every = Math.max(1, Math.round(expectedSpans / parts));
    this.#next = this.#every;
    this.#fromMs = this.#lastMs = startMs;
  }

  ack = (spans: number, nowMs: number): void => {
    this.#lastSpans = spans;
    this.#lastMs = nowMs;
    if (spans >= this.#next) this.#close();
  };

  #close(): void {
    const seconds = (this.#lastMs - this.#fromMs) / 1000;
    const count = this.#lastSpans - this.#fromSpans;
    if (count <= 0) return;
    this.windows.push({ toSpans: this.#lastSpans, seconds, spansPerSecond: seconds > 0 ? count / seconds : NaN });
    this.#fromSpans = this.#lastSpans;
    this.#fromMs = this.#lastMs;
    while (this.#next <= this.#lastSpans) this.#next += this.#every;
  }

  /** Closes the last (partial) window; a sliver under a fifth of a window joins the one before. */
  finish(): RateWindow[] {
    if (this.#lastSpans - this.#fromSpans < this.#every / 5 && this.windows.length > 0) {
      const last = this.windows.pop()!;
      this.#fromSpans = this.windows.at(-1)?.toSpans ?? 0;
      this.#fromMs -= last.seconds * 1000;
    }
    this.#close();
    return this.windows;
  }
}

export async function ensureLoaded<O, S extends LoadedSummary>(spec: DatasetSpec<O, S>): Promise<Dataset<O, S>> {
  const key = `${spec.key}-schema${schemaHash()}`;
  const dir = join(spec.root, key);
  const manifestFile = join(dir, "manifest.json");
  const dataDir = join(dir, "data");
  if (!spec.reload && existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest<O, S>;
    log(`data set: reusing ${dir} (loaded ${manifest.load.loadedAt}, ${int(manifest.summary.spans)} spans); --reload to rebuild`);
    return { dataDir, manifest, loaded: false };
  }

  // Drop the data sets this one replaces (older generator or schema) and any half-loaded copy.
  mkdirSync(spec.root, { recursive: true });
  for (const name of readdirSync(spec.root)) {
    const path = join(spec.root, name);
    if ((name === key || spec.replaces(name)) && statSync(path).isDirectory()) {
      log(`data set: removing ${path}`);
      rmSync(path, { recursive: true, force: true });
    }
  }
  mkdirSync(dir, { recursive: true });

  const summary = spec.emptySummary();
  log(`data set: loading ~${int(spec.expectedSpans)} spans into ${dataDir} ...`);
  const server = await startServer({ dataDir, env: spec.serverEnv?.(dataDir) });
  const wal = sampleWal(dataDir);
  const windows = new RateWindows(spec.expectedSpans);
  let lastLog = 0;
  const sent = await sendAll(server.url, spec.generate(summary), {
    concurrency: spec.concurrency,
    onAck: windows.ack,
    progress: (acked, elapsed) => {
      if (elapsed - lastLog < 10_000) return;
      lastLog = elapsed;
      log(`  ${int(acked)} spans loaded, ${int((acked / elapsed) * 1000)} spans/s (generation included)`);
    },
  }).catch(async (error: Error) => {
    wal.stop();
    const serverLog = server.log();
    await server.stop();
    throw new Error(`${error.message}\nserver log:\n${serverLog}`);
  });
  const { body } = await getJson<{ projects?: Array<{ name: string; traceCount: number; sessionCount: number }> }>(
    `${server.url}/api/v1/projects`,
  );
  const project = body.projects?.find((p) => p.name === summary.project);
  if (project?.traceCount !== summary.traces || project?.sessionCount !== summary.sessions) {
    wal.stop();
    await server.stop();
    throw new Error(
      `data set incomplete: server has ${project?.traceCount} traces / ${project?.sessionCount} sessions, ` +
        `sent ${summary.traces} / ${summary.sessions}`,
    );
  }
  let after: unknown;
  try {
    after = spec.afterSpans ? await spec.afterSpans(server, summary) : undefined;
  } catch (error) {
    wal.stop();
    await server.stop();
    throw error;
  }
  const maxWalBytes = wal.stop();
  const afterLoad = diskUsage(dataDir);
  await server.stop();
  const manifest: Manifest<O, S> = {
    key,
    traffic: spec.traffic,
    summary,
    load: {
      spansPerSecond: (sent.ackedSpans / sent.wallMs) * 1000,
      wallSeconds: sent.wallMs / 1000,
      retries: sent.retries,
      loadedAt: new Date().toISOString(),
      windows: windows.finish(),
      maxWalBytes,
      disk: { afterLoad, afterStop: diskUsage(dataDir) },
      after,
    },
  };
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  log(
    `data set: loaded ${int(summary.spans)} spans, ${int(summary.traces)} traces, ${int(summary.sessions)} sessions in ` +
      `${manifest.load.wallSeconds.toFixed(0)} s (${int(manifest.load.spansPerSecond)} spans/s with generation on the same 2 cores, ${sent.retries} retries)`,
  );
  return { dataDir, manifest, loaded: true };
}

/**
 * A data set the server may no longer open (its format changed under an unchanged schema file):
 * start a server on it, and if that fails on a cached copy while a server starts on an empty
 * data dir, load it again, once. A server that starts on nothing (a broken checkout, a port in
 * use) leaves the cache alone: reloading a million spans would not mend it.
 */
export async function openDataset<O, S>(
  ensure: (reload: boolean) => Promise<Dataset<O, S>>,
  start: (dataDir: string) => Promise<ServerHandle>,
): Promise<{ dataset: Dataset<O, S>; server: ServerHandle }> {
  let dataset = await ensure(false);
  try {
    return { dataset, server: await start(dataset.dataDir) };
  } catch (error) {
    if (dataset.loaded) throw error;
    const empty = mkdtempSync(join(tmpdir(), "threadline-bench-empty-"));
    try {
      await (await start(empty)).stop();
    } catch {
      throw error;
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    log(`server refused the cached data set (${(error as Error).message.split("\n")[0]}) but starts on an empty one; reloading`);
    dataset = await ensure(true);
    return { dataset, server: await start(dataset.dataDir) };
  }
}

// ---- the uniform data set (query.bench.ts) ----

export function datasetKey(traffic: TrafficOptions): string {
  const o = resolveOptions(traffic);
  return `gen${GENERATOR_VERSION}-seed${o.seed}-${o.sessions}s-${o.users}u-${o.minTurns}to${o.maxTurns}t-schema${schemaHash()}`;
}

export async function ensureDataset(traffic: TrafficOptions, options: { concurrency: number; reload: boolean }): Promise<Dataset> {
  const o = resolveOptions(traffic);
  return ensureLoaded({
    root: CACHE_ROOT,
    key: datasetKey(o).replace(/-schema[^-]*$/, ""),
    // Only one uniform data set is kept.
    replaces: (name) => /^gen\d+-/.test(name),
    traffic: o,
    emptySummary: () => emptySummary(o),
    generate: (summary) => generateTraffic(o, summary),
    expectedSpans: o.sessions * ((o.minTurns + o.maxTurns) / 2) * 4,
    concurrency: options.concurrency,
    reload: options.reload,
  });
}
