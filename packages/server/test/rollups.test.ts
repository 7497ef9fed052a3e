// Sessions are rolled up as spans arrive, in any order, exactly once.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SessionDetail, SessionList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const session = (project: string, id: string) =>
  getJson<SessionDetail>(`${server.url}/api/v1/projects/${project}/sessions/${encodeURIComponent(id)}`);

describe("session rollups", () => {
  test("a turn's spans all count toward its session, children arriving before their root", async () => {
    const traceId = hexId(16);
    const root = hexId(8);
    // The LLM child carries no session id and arrives first, in its own request.
    await postOtlpJson(server.url, otlpJson([{
      traceId, parentSpanId: root, name: "llm", startMs: T0 + 100, endMs: T0 + 900,
      attributes: { "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o-mini", "llm.token_count.prompt": 120, "llm.token_count.completion": 30 },
    }], "order"));
    await postOtlpJson(server.url, otlpJson([{
      traceId, spanId: root, name: "turn", startMs: T0, endMs: T0 + 1000,
      attributes: { "session.id": "s-order", "user.id": "u-1", "input.value": "Where is my parcel?", "output.value": "It ships today." },
    }], "order"));

    const { status, body } = await session("order", "s-order");
    assert.equal(status, 200);
    assert.equal(body.traceCount, 1);
    assert.equal(body.spanCount, 2);
    assert.deepEqual(body.tokens, { prompt: 120, completion: 30, total: 150, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.ok(Math.abs(body.cost.total - (120 * 0.15 + 30 * 0.6) / 1e6) < 1e-12);
    assert.deepEqual(body.userIds, ["u-1"]);
    assert.equal(body.durationMs, 1000);
    assert.equal(body.firstInput, "Where is my parcel?");
    assert.equal(body.lastOutput, "It ships today.");
  });

  test("the root span's session wins when spans disagree", async () => {
    const traceId = hexId(16);
    const root = hexId(8);
    await postOtlpJson(server.url, otlpJson([
      { traceId, parentSpanId: root, name: "child", startMs: T0 + 1, endMs: T0 + 2, attributes: { "session.id": "s-child" } },
    ], "wins"));
    assert.equal((await session("wins", "s-child")).status, 200);
    await postOtlpJson(server.url, otlpJson([
      { traceId, spanId: root, name: "root", startMs: T0, endMs: T0 + 5, attributes: { "session.id": "s-root" } },
    ], "wins"));
    assert.equal((await session("wins", "s-root")).body.spanCount, 2);
    assert.equal((await session("wins", "s-child")).status, 404, "the child's session no longer has a trace");
    const projects = await getJson<{ projects: Array<{ name: string; sessionCount: number; traceCount: number }> }>(`${server.url}/api/v1/projects`);
    assert.deepEqual(projects.body.projects.find((p) => p.name === "wins"), { name: "wins", sessionCount: 1, traceCount: 1, userCount: 0, spanCount: 2, lastActivity: new Date(T0 + 5).toISOString() });
  });

  test("an exporter's retry of the same spans changes nothing", async () => {
    const traceId = hexId(16);
    const body = otlpJson([
      { traceId, name: "turn", startMs: T0, endMs: T0 + 50, attributes: { "session.id": "s-retry", "llm.token_count.total": 10 } },
    ], "retry");
    for (let i = 0; i < 3; i++) assert.equal((await postOtlpJson(server.url, body)).status, 200);
    const { body: detail } = await session("retry", "s-retry");
    assert.equal(detail.traceCount, 1);
    assert.equal(detail.spanCount, 1);
    assert.equal(detail.tokens.total, 10);
  });

  test("a session's turns are its traces in time order, across requests minutes apart", async () => {
    const turns = [0, 3, 1, 2].map((i) => ({ i, traceId: hexId(16) }));
    for (const { i, traceId } of turns) {
      await postOtlpJson(server.url, otlpJson([
        { traceId, name: "turn", startMs: T0 + i * 60_000, endMs: T0 + i * 60_000 + 500, attributes: { "session.id": "s-turns", "input.value": `q${i}`, "output.value": `a${i}` } },
      ], "turns"));
    }
    const { body } = await session("turns", "s-turns");
    assert.deepEqual(body.traces.map((t) => t.input), ["q0", "q1", "q2", "q3"]);
    assert.equal(body.firstInput, "q0");
    assert.equal(body.lastOutput, "a3");
    assert.equal(body.durationMs, 3 * 60_000 + 500);
  });

  test("the same session id in two projects makes two sessions", async () => {
    for (const project of ["alpha", "beta"]) {
      await postOtlpJson(server.url, otlpJson([{ traceId: hexId(16), startMs: T0, endMs: T0 + 1, attributes: { "session.id": "shared" } }], project));
    }
    for (const project of ["alpha", "beta"]) {
      const { body } = await getJson<SessionList>(`${server.url}/api/v1/projects/${project}/sessions`);
      assert.deepEqual(body.sessions.map((s) => [s.sessionId, s.traceCount]), [["shared", 1]]);
    }
  });

  test("errors are counted and marked on the failed turn", async () => {
    const traceId = hexId(16);
    const root = hexId(8);
    await postOtlpJson(server.url, otlpJson([
      { traceId, spanId: root, name: "turn", startMs: T0, endMs: T0 + 10, attributes: { "session.id": "s-err" } },
      { traceId, parentSpanId: root, name: "llm", startMs: T0 + 1, endMs: T0 + 9, error: "rate limited" },
    ], "errors"));
    const { body } = await session("errors", "s-err");
    assert.equal(body.errorCount, 1);
    assert.equal(body.traces[0].status, "ERROR");
  });
});
