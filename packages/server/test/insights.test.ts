// Stats over the filtered sessions, a user's activity, search, live events, export and OpenAPI.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SearchResults, SessionList, SessionStats, UserDetail } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 10, 8);
const traceIds: string[] = [];

before(async () => {
  server = await startTestServer();
  // Four sessions over three hours: two for "ivy" (one failing), one each for "jo" and "kim".
  const sessions = [
    { id: "morning-1", user: "ivy", hour: 0, turns: 2, tokens: 100, error: false },
    { id: "morning-2", user: "jo", hour: 0, turns: 1, tokens: 50, error: true },
    { id: "noon-1", user: "ivy", hour: 2, turns: 3, tokens: 30, error: false },
    { id: "noon-2", user: "kim", hour: 2, turns: 1, tokens: 20, error: false },
  ];
  const spans = sessions.flatMap((s) => Array.from({ length: s.turns }, (_, i) => {
    const traceId = hexId(16);
    traceIds.push(traceId);
    return {
      traceId, startMs: T0 + s.hour * HOUR + i * 60_000, endMs: T0 + s.hour * HOUR + i * 60_000 + 2000,
      attributes: { "session.id": s.id, "user.id": s.user, "llm.token_count.total": s.tokens, "input.value": `${s.id} says hello` },
      error: s.error ? "boom" : undefined,
    };
  }));
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, "insight"))).status, 200);
});
after(() => server.close());

const api = (path: string) => `${server.url}/api/v1/projects/insight${path}`;

test("stats total the filtered sessions and bucket them by hour", async () => {
  const { status, body } = await getJson<SessionStats>(api("/session-stats"));
  assert.equal(status, 200);
  assert.deepEqual([body.sessionCount, body.userCount, body.errorRate, body.tokens.total, body.avgTurns, body.bucketMs], [4, 3, 0.25, 360, 7 / 4, HOUR]);
  assert.equal(body.avgDurationMs, Math.round((62_000 + 2000 + 122_000 + 2000) / 4));
  assert.deepEqual(body.series.map((p) => [p.time, p.sessionCount, p.traceCount, p.tokens, p.errorCount]), [
    [new Date(T0).toISOString(), 2, 3, 250, 1],
    [new Date(T0 + 2 * HOUR).toISOString(), 2, 4, 110, 0],
  ]);
  const { body: ivy } = await getJson<SessionStats>(api("/session-stats?user=ivy"));
  assert.deepEqual([ivy.sessionCount, ivy.userCount, ivy.errorRate], [2, 1, 0]);
});

test("a user's detail carries their activity over time and their annotation scores", async () => {
  await fetch(api("/sessions/noon-1/annotations"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "helpful", score: 0.8 }) });
  const { body } = await getJson<UserDetail>(api("/users/ivy"));
  assert.deepEqual([body.sessionCount, body.traceCount, body.tokens.total], [2, 5, 290]);
  assert.deepEqual(body.series.map((p) => [p.time, p.sessionCount, p.traceCount, p.scores ?? null]), [
    [new Date(T0).toISOString(), 1, 2, null],
    [new Date(T0 + 2 * HOUR).toISOString(), 1, 3, { helpful: 0.8 }],
  ]);
  assert.deepEqual(body.annotations.map((a) => [a.name, a.score]), [["helpful", 0.8]]);
});

test("search finds sessions, users and traces by the start of their id, and sessions by their words", async () => {
  const { body } = await getJson<SearchResults>(api("/search?q=noon"));
  assert.deepEqual(body.sessions.map((s) => [s.sessionId, s.match]), [["noon-1", "id"], ["noon-2", "id"]]);
  const { body: words } = await getJson<SearchResults>(api("/search?q=hello"));
  assert.equal(words.sessions.length, 4);
  assert.ok(words.sessions.every((s) => s.match === "text"));
  const { body: user } = await getJson<SearchResults>(api("/search?q=iv"));
  assert.deepEqual(user.users, [{ userId: "ivy", sessionCount: 2 }]);
  const { body: trace } = await getJson<SearchResults>(api(`/search?q=${traceIds[0].slice(0, 12)}`));
  assert.equal(trace.traces[0].traceId, traceIds[0]);
  assert.equal((await getJson(api("/search"))).status, 400);
});

test("live: an open event stream hears about the sessions a new export touches", async () => {
  const controller = new AbortController();
  const response = await fetch(api("/events"), { signal: controller.signal });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  await postOtlpJson(server.url, otlpJson([{ traceId: hexId(16), startMs: T0 + 5 * HOUR, endMs: T0 + 5 * HOUR + 1, attributes: { "session.id": "late-arrival" } }], "insight"));
  const deadline = Date.now() + 5000;
  while (!text.includes("late-arrival") && Date.now() < deadline) text += decoder.decode((await reader.read()).value);
  controller.abort();
  const data = /event: changes\ndata: (.*)\n/.exec(text.slice(text.lastIndexOf("event: changes")));
  assert.ok(data, text);
  assert.ok((JSON.parse(data[1]) as { sessionIds: string[] }).sessionIds.includes("late-arrival"));
});

