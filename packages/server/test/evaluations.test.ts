// Session evaluations run by the server itself: a session quiet for its idle time, or closed by
// the API or by the span attribute the SDK sets, is evaluated once per version by the built-in
// evaluators, whose results land as CODE annotations pointing at a turn; a new turn reopens it
// and a later evaluation replaces the result; on-demand runs report progress; a restart in the
// middle of a backlog loses and repeats nothing.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import type { Annotation, SessionList } from "../src/api/types.ts";
import { evaluationJobs, eventually, getJson, hexId, otlpJson, postOtlpJson, startTestServer, TEST_STORE, type TestServer } from "./support.ts";

const ALL = ["user_frustration", "errors", "repetition", "unanswered"];

/** One turn a trace: the user's text and the assistant's, optionally failing, optionally ending the session. */
function turns(session: string, lines: Array<[string, string | null]>, opts: { startMs?: number; failAt?: number; endAt?: number; user?: string } = {}) {
  const start = opts.startMs ?? Date.now() - 60_000;
  return lines.map(([user, assistant], i) => ({
    traceId: hexId(16), startMs: start + i * 5000, endMs: start + i * 5000 + 800,
    attributes: {
      "session.id": session, "user.id": opts.user ?? "u-1", "input.value": user,
      ...(assistant ? { "output.value": assistant } : {}), ...(opts.endAt === i ? { "threadline.session.end": true } : {}),
    },
    error: opts.failAt === i ? "rate limit exceeded" : undefined,
  }));
}

const FRUSTRATED: Array<[string, string]> = [
  ["How do I export my invoices as PDF?", "Our pricing starts at $10 a month."],
  ["How can I export my invoices as a PDF file?", "You can upgrade your plan in settings."],
  ["That's not what I asked. I want to talk to a real person.", "I can't help with that."],
];
const HAPPY: Array<[string, string]> = [
  ["How do I export my invoices as PDF?", "Open Billing, pick the invoices and click Export PDF."],
  ["Thanks, that worked perfectly!", "Glad it helped."],
];

async function annotationsOf(server: TestServer, project: string, session: string): Promise<Annotation[]> {
  return (await getJson<{ annotations: Annotation[] }>(`${server.url}/api/v1/projects/${project}/sessions/${session}/annotations`)).body.annotations;
}

