// Stateless servers (issue 12): two `threadline serve` processes on one ClickHouse (one chdb engine
// served over ClickHouse's HTTP interface by its own process) receive every OTLP batch, some split
// or reordered; one is killed with SIGKILL mid-load and its exporter retries against the other, as
// a load balancer would. The totals of projects, sessions and users, read from the survivor and a
// restarted server, equal what was sent, computed from the workload itself.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { ProjectList, SessionDetail, SessionList, SessionSummary, TraceList, UserDetail, UserList, UserSummary } from "../../src/api/types.ts";
import { getJson, rng } from "../support.ts";

const BIN = new URL("../../bin/threadline.js", import.meta.url).pathname;
const CHDB_HTTP = new URL("../support/chdb-http.ts", import.meta.url).pathname;
const PROJECT = "stateless";
const DATABASE = "stateless";
const SESSIONS = 16;
const TURNS = 6;
const USERS = 5;
const COST_UNIT = 1 / 1024; // costs in binary fractions, so every sum is exact in any order

const dir = await mkdtemp(join(tmpdir(), "threadline-stateless-"));
const children = new Set<ChildProcess>();
after(async () => {
  await Promise.all([...children].map((child) => stop(child)));
  await rm(dir, { recursive: true, force: true });
});

/** Starts a process and resolves with the URL its stdout prints (matched by `pattern`); its log is kept, not printed, but for the last lines if it exits on its own. */
async function startProcess(args: string[], pattern: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk).slice(-4000)));
  child.once("exit", (code, signal) => {
    if (code && !signal) console.error(`${args[0]} exited with ${code}:\n${log}`);
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return { child, url };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

const startServer = (store: string, dataDir: string) =>
  startProcess([BIN, "serve", "--port", "0", "--no-grpc", "--data-dir", dataDir, "--store", store], /listening on (http:\/\/\S+)/);

interface Turn {
  session: string;
  user: string;
  spans: number;
  errors: number;
  prompt: number;
  completion: number;
  cost: number;
  input: string;
  output: string;
  startMs: number;
}

/** Who does what: 16 sessions of 6 turns, 5 users, a few sessions with two users, some failed turns. */
function workload(): Turn[] {
  const base = Date.now() - 3 * 3_600_000;
  const turns: Turn[] = [];
  for (let t = 0; t < TURNS; t++) {
    for (let s = 0; s < SESSIONS; s++) {
      const shared = s % 4 === 3; // these sessions alternate between two users
      const failed = (s + t) % 5 === 0;
      turns.push({
        session: `session-${s}`,
        user: `user-${shared ? (s + (t % 2)) % USERS : s % USERS}`,
        spans: failed ? 4 : 3,
        errors: failed ? 1 : 0,
        prompt: 100 + s * 10 + t,
        completion: 20 + t,
        cost: (1 + s + 2 * t) * COST_UNIT,
        input: `question ${t} of session ${s}`,
        output: `answer ${t} of session ${s}`,
        startMs: base + s * 600_000 + t * 60_000,
      });
    }
  }
  return turns;
}

/** Each turn as the real SDK records it: a root with session and user, retrieval, an LLM call, and a failing tool when the turn failed. */
function record(turns: Turn[]): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "openinference.project.name": PROJECT }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("stateless");
  for (const turn of turns) {
    const at = (ms: number) => turn.startMs + ms;
    const root = tracer.startSpan("turn", { startTime: at(0), attributes: { "session.id": turn.session, "user.id": turn.user, "input.value": turn.input } });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    tracer.startSpan("retrieve", { startTime: at(10) }, ctx).end(at(100));
    if (turn.errors) {
      const tool = tracer.startSpan("tool", { startTime: at(100) }, ctx);
      tool.setStatus({ code: SpanStatusCode.ERROR, message: "tool failed" });
      tool.end(at(200));
    }
    tracer.startSpan("llm", {
      startTime: at(200),
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.token_count.prompt": turn.prompt,
        "llm.token_count.completion": turn.completion,
        "llm.token_count.total": turn.prompt + turn.completion,
        "llm.cost.total": turn.cost,
      },
    }, ctx).end(at(900));
    root.setAttribute("output.value", turn.output);
    root.end(at(1000));
  }
  return memory.getFinishedSpans();
}

interface Totals {
  traces: number;
  spans: number;
  errors: number;
  tokens: [number, number, number];
  cost: number;
}
interface SessionTotals extends Totals {
  firstInput: string | null;
  lastOutput: string | null;
  users: string[];
}
interface UserTotals extends Totals {
  sessions: number;
}

const add = (to: Totals, turn: Turn) => {
  to.traces++;
  to.spans += turn.spans;
  to.errors += turn.errors;
  to.tokens = [to.tokens[0] + turn.prompt, to.tokens[1] + turn.completion, to.tokens[2] + turn.prompt + turn.completion];
  to.cost += turn.cost;
};
const zero = (): Totals => ({ traces: 0, spans: 0, errors: 0, tokens: [0, 0, 0], cost: 0 });

