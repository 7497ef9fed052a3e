// Durability: the server is killed with SIGKILL in the middle of a heavy load from real OTLP
// exporters. After a restart every span it acknowledged is there, and the rollups agree with
// the spans.
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { ProjectList, SessionDetail, SessionList, TraceDetail } from "../src/api/types.ts";
import { getJson } from "./support.ts";

const BIN = new URL("../bin/threadline.js", import.meta.url).pathname;
const dataDir = await mkdtemp(join(tmpdir(), "threadline-durability-"));
after(() => rm(dataDir, { recursive: true, force: true }));

async function startServerProcess(dir = dataDir): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--no-grpc", "--data-dir", dir], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, url };
}

/** Spans of `turns` conversation turns made by the real SDK: a root with session and user, three children. */
function makeTurns(session: string, turns: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "openinference.project.name": "durable" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("load");
  for (let t = 0; t < turns; t++) {
    const root = tracer.startSpan("turn", { attributes: { "session.id": session, "user.id": `user-${session.length % 7}`, "input.value": `question ${t}` } });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    for (const name of ["retrieve", "tool", "llm"]) {
      tracer.startSpan(name, { attributes: { "llm.token_count.total": name === "llm" ? 100 + t : 0, "output.value": "x".repeat(500) } }, ctx).end();
    }
    root.end();
  }
  return memory.getFinishedSpans();
}

/** Maps `items` through `fn`, 16 at a time. */
async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 16) results.push(...(await Promise.all(items.slice(i, i + 16).map(fn))));
  return results;
}

test("every acknowledged span survives SIGKILL mid-load, and rollups match the spans", { timeout: 120_000 }, async () => {
  const first = await startServerProcess();
  const acknowledged = new Map<string, Set<string>>(); // traceId → span ids
  let killed = false;
  let batches = 0;

  // Four real OTLP/HTTP protobuf exporters, each sending batches back to back, as an app's
  // BatchSpanProcessor does, children before their roots (the order spans end in).
  const sender = async (worker: number) => {
    const exporter = new OTLPTraceExporter({ url: `${first.url}/v1/traces`, timeoutMillis: 3000 });
    for (let batch = 0; !killed; batch++) {
      const spans = makeTurns(`s-${worker}-${batch % 40}`, 25); // 100 spans, sessions grow across batches
      const code = await new Promise<number>((resolve) => exporter.export(spans, (result) => resolve(result.code)));
      if (code !== 0) break; // the server is gone
      batches++;
      for (const span of spans) {
        const { traceId, spanId } = span.spanContext();
        let ids = acknowledged.get(traceId);
        if (!ids) acknowledged.set(traceId, (ids = new Set()));
        ids.add(spanId);
      }
    }
    await exporter.shutdown().catch(() => {});
  };
  const senders = [0, 1, 2, 3].map(sender);
  while (batches < 120) await new Promise((resolve) => setTimeout(resolve, 20));
  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  killed = true;
  await Promise.all([exited, ...senders]);

  const second = await startServerProcess();
  try {
    const api = (path: string) => getJson<never>(`${second.url}/api/v1/projects/durable${path}`);
    const { body: list } = (await api("/sessions?limit=500")) as { body: SessionList };
    const sessions = await inParallel(list.sessions, async (s) => ((await api(`/sessions/${s.sessionId}`)) as { body: SessionDetail }).body);
    const stored = new Map<string, TraceDetail>();
    const traceIds = new Set([...acknowledged.keys(), ...sessions.flatMap((s) => s.traces.map((t) => t.traceId))]);
    await inParallel([...traceIds], async (traceId) => {
      const { status, body } = (await api(`/traces/${traceId}`)) as { status: number; body: TraceDetail };
      if (status === 200) stored.set(traceId, body);
    });

    // Every acknowledged span is stored.
    let acknowledgedSpans = 0;
    for (const [traceId, ids] of acknowledged) {
      const spans = new Set(stored.get(traceId)?.spans.map((s) => s.spanId));
      for (const id of ids) assert.ok(spans.has(id), `span ${id} of trace ${traceId} was acknowledged`);
      acknowledgedSpans += ids.size;
    }
    assert.ok(acknowledgedSpans >= 12_000, `a heavy load was acknowledged before the kill (${acknowledgedSpans} spans)`);

    // Every rollup equals what the stored spans add up to.
    let traceTotal = 0;
    let spanTotal = 0;
    for (const session of sessions) {
      let spans = 0;
      let tokens = 0;
      for (const t of session.traces) {
        const detail = stored.get(t.traceId)!;
        assert.equal(t.spanCount, detail.spans.length);
        spans += detail.spans.length;
        tokens += detail.spans.reduce((sum, s) => sum + s.tokens.total, 0);
      }
      assert.equal(session.traceCount, session.traces.length, session.sessionId);
      assert.equal(session.spanCount, spans, session.sessionId);
      assert.equal(session.tokens.total, tokens, session.sessionId);
      traceTotal += session.traceCount;
      spanTotal += spans;
    }
    const { body: projects } = await getJson<ProjectList>(`${second.url}/api/v1/projects`);
    const project = projects.projects.find((p) => p.name === "durable")!;
    assert.deepEqual([project.traceCount, project.spanCount, project.sessionCount], [traceTotal, spanTotal, sessions.length]);
  } finally {
    const stopped = new Promise((resolve) => second.child.once("exit", resolve));
    second.child.kill("SIGTERM");
    await stopped;
  }
});

