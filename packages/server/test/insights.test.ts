// Stats over the filtered sessions, a user's activity, search, live events, export and OpenAPI.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SearchResults, SessionStats, UserDetail } from "../src/api/types.ts";
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

test("OpenAPI describes every route", async () => {
  const { status, body } = await getJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(`${server.url}/api/openapi.json`);
  assert.equal(status, 200);
  assert.equal(body.openapi, "3.1.0");
  const routes = (await import("node:fs")).readFileSync(new URL("../src/api/routes.ts", import.meta.url), "utf8");
  const served = [...routes.matchAll(/\["(GET|POST|PATCH|DELETE)", (?:new RegExp\(`\^\$\{P\}([^$`]*)\$`\)|\/\^([^$]*)\$\/)/g)].map(([, method, rest, literal]) => {
    const path = rest !== undefined ? `/api/v1/projects/{project}${rest}` : literal.replace(/\\\//g, "/").replace(/\\\./g, ".");
    return [method.toLowerCase(), path.replace(/\(\[\^\/\]\+\)/g, "{}")] as const;
  });
  assert.ok(served.length >= 20, `found ${served.length} routes`);
  const documented = Object.entries(body.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m, path.replace(/\{[^}]+\}/g, "{}").replace("{}/", "{}/")] as const));
  for (const [method, path] of served) {
    const normalized = path.replace("/api/v1/projects/{project}", "/api/v1/projects/{}");
    if (normalized === "/api/openapi.json") continue;
    assert.ok(documented.some(([m, p]) => m === method && p === normalized), `${method.toUpperCase()} ${normalized} is documented`);
  }
});