/** What every session and user must add up to, from the workload alone. */
function expected(turns: Turn[]) {
  const sessions = new Map<string, SessionTotals>();
  const users = new Map<string, UserTotals & { sessionIds: Set<string> }>();
  for (const turn of [...turns].sort((a, b) => a.startMs - b.startMs)) {
    let s = sessions.get(turn.session);
    if (!s) sessions.set(turn.session, (s = { ...zero(), firstInput: turn.input, lastOutput: null, users: [] }));
    add(s, turn);
    s.lastOutput = turn.output;
    if (!s.users.includes(turn.user)) s.users = [...s.users, turn.user].sort();
    let u = users.get(turn.user);
    if (!u) users.set(turn.user, (u = { ...zero(), sessions: 0, sessionIds: new Set() }));
    add(u, turn);
    u.sessionIds.add(turn.session);
    u.sessions = u.sessionIds.size;
  }
  const byUser = new Map([...users].map(([id, { sessionIds: _ids, ...u }]) => [id, u as UserTotals]));
  return { sessions, users: byUser, spans: turns.reduce((n, t) => n + t.spans, 0), traces: turns.length };
}

const sessionTotals = (s: SessionSummary): SessionTotals => ({
  traces: s.traceCount, spans: s.spanCount, errors: s.errorCount, tokens: [s.tokens.prompt, s.tokens.completion, s.tokens.total],
  cost: s.cost.total, firstInput: s.firstInput, lastOutput: s.lastOutput, users: [...s.userIds].sort(),
});
const userTotals = (u: UserSummary): UserTotals => ({
  sessions: u.sessionCount, traces: u.traceCount, spans: u.spanCount, errors: u.errorCount, tokens: [u.tokens.prompt, u.tokens.completion, u.tokens.total], cost: u.cost.total,
});

/** Sessions and users as a server's API answers them: its lists, each checked against the detail page of every row. */
async function observed(url: string) {
  const base = `${url}/api/v1/projects/${PROJECT}`;
  const list = await getJson<SessionList>(`${base}/sessions?limit=200`);
  assert.equal(list.status, 200);
  const sessions = new Map(list.body.sessions.map((s) => [s.sessionId, sessionTotals(s)]));
  for (const [id, totals] of sessions) {
    const { status, body } = await getJson<SessionDetail>(`${base}/sessions/${id}`);
    assert.equal(status, 200);
    assert.deepEqual(sessionTotals(body), totals, `the page of ${id} agrees with the list`);
  }
  const userList = await getJson<UserList>(`${base}/users?limit=200`);
  assert.equal(userList.status, 200);
  const users = new Map(userList.body.users.map((u) => [u.userId, userTotals(u)]));
  for (const [id, totals] of users) {
    const { status, body } = await getJson<UserDetail>(`${base}/users/${id}`);
    assert.equal(status, 200);
    assert.deepEqual(userTotals(body), totals, `the page of ${id} agrees with the list`);
  }
  return { sessions, users };
}