describe("evaluations after a session goes quiet", () => {
  let server: TestServer;
  before(async () => {
    // A fixed tick: left to adapt, the stage waits 20 times its last look, seconds on a busy chdb.
    server = await startTestServer({ evaluators: ALL, sessionIdleMs: 400, evaluationTickMs: 200 });
    const spans = [...turns("s-angry", FRUSTRATED), ...turns("s-happy", HAPPY)];
    assert.equal((await postOtlpJson(server.url, otlpJson(spans, "evals"))).status, 200);
  });
  after(() => server.close());

  test("idle sessions are evaluated: the frustrated one sorts first, pointing at the turn it went wrong", async () => {
    for (const id of ["s-happy", "s-angry"]) await eventually(async () => assert.equal((await annotationsOf(server, "evals", id)).length, 4));
    const angry = await annotationsOf(server, "evals", "s-angry");
    const frustration = angry.find((a) => a.name === "user_frustration")!;
    assert.equal(frustration.label, "frustrated");
    assert.equal(frustration.annotatorKind, "CODE");
    assert.equal(frustration.identifier, "threadline");
    assert.equal(frustration.metadata?.turn, 2, frustration.explanation ?? "");
    const { body: conversation } = await getJson<{ turns: Array<{ traceId: string }> }>(`${server.url}/api/v1/projects/evals/sessions/s-angry/conversation`);
    assert.equal(frustration.metadata?.traceId, conversation.turns[1].traceId);
    assert.match(frustration.explanation!, /turn 2/);
    assert.equal(angry.find((a) => a.name === "unanswered")!.label, "unanswered");
    assert.equal((await annotationsOf(server, "evals", "s-happy")).find((a) => a.name === "user_frustration")!.label, "satisfied");

    const { body: list } = await getJson<SessionList>(`${server.url}/api/v1/projects/evals/sessions?sort=annotation:user_frustration&order=desc`);
    assert.deepEqual(list.sessions.map((s) => s.sessionId), ["s-angry", "s-happy"]);
    assert.deepEqual(list.sessions.map((s) => s.state), ["idle", "idle"]);
    const { body: frustrated } = await getJson<SessionList>(`${server.url}/api/v1/projects/evals/sessions?annotation=user_frustration&label=frustrated`);
    assert.deepEqual(frustrated.sessions.map((s) => s.sessionId), ["s-angry"]);
  });

  test("a new turn reopens the session; once quiet again it is evaluated again and the result replaced", async () => {
    const before = (await annotationsOf(server, "evals", "s-happy")).find((a) => a.name === "errors")!;
    assert.equal(before.label, "ok");
    const late = turns("s-happy", [["And can I email them?", null]], { startMs: Date.now(), failAt: 0 });
    assert.equal((await postOtlpJson(server.url, otlpJson(late, "evals"))).status, 200);
    const { body: open } = await getJson<{ state: string }>(`${server.url}/api/v1/projects/evals/sessions/s-happy`);
    assert.equal(open.state, "open");
    await eventually(async () => {
      const errors = (await annotationsOf(server, "evals", "s-happy")).find((a) => a.name === "errors")!;
      assert.equal(errors.label, "failed");
      assert.equal(errors.id, before.id, "the same annotation, replaced");
      assert.equal(errors.metadata?.turn, 3);
    });
    const now = (await annotationsOf(server, "evals", "s-happy")).find((a) => a.name === "errors")!;
    assert.ok((now.metadata?.version as number) > (before.metadata?.version as number));
    // (The result is written just before its job is marked done.)
    await eventually(async () => {
      const history = (await evaluationJobs(server, "evals", "s-happy")).filter((job) => job.evaluator === "errors");
      assert.deepEqual(history.map((job) => [job.version, job.state, job.error]), [[now.metadata?.version, "done", null], [before.metadata?.version, "done", null]], "one job per version, newest first");
    });
  });

  test("deleting a session takes its evaluations, their history included", async () => {
    assert.equal((await fetch(`${server.url}/api/v1/projects/evals/sessions/s-angry`, { method: "DELETE" })).status, 200);
    assert.equal((await fetch(`${server.url}/api/v1/projects/evals/sessions/s-angry/evaluations`)).status, 404);
    assert.deepEqual(await annotationsOf(server, "evals", "s-angry"), []);
    if (TEST_STORE === "sqlite") {
      // Not even in the file: the jobs' history (which holds the results) goes with the session.
      const db = new DatabaseSync(join(server.dataDir, "threadline.db"), { readOnly: true });
      const left = db.prepare("SELECT (SELECT count(*) FROM eval_jobs WHERE session_id = 's-angry') AS jobs, (SELECT count(*) FROM annotations WHERE session_id = 's-angry') AS notes").get();
      db.close();
      assert.deepEqual({ ...left }, { jobs: 0, notes: 0 });
    }
  });
});