test("SIGTERM mid-load commits what it acknowledged and exits 0; a backup taken meanwhile opens and reads", { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "threadline-sigterm-"));
  const copy = join(dir, "backup");
  const live = join(dir, "live");
  try {
    const server = await startServerProcess(live);
    const acknowledged: string[] = [];
    let stopping = false;
    let batches = 0;
    const sender = async (worker: number) => {
      const exporter = new OTLPTraceExporter({ url: `${server.url}/v1/traces`, timeoutMillis: 5000 });
      for (let batch = 0; !stopping; batch++) {
        const spans = makeTurns(`t-${worker}-${batch}`, 10);
        const code = await new Promise<number>((resolve) => exporter.export(spans, (result) => resolve(result.code)));
        if (code !== 0) break;
        batches++;
        acknowledged.push(...spans.map((span) => span.spanContext().traceId));
      }
      await exporter.shutdown().catch(() => {});
    };
    const senders = [0, 1, 2].map(sender);
    while (batches < 30) await new Promise((resolve) => setTimeout(resolve, 20));
    await promisify(execFile)(process.execPath, [BIN, "backup", copy, "--data-dir", live]);
    const exited = new Promise<number | null>((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    stopping = true;
    assert.equal(await exited, 0);
    await Promise.all(senders);

    const again = await startServerProcess(live);
    const backup = await startServerProcess(copy);
    try {
      for (const traceId of new Set(acknowledged)) {
        assert.equal((await getJson(`${again.url}/api/v1/projects/durable/traces/${traceId}`)).status, 200, `trace ${traceId} was acknowledged`);
      }
      assert.equal(readFileSync(join(copy, "redaction.key"), "utf8"), readFileSync(join(live, "redaction.key"), "utf8"), "the same pseudonyms after a restore");
      const { body: projects } = await getJson<ProjectList>(`${backup.url}/api/v1/projects`);
      const project = projects.projects.find((p) => p.name === "durable")!;
      assert.ok(project.spanCount > 0 && project.spanCount % 40 === 0, `the backup holds whole batches (${project.spanCount} spans)`);
      const { body: list } = await getJson<SessionList>(`${backup.url}/api/v1/projects/durable/sessions?limit=500`);
      assert.equal(list.sessions.reduce((n, s) => n + s.spanCount, 0), project.spanCount);
    } finally {
      for (const child of [again.child, backup.child]) {
        const stopped = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await stopped;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