/** Sends every request in order; on a failure the same request goes to the fallback, as a load balancer retries. */
function sender(primary: string, fallback: string | null, onSend = () => {}) {
  const exporter = new OTLPTraceExporter({ url: `${primary}/v1/traces`, timeoutMillis: 20_000 });
  const spare = fallback ? new OTLPTraceExporter({ url: `${fallback}/v1/traces`, timeoutMillis: 20_000 }) : null;
  let failedOver = false;
  const failures: { sentAt: number; error: string }[] = [];
  const once = (to: OTLPTraceExporter, spans: ReadableSpan[]) => {
    const sentAt = Date.now();
    return new Promise<number>((resolve) => to.export(spans, (result) => {
      if (result.code !== 0 && to === exporter) failures.push({ sentAt, error: result.error?.message ?? "failed" });
      resolve(result.code);
    }));
  };
  return {
    get failedOver() {
      return failedOver;
    },
    /** The requests to the primary that failed: when each was sent, and why (the exporter retries a reset connection, so a cut request reports the refused retry). */
    failures,
    async send(requests: ReadableSpan[][]) {
      for (const spans of requests) {
        if (!failedOver) {
          onSend();
          if ((await once(exporter, spans)) === 0) continue;
        }
        assert.ok(spare, "the survivor refused a request");
        failedOver = true;
        assert.equal(await once(spare, spans), 0, "the survivor took the retried request");
      }
    },
    shutdown: () => Promise.all([exporter.shutdown(), spare?.shutdown()]).catch(() => {}),
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs `fn` over the items, `width` at a time, in order of start. */
async function inFlight<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

test("two servers on one ClickHouse, every batch sent to both, one killed mid-load: every total is exact", { timeout: 150_000 }, async (t) => {
  const started = Date.now();
  const ch = await startProcess([CHDB_HTTP, "--path", join(dir, "chdb"), "--port", "0", "--user", "tl", "--password", "pw", "--pool", "6"], /(http:\/\/\S+)/);
  const storeUrl = `clickhouse://tl:pw@${new URL(ch.url).host}/${DATABASE}`;
  const [a, b] = await Promise.all([startServer(storeUrl, join(dir, "a")), startServer(storeUrl, join(dir, "b"))]);

  const turns = workload();
  const spans = record(turns);
  // Batches of four turns, spans in the order they ended (children before their roots).
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const id = span.spanContext().traceId;
    byTrace.set(id, [...(byTrace.get(id) ?? []), span]);
  }
  const traces = [...byTrace.values()];
  const batches: ReadableSpan[][] = [];
  for (let i = 0; i < traces.length; i += 4) batches.push(traces.slice(i, i + 4).flat());
  const random = rng(12);
  const isRoot = (span: ReadableSpan) => !span.parentSpanContext;
  // Server A gets each batch whole (every third one reversed); server B gets it whole, split with
  // the roots arriving in a later request, or shuffled and cut in two.
  const formsA = batches.map((batch, i) => [i % 3 === 2 ? [...batch].reverse() : batch]);
  const formsB = batches.map((batch, i) => {
    if (i % 3 === 0) return [batch];
    if (i % 3 === 1) return [batch.filter((s) => !isRoot(s)), batch.filter(isRoot)];
    const mixed = shuffled(batch, random);
    return [mixed.slice(0, 5), mixed.slice(5)];
  });

  const toA = sender(a.url, null);
  // Half-way through, B is killed 80 ms after it was sent a request (one takes 200-800 ms here),
  // so that request is cut in the middle of its writes and goes to A.
  let doneB = 0;
  let killed: Promise<void> | null = null;
  let killedAt = Infinity;
  const killAt = Math.floor(batches.length / 2);
  const toB = sender(b.url, a.url, () => {
    if (doneB >= killAt && !killed) killed = new Promise((resolve) => setTimeout(resolve, 80)).then(() => {
      killedAt = Date.now();
      return stop(b.child, "SIGKILL");
    });
  });
  await Promise.all([
    inFlight(formsA, 2, (requests) => toA.send(requests)),
    inFlight(formsB, 2, async (requests) => {
      await toB.send(requests);
      doneB++;
    }),
  ]);
  await killed;
  await Promise.all([toA.shutdown(), toB.shutdown()]);
  assert.ok(toB.failedOver, "server B was killed with requests still to send, which went to A");
  assert.ok(toB.failures.some((f) => f.sentAt < killedAt), "a request was in flight when B was killed");
  const loadSeconds = (Date.now() - started) / 1000;

  const want = expected(turns);
  const restarted = await startServer(storeUrl, join(dir, "b"));
  try {
    for (const [name, server] of [["survivor", a], ["restarted", restarted]] as const) {
      const { body: projects } = await getJson<ProjectList>(`${server.url}/api/v1/projects`);
      const project = projects.projects.find((p) => p.name === PROJECT);
      assert.deepEqual(
        project && { sessions: project.sessionCount, traces: project.traceCount, spans: project.spanCount, users: project.userCount },
        { sessions: SESSIONS, traces: want.traces, spans: want.spans, users: USERS },
        `${name}: the project's totals`,
      );
      const got = await observed(server.url);
      assert.deepEqual(new Map([...got.sessions].sort()), new Map([...want.sessions].sort()), `${name}: every session`);
      assert.deepEqual(new Map([...got.users].sort()), new Map([...want.users].sort()), `${name}: every user`);
      // Each session's turns through the API: one per trace sent, each with all its spans.
      for (const session of ["session-0", "session-3", `session-${SESSIONS - 1}`]) {
        const { status, body } = await getJson<TraceList>(`${server.url}/api/v1/projects/${PROJECT}/sessions/${session}/traces?limit=50`);
        assert.equal(status, 200);
        const sent = turns.filter((turn) => turn.session === session);
        assert.deepEqual(body.traces.map((tr) => [tr.input, tr.output, tr.spanCount, tr.errorCount, tr.userId]), sent.map((turn) => [turn.input, turn.output, turn.spans, turn.errors, turn.user]), `${name}: the turns of ${session}`);
      }
    }
  } finally {
    await Promise.all([stop(a.child), stop(restarted.child), stop(ch.child)]);
  }
  t.diagnostic(`requests to the killed server that failed and went to the survivor: ${toB.failures.map((f) => `${f.error} (sent ${killedAt - f.sentAt} ms before the kill)`).join("; ")}`);
  t.diagnostic(`load ${loadSeconds.toFixed(1)} s, whole test ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
