// Shared by the test suites of every package: a real Threadline server on a free port with a
// throwaway data directory, and OTLP/JSON builders for hand-made spans.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionEvaluationJobs } from "../src/api/evaluation-types.ts";
import { startServer, type RunningServer, type ServerOptions } from "../src/server.ts";

export interface TestServer extends RunningServer {
  dataDir: string;
  logs: string[];
}

/**
 * THREADLINE_TEST_STORE=chdb runs every test server on the ClickHouse store (chdb) instead of
 * SQLite: one engine per process, so one directory for the process and a database per server.
 */
export const TEST_STORE = process.env.THREADLINE_TEST_STORE ?? "sqlite";
/**
 * How long a test waits for the evaluators to get through a demo's sessions (~100 jobs). On
 * ClickHouse a batch of 64 costs 5-10 s on a loaded machine, and while the test polls the API the
 * stage rests four times as long after each (its share while pages are served).
 */
export const EVALUATION_WAIT_MS = TEST_STORE === "chdb" ? 180_000 : 60_000;
let chdbDir: Promise<string> | null = null;
const chdbDatabases = new Map<string, string>();
async function testStore(dataDir: string): Promise<string | undefined> {
  if (TEST_STORE === "sqlite") return undefined;
  if (TEST_STORE !== "chdb") throw new Error(`THREADLINE_TEST_STORE=${TEST_STORE}: expected sqlite or chdb`);
  chdbDir ??= mkdtemp(join(tmpdir(), "threadline-test-chdb-")).then((dir) => {
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  // A data dir reopened by a restarted server keeps its database.
  if (!chdbDatabases.has(dataDir)) chdbDatabases.set(dataDir, `api_${chdbDatabases.size + 1}`);
  return `chdb:${await chdbDir}?database=${chdbDatabases.get(dataDir)}`;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "threadline-test-")));
  const logs: string[] = [];
  // Evaluators off unless a test asks: their annotations would land in every test's project.
  const store = options.store ?? (await testStore(dataDir));
  const server = await startServer({ port: 0, grpcPort: 0, evaluators: [], ...options, ...(store ? { store } : {}), dataDir, log: (line) => logs.push(line) });
  return {
    ...server,
    dataDir,
    logs,
    async close() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The session's evaluation jobs as the API shows them, newest first. */
export async function evaluationJobs(server: TestServer, project: string, sessionId: string): Promise<SessionEvaluationJobs["jobs"]> {
  const { status, body } = await getJson<SessionEvaluationJobs>(`${server.url}/api/v1/projects/${project}/sessions/${sessionId}/evaluations?limit=1000`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.jobs;
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** A small deterministic random source (mulberry32), for seeded tests. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let counter = 0;
/** A fresh random-looking hex id of `bytes` bytes. */
export function hexId(bytes: 8 | 16): string {
  counter++;
  return (counter.toString(16).padStart(6, "0") + Math.random().toString(16).slice(2)).padEnd(bytes * 2, "7").slice(0, bytes * 2);
}

export interface TestSpan {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  /** Milliseconds since the epoch. */
  startMs: number;
  endMs: number;
  attributes?: Record<string, string | number | boolean | string[]>;
  error?: string;
}

/** An OTLP/JSON export request for the spans, under one resource naming the project. */
export function otlpJson(spans: TestSpan[], project?: string): string {
  const attribute = (key: string, value: string | number | boolean | string[]) => ({
    key,
    value: Array.isArray(value)
      ? { arrayValue: { values: value.map((v) => ({ stringValue: v })) } }
      : typeof value === "string"
        ? { stringValue: value }
        : typeof value === "boolean"
          ? { boolValue: value }
          : Number.isInteger(value)
            ? { intValue: String(value) }
            : { doubleValue: value },
  });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: project ? [attribute("openinference.project.name", project)] : [] },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId ?? hexId(8),
              parentSpanId: s.parentSpanId ?? "",
              name: s.name ?? "span",
              kind: 1,
              startTimeUnixNano: `${BigInt(Math.round(s.startMs * 1000)) * 1000n}`,
              endTimeUnixNano: `${BigInt(Math.round(s.endMs * 1000)) * 1000n}`,
              attributes: Object.entries(s.attributes ?? {}).map(([k, v]) => attribute(k, v)),
              status: s.error ? { code: 2, message: s.error } : { code: 1 },
            })),
          },
        ],
      },
    ],
  });
}

export async function postOtlpJson(baseUrl: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Polls until `check` passes (no throw), or fails with its last error. The deadline is generous:
 * it only matters when the check never passes, and CI runs several test files at once on two cores.
 */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
