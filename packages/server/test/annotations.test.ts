// Annotations and evaluations: create, replace, change, delete, and how they show in the lists.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Annotation, AnnotationNames, SessionDetail, SessionList, UserList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
const T0 = Date.UTC(2026, 3, 1);
const traceIds: string[] = [];
const spanIds: string[] = [];

before(async () => {
  server = await startTestServer();
  const spans = ["a", "b", "c"].flatMap((s, i) => {
    const traceId = hexId(16);
    const spanId = hexId(8);
    traceIds.push(traceId);
    spanIds.push(spanId);
    return [{ traceId, spanId, startMs: T0 + i * 1000, endMs: T0 + i * 1000 + 10, attributes: { "session.id": `s-${s}`, "user.id": i < 2 ? "ann" : "bob" } }];
  });
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, "notes"))).status, 200);
});
after(() => server.close());

const api = (path: string) => `${server.url}/api/v1/projects/notes${path}`;
const send = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(api(path), { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
};

describe("annotations", () => {
  test("a session annotation is created, then replaced by the same name and identifier", async () => {
    const first = await send("POST", "/sessions/s-a/annotations", { name: "quality", score: 0.2, label: "bad", explanation: "went in circles" });
    assert.equal(first.status, 201);
    const again = await send("POST", "/sessions/s-a/annotations", { name: "quality", score: 0.9, label: "good" });
    assert.equal(again.status, 200);
    assert.equal(again.body!.id, first.body!.id);
    const { body } = await getJson<{ annotations: Annotation[] }>(api("/sessions/s-a/annotations"));
    assert.deepEqual(body.annotations.map((a) => [a.name, a.score, a.label, a.annotatorKind, a.target]), [["quality", 0.9, "good", "HUMAN", { type: "session", sessionId: "s-a" }]]);
    assert.equal(body.annotations[0].explanation, null, "a replacement replaces every field");
  });

  test("trace and span annotations count toward their session's summary", async () => {
    assert.equal((await send("POST", `/traces/${traceIds[1]}/annotations`, { name: "quality", score: 0.5, annotatorKind: "LLM", identifier: "judge-1" })).status, 201);
    assert.equal((await send("POST", `/traces/${traceIds[1]}/spans/${spanIds[1]}/annotations`, { name: "quality", score: 1, annotatorKind: "LLM", identifier: "judge-2" })).status, 201);
    const { body } = await getJson<SessionDetail>(api("/sessions/s-b"));
    assert.deepEqual(body.annotations, [{ name: "quality", annotatorKind: "LLM", score: 0.75, label: null, count: 2 }]);
    const spanNotes = await getJson<{ annotations: Annotation[] }>(api(`/traces/${traceIds[1]}/spans/${spanIds[1]}/annotations`));
    assert.equal(spanNotes.body.annotations[0].identifier, "judge-2");
  });

  test("the lists filter and sort by an annotation's score and label, and users average them", async () => {
    const ids = async (query: string) => (await getJson<SessionList>(api(`/sessions?${query}`))).body.sessions.map((s) => s.sessionId);
    assert.deepEqual(await ids("sort=annotation:quality&order=desc"), ["s-a", "s-b"]);
    assert.deepEqual(await ids("sort=annotation:quality&order=asc"), ["s-b", "s-a"]);
    assert.deepEqual(await ids("annotation=quality&scoreMin=0.8"), ["s-a"]);
    assert.deepEqual(await ids("annotation=quality&label=good"), ["s-a"]);
    assert.deepEqual((await getJson<SessionList>(api("/sessions?annotation=quality&label=good"))).body.sessions[0].annotations, [{ name: "quality", annotatorKind: "HUMAN", score: 0.9, label: "good", count: 1 }]);
    const { body: users } = await getJson<UserList>(api("/users?sort=sessionCount"));
    const ann = users.users.find((u) => u.userId === "ann")!;
    assert.equal(ann.annotations[0].name, "quality");
    assert.ok(Math.abs(ann.annotations[0].score! - (0.9 + 0.75) / 2) < 1e-9, "the mean of her sessions' means");
    const { body: names } = await getJson<AnnotationNames>(api("/annotation-names"));
    assert.deepEqual(names.names.map((n) => [n.name, n.count, n.labels, n.minScore, n.maxScore, [...n.annotatorKinds].sort()]), [["quality", 3, ["good"], 0.5, 1, ["HUMAN", "LLM"]]]);
  });

  test("PATCH changes fields, DELETE removes, and the summaries follow", async () => {
    const { body } = await send("POST", "/sessions/s-c/annotations", { name: "thumbs", label: "up", score: 1 });
    const patched = await send("PATCH", `/annotations/${body!.id}`, { label: "down", score: 0 });
    assert.deepEqual([patched.status, patched.body!.label, patched.body!.score], [200, "down", 0]);
    assert.equal((await getJson<SessionDetail>(api("/sessions/s-c"))).body.annotations[0].label, "down");
    assert.equal((await send("DELETE", `/annotations/${body!.id}`)).status, 204);
    assert.deepEqual((await getJson<SessionDetail>(api("/sessions/s-c"))).body.annotations, []);
    assert.equal((await send("DELETE", `/annotations/${body!.id}`)).status, 404);
  });

  test("bad annotations are refused with a reason", async () => {
    for (const [path, body, message] of [
      ["/sessions/s-a/annotations", { score: 1 }, /name is required/],
      ["/sessions/s-a/annotations", { name: "x" }, /needs a label, a score or an explanation/],
      ["/sessions/s-a/annotations", { name: "x", score: "high" }, /score must be a number/],
      ["/sessions/s-a/annotations", { name: "x", score: 1, annotatorKind: "ROBOT" }, /annotatorKind must be one of HUMAN, LLM, CODE/],
      ["/sessions/nope/annotations", { name: "x", score: 1 }, /no session "nope"/],
      [`/traces/${"0".repeat(31)}1/annotations`, { name: "x", score: 1 }, /no trace/],
    ] as const) {
      const result = await send("POST", path, body);
      assert.ok(result.status === 400 || result.status === 404, `${JSON.stringify(body)} → ${result.status}`);
      assert.match(String(result.body!.error), message);
    }
    const notJson = await fetch(api("/sessions/s-a/annotations"), { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    assert.equal(notJson.status, 400);
    const wrongType = await fetch(api("/sessions/s-a/annotations"), { method: "POST", body: "name=x" });
    assert.equal(wrongType.status, 415);
  });
});