describe("closing a session", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ evaluators: ALL, sessionIdleMs: 3_600_000, evaluationTickMs: 200 });
  });
  after(() => server.close());

  test("closed through the API or by the SDK's attribute, a session is evaluated without waiting an hour", async () => {
    const spans = [...turns("s-api", FRUSTRATED), ...turns("s-sdk", HAPPY, { endAt: 1 }), ...turns("s-open", HAPPY)];
    assert.equal((await postOtlpJson(server.url, otlpJson(spans, "close"))).status, 200);
    const closed = await fetch(`${server.url}/api/v1/projects/close/sessions/s-api/close`, { method: "POST" });
    assert.equal(closed.status, 204);
    assert.equal((await fetch(`${server.url}/api/v1/projects/close/sessions/nope/close`, { method: "POST" })).status, 404);
    await eventually(async () => {
      assert.equal((await annotationsOf(server, "close", "s-api")).length, 4);
      assert.equal((await annotationsOf(server, "close", "s-sdk")).length, 4);
    });
    assert.equal((await annotationsOf(server, "close", "s-open")).length, 0, "an open session waits for its idle time");
    const { body } = await getJson<SessionList>(`${server.url}/api/v1/projects/close/sessions?sort=state&order=desc`);
    assert.deepEqual(body.sessions.map((s) => [s.sessionId, s.state]), [["s-sdk", "closed"], ["s-api", "closed"], ["s-open", "open"]]);
    const { body: open } = await getJson<SessionList>(`${server.url}/api/v1/projects/close/sessions?state=open`);
    assert.deepEqual(open.sessions.map((s) => s.sessionId), ["s-open"]);
    const { body: stats } = await getJson<{ sessionCount: number }>(`${server.url}/api/v1/projects/close/session-stats?state=closed`);
    assert.equal(stats.sessionCount, 2);
  });

  test("on demand: every session a filter keeps, with progress to follow", async () => {
    const run = await fetch(`${server.url}/api/v1/projects/close/evaluations`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ filter: { user: "u-1" }, evaluators: ["errors"] }),
    });
    assert.equal(run.status, 202);
    const started = (await run.json()) as { runId: string; sessions: number; total: number };
    assert.deepEqual([started.sessions, started.total], [3, 3]);
    await eventually(async () => {
      const { body } = await getJson<{ done: number; total: number }>(`${server.url}/api/v1/projects/close/evaluations/${started.runId}`);
      assert.equal(body.done, body.total);
    });
    assert.equal((await annotationsOf(server, "close", "s-open")).map((a) => a.name).join(), "errors", "the open session too, when asked");
    const bad = await fetch(`${server.url}/api/v1/projects/close/evaluations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ evaluators: ["nope"] }) });
    assert.equal(bad.status, 400);
  });
});

describe("outside pipelines", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const spans = [...turns("p-1", FRUSTRATED, { user: "ann" }), ...turns("p-2", HAPPY, { user: "bob" })];
    assert.equal((await postOtlpJson(server.url, otlpJson(spans, "pipes"))).status, 200);
  });
  after(() => server.close());

  test("transcripts stream as JSON lines, filtered like the list; bulk annotations write back, refusing the bad ones alone", async () => {
    const response = await fetch(`${server.url}/api/v1/projects/pipes/transcripts?user=ann`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /ndjson/);
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].session.sessionId, "p-1");
    assert.deepEqual(lines[0].turns.map((t: { user: string[] }) => t.user[0]), FRUSTRATED.map(([u]) => u));
    assert.equal((await fetch(`${server.url}/api/v1/projects/nope/transcripts`)).status, 404);

    const traceId = lines[0].turns[1].traceId;
    const bulk = await fetch(`${server.url}/api/v1/projects/pipes/annotations/bulk`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ annotations: [
        { sessionId: "p-1", name: "goal_completion", score: 0.1, annotatorKind: "LLM", identifier: "ragas" },
        { traceId, name: "faithfulness", score: 0.4, annotatorKind: "LLM" },
        { sessionId: "missing", name: "goal_completion", score: 1 },
        { sessionId: "p-2", name: "" },
        { name: "no target", score: 1 },
      ] }),
    });
    assert.equal(bulk.status, 200);
    const result = (await bulk.json()) as { created: number; replaced: number; failed: Array<{ index: number; error: string }> };
    assert.deepEqual([result.created, result.replaced], [2, 0]);
    assert.deepEqual(result.failed.map((f) => f.index), [2, 3, 4]);
    assert.match(result.failed[0].error, /no session "missing"/);
    const names = (await annotationsOf(server, "pipes", "p-1")).map((a) => a.name);
    assert.deepEqual(names, ["goal_completion"]);
  });
});

// It counts the jobs in SQLite's file while the server is stopped; on ClickHouse a server killed
// mid-load is clickhouse/stateless.test.ts.
test("a restart in the middle of a backlog loses no evaluation and repeats none", { skip: TEST_STORE !== "sqlite" && "it reads SQLite's file" }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "threadline-backlog-"));
  let server: TestServer | null = null;
  try {
    server = await startTestServer({ dataDir, evaluators: [] });
    const spans = Array.from({ length: 150 }, (_, i) => turns(`s-${i}`, i % 3 ? HAPPY : FRUSTRATED, { startMs: Date.now() - 3_600_000 })).flat();
    for (let i = 0; i < spans.length; i += 100) assert.equal((await postOtlpJson(server.url, otlpJson(spans.slice(i, i + 100), "backlog"))).status, 200);
    await server.close();
    server = await startTestServer({ dataDir, evaluators: ALL, sessionIdleMs: 1000, evaluationTickMs: 100, evaluationConcurrency: 1 });
    const done = () => {
      const db = new DatabaseSync(join(dataDir, "threadline.db"), { readOnly: true });
      const n = (db.prepare("SELECT count(*) AS n FROM eval_jobs WHERE state = 2").get() as { n: number }).n;
      db.close();
      return n;
    };
    await eventually(() => assert.ok(done() > 20, `done ${done()}`), 60_000);
    await server.close();
    const midway = done();
    assert.ok(midway < 600, `the backlog was not finished before the restart (${midway} of 600)`);
    server = await startTestServer({ dataDir, evaluators: ALL, sessionIdleMs: 1000, evaluationTickMs: 100 });
    await eventually(() => assert.equal(done(), 600), 120_000);
    const db = new DatabaseSync(join(dataDir, "threadline.db"), { readOnly: true });
    const annotations = db.prepare("SELECT count(*) AS n, sum(updated_us != created_us) AS replaced FROM annotations WHERE identifier = 'threadline'").get();
    const jobs = db.prepare("SELECT count(*) AS n, max(attempts) AS attempts FROM eval_jobs").get();
    db.close();
    assert.deepEqual({ ...annotations }, { n: 600, replaced: 0 }, "each result written once");
    assert.deepEqual({ ...jobs }, { n: 600, attempts: 1 }, "each job run once");
  } finally {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