test("live: an annotation is announced too, so open pages show new scores", async () => {
  const controller = new AbortController();
  const response = await fetch(api("/events"), { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  await fetch(api("/sessions/noon-2/annotations"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "helpful", score: 0.1 }) });
  const deadline = Date.now() + 5000;
  while (!text.includes("noon-2") && Date.now() < deadline) text += decoder.decode((await reader.read()).value);
  controller.abort();
  assert.match(text, /event: changes\ndata: .*"noon-2"/);
});

test("export downloads the whole session with its spans", async () => {
  const response = await fetch(api("/sessions/noon-1/export"));
  assert.match(response.headers.get("content-disposition") ?? "", /attachment; filename="session-noon-1.json"/);
  const body = (await response.json()) as { session: { sessionId: string }; traces: Array<{ spans: unknown[] }> };
  assert.equal(body.session.sessionId, "noon-1");
  assert.equal(body.traces.length, 3);
  assert.ok(body.traces.every((t) => t.spans.length === 1));
});

test("OpenAPI describes every route with its parameters, and every route it lists answers", async () => {
  const { status, body } = await getJson<{ openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema: { enum?: string[] } }> }>> }>(`${server.url}/api/openapi.json`);
  assert.equal(status, 200);
  assert.equal(body.openapi, "3.1.0");
  const P = "/api/v1/projects/{project}";
  const expected = [
    "get /api/v1/projects", `get ${P}/sessions`, `get ${P}/session-stats`, `get ${P}/sessions/{sessionId}`, `get ${P}/sessions/{sessionId}/traces`,
    `get ${P}/sessions/{sessionId}/conversation`, `get ${P}/sessions/{sessionId}/export`, `get ${P}/sessions/{sessionId}/annotations`,
    `post ${P}/sessions/{sessionId}/annotations`, `get ${P}/traces/{traceId}`, `get ${P}/traces/{traceId}/annotations`,
    `post ${P}/traces/{traceId}/annotations`, `get ${P}/traces/{traceId}/spans/{spanId}/annotations`,
    `post ${P}/traces/{traceId}/spans/{spanId}/annotations`, `patch ${P}/annotations/{annotationId}`, `delete ${P}/annotations/{annotationId}`,
    `get ${P}/annotation-names`, `get ${P}/users`, `get ${P}/users/{userId}`, `get ${P}/redaction`, `get ${P}/search`, `get ${P}/events`,
    `delete ${P}/sessions/{sessionId}`, `delete ${P}/traces/{traceId}`, `delete ${P}/users/{userId}`,
    "get /api/v1/me", "post /api/v1/login", "post /api/v1/logout",
    "get /api/v1/accounts", "post /api/v1/accounts", "patch /api/v1/accounts/{accountId}", "delete /api/v1/accounts/{accountId}",
    `get ${P}/keys`, `post ${P}/keys`, `delete ${P}/keys/{keyId}`,
    `post ${P}/sessions/{sessionId}/close`, `get ${P}/sessions/{sessionId}/evaluations`, `get ${P}/evaluators`, `post ${P}/evaluations`, `get ${P}/evaluations/{runId}`,
    `post ${P}/annotations/bulk`, `get ${P}/transcripts`, `get ${P}/annotation-names/{name}/distribution`,
    `get ${P}/review-queues`, `post ${P}/review-queues`, `get ${P}/review-queues/{queueId}`, `delete ${P}/review-queues/{queueId}`,
    `post ${P}/review-queues/{queueId}/items/{position}/review`,
  ];
  const documented = Object.entries(body.paths).flatMap(([path, methods]) => Object.keys(methods).filter((m) => m !== "head").map((m) => `${m} ${path}`));
  assert.deepEqual(documented.sort(), expected.sort());
  const query = (path: string) => (body.paths[path].get.parameters ?? []).filter((p) => p.in === "query");
  const filters = ["user", "from", "to", "q", "tag", "hasErrors", "metadata", "annotation", "label", "scoreMin", "scoreMax", "state"];
  assert.deepEqual(query(`${P}/sessions`).map((p) => p.name).sort(), [...filters, "limit", "cursor", "sort", "order"].sort());
  assert.deepEqual(query(`${P}/session-stats`).map((p) => p.name).sort(), [...filters].sort());
  assert.deepEqual(query(`${P}/sessions`).find((p) => p.name === "hasErrors")!.schema.enum, ["true", "false"]);
  assert.deepEqual(query(`${P}/users`).map((p) => p.name).sort(), ["limit", "cursor", "sort", "order", "q", "annotation", "label", "minSessions", "since"].sort());
  // Every documented GET answers on real ids (not "no API route").
  const { body: list } = await getJson<SessionList>(api("/sessions?limit=1"));
  const session = list.sessions[0];
  const ids: Record<string, string> = { project: "insight", sessionId: session.sessionId, userId: session.userIds[0] ?? "u", traceId: "0".repeat(32), spanId: "0".repeat(16), name: "quality", runId: "r", queueId: "q" };
  for (const entry of expected.filter((e) => e.startsWith("get ") && !e.endsWith("/events"))) {
    const url = entry.slice(4).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name])) + (entry.endsWith("/search") ? "?q=a" : "");
    const answer = await fetch(`${server.url}${url}`);
    const text = await answer.text();
    assert.ok(!text.includes("no API route"), `${entry}: ${answer.status} ${text.slice(0, 200)}`);
  }
});
