// The query bench's data set: generated traffic loaded into a data dir through the real
// OTLP/HTTP endpoint of a server child process, cached under CACHE_ROOT between runs. The cache
// key names the generator version, the traffic options and a hash of the server's schema
// file, so a changed generator or database format reloads; --reload forces it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATOR_VERSION, emptySummary, generateTraffic, resolveOptions, type TrafficOptions, type TrafficSummary } from "../traffic.ts";
import { ROOT } from "./config.ts";
import { getJson } from "./http.ts";
import { sendAll } from "./otlp-client.ts";
import { log } from "./report.ts";
import { startServer } from "./server.ts";
import { int } from "./stats.ts";

export const CACHE_ROOT = process.env.BENCH_CACHE_DIR ?? "/tmp/threadline-bench-1m";
const SCHEMA_FILE = `${ROOT}/packages/server/src/store/sqlite/schema.ts`;

export interface Manifest {
  key: string;
  traffic: Required<TrafficOptions>;
  summary: TrafficSummary;
  load: { spansPerSecond: number; wallSeconds: number; retries: number; loadedAt: string };
}

export interface Dataset {
  dataDir: string;
  manifest: Manifest;
  /** Loaded in this run (false: reused from the cache). */
  loaded: boolean;
}

export function datasetKey(traffic: TrafficOptions): string {
  const o = resolveOptions(traffic);
  const schema = existsSync(SCHEMA_FILE) ? createHash("sha1").update(readFileSync(SCHEMA_FILE)).digest("hex").slice(0, 8) : "none";
  return `gen${GENERATOR_VERSION}-seed${o.seed}-${o.sessions}s-${o.users}u-${o.minTurns}to${o.maxTurns}t-schema${schema}`;
}

export async function ensureDataset(traffic: TrafficOptions, options: { concurrency: number; reload: boolean }): Promise<Dataset> {
  const key = datasetKey(traffic);
  const dir = join(CACHE_ROOT, key);
  const manifestFile = join(dir, "manifest.json");
  const dataDir = join(dir, "data");
  if (!options.reload && existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
    log(`data set: reusing ${dir} (loaded ${manifest.load.loadedAt}, ${int(manifest.summary.spans)} spans); --reload to rebuild`);
    return { dataDir, manifest, loaded: false };
  }

  // Only one data set is kept: drop this bench's other ones (older generator or schema).
  mkdirSync(CACHE_ROOT, { recursive: true });
  for (const name of readdirSync(CACHE_ROOT)) {
    const path = join(CACHE_ROOT, name);
    if (/^gen\d+-/.test(name) && statSync(path).isDirectory()) {
      log(`data set: removing ${path}`);
      rmSync(path, { recursive: true, force: true });
    }
  }
  mkdirSync(dir, { recursive: true });

  const o = resolveOptions(traffic);
  const summary = emptySummary(o);
  log(`data set: loading ${int(o.sessions)} sessions (~${int(o.sessions * ((o.minTurns + o.maxTurns) / 2) * 4)} spans) into ${dataDir} ...`);
  const server = await startServer({ dataDir });
  let lastLog = 0;
  const sent = await sendAll(server.url, generateTraffic(o, summary), {
    concurrency: options.concurrency,
    progress: (acked, elapsed) => {
      if (elapsed - lastLog < 10_000) return;
      lastLog = elapsed;
      log(`  ${int(acked)} spans loaded, ${int((acked / elapsed) * 1000)} spans/s (generation included)`);
    },
  }).catch(async (error: Error) => {
    const serverLog = server.log();
    await server.stop();
    throw new Error(`${error.message}\nserver log:\n${serverLog}`);
  });
  const { body } = await getJson<{ projects?: Array<{ name: string; traceCount: number; sessionCount: number }> }>(
    `${server.url}/api/v1/projects`,
  );
  await server.stop();
  const project = body.projects?.find((p) => p.name === o.project);
  if (project?.traceCount !== summary.traces || project?.sessionCount !== summary.sessions) {
    throw new Error(
      `data set incomplete: server has ${project?.traceCount} traces / ${project?.sessionCount} sessions, ` +
        `sent ${summary.traces} / ${summary.sessions}`,
    );
  }
  const manifest: Manifest = {
    key,
    traffic: o,
    summary,
    load: {
      spansPerSecond: (sent.ackedSpans / sent.wallMs) * 1000,
      wallSeconds: sent.wallMs / 1000,
      retries: sent.retries,
      loadedAt: new Date().toISOString(),
    },
  };
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  log(
    `data set: loaded ${int(summary.spans)} spans, ${int(summary.traces)} traces, ${int(summary.sessions)} sessions in ` +
      `${manifest.load.wallSeconds.toFixed(0)} s (${int(manifest.load.spansPerSecond)} spans/s with generation on the same 2 cores, ${sent.retries} retries)`,
  );
  return { dataDir, manifest, loaded: true };
}
