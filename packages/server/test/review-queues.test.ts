// Review queues over HTTP: made from the sessions a filter keeps, in the list's order; stepped
// through with each review stored as a HUMAN annotation beside the evaluator's; progress and
// agreement per evaluator read back; bad reviews refused alone; erasure takes the items along.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ReviewQueue, ReviewQueueDetail, ReviewQueueList } from "../src/api/review-types.ts";
import type { SessionList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer, type TestSpan } from "./support.ts";

let server: TestServer;
const api = (path: string) => `${server.url}/api/v1/projects/queues${path}`;
const send = (method: string, path: string, body?: unknown) =>
  fetch(api(path), { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

/** The evaluator's verdicts: session → label and score. */
const VERDICTS: Record<string, [string, number]> = { s1: ["frustrated", 0.9], s2: ["frustrated", 0.8], s3: ["neutral", 0.3], s4: ["frustrated", 0.7], s5: ["satisfied", 0.1] };

before(async () => {
  server = await startTestServer();
  const now = Date.now();
  const spans: TestSpan[] = Object.keys(VERDICTS).map((session, i) => ({
    traceId: hexId(16), spanId: hexId(8), startMs: now - (10 - i) * 60_000, endMs: now - (10 - i) * 60_000 + 500,
    attributes: { "session.id": session, "user.id": `u${i}`, "input.value": `help ${session}` },
  }));
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, "queues"))).status, 200);
  for (const [session, [label, score]] of Object.entries(VERDICTS)) {
    const response = await send("POST", `/sessions/${session}/annotations`, { name: "user_frustration", label, score, annotatorKind: "CODE", identifier: "threadline", metadata: { turn: 1 } });
    assert.ok(response.ok);
  }
});
after(() => server.close());

test("a queue of the frustrated sessions, most frustrated first, reviewed one at a time with progress and agreement", async () => {
  const made = await send("POST", "/review-queues", {
    name: "Frustrated this week", annotation: "user_frustration",
    filter: { annotation: "user_frustration", label: "frustrated", from: "7d" }, sort: "annotation:user_frustration", order: "desc",
  });
  assert.equal(made.status, 201, await made.clone().text());
  const queue = (await made.json()) as ReviewQueue;
  assert.equal(queue.total, 3);
  assert.equal(queue.reviewed, 0);
  assert.equal(queue.createdBy, "local");
  assert.deepEqual(queue.labels.sort(), ["frustrated", "neutral", "satisfied"], "the labels the name has had");

  const detail = (await getJson<ReviewQueueDetail>(api(`/review-queues/${queue.id}`))).body;
  assert.deepEqual(detail.items.map((i) => i.sessionId), ["s1", "s2", "s4"]);
  assert.deepEqual(detail.items[0].verdicts, [{ annotatorKind: "CODE", identifier: "threadline", label: "frustrated", score: 0.9 }]);

  // The reviewer agrees on s1, disagrees on s2 (and scores it lower).
  assert.equal((await send("POST", `/review-queues/${queue.id}/items/1/review`, { label: "frustrated", score: 1 })).status, 200);
  assert.equal((await send("POST", `/review-queues/${queue.id}/items/2/review`, { label: "neutral", score: 0.2, explanation: "just terse" })).status, 200);
  const after = (await getJson<ReviewQueueDetail>(api(`/review-queues/${queue.id}`))).body;
  assert.equal(after.queue.reviewed, 2);
  assert.deepEqual(after.items.map((i) => i.reviewedBy), ["local", "local", null]);
  assert.equal(after.items[1].review?.explanation, "just terse");
  assert.equal(after.items[1].review?.annotatorKind, "HUMAN");
  assert.equal(after.agreement.length, 1);
  assert.equal(after.agreement[0].identifier, "threadline");
  assert.equal(after.agreement[0].compared, 2);
  assert.equal(after.agreement[0].sameLabel, 0.5);
  assert.ok(Math.abs(after.agreement[0].meanScoreDifference! - (0.1 + 0.6) / 2) < 1e-9);

  // The review sits beside the evaluator's on the session; the list shows the queue's progress.
  const annotations = (await getJson<{ annotations: Array<{ annotatorKind: string; label: string }> }>(api("/sessions/s2/annotations"))).body.annotations;
  assert.deepEqual(annotations.map((a) => `${a.annotatorKind}:${a.label}`).sort(), ["CODE:frustrated", "HUMAN:neutral"]);
  const list = (await getJson<ReviewQueueList>(api("/review-queues"))).body;
  assert.deepEqual(list.queues.map((q) => [q.name, q.reviewed, q.total]), [["Frustrated this week", 2, 3]]);
});

test("bad reviews and queues are refused with what was wrong; the rest stays", async () => {
  const queue = (await (await send("POST", "/review-queues", { name: "all", annotation: "user_frustration", labels: ["yes", "no"], limit: 2 })).json()) as ReviewQueue;
  assert.equal(queue.total, 2);
  const cases: Array<[string, unknown, number, RegExp]> = [
    [`/review-queues/${queue.id}/items/1/review`, { label: "maybe" }, 400, /label must be one of yes, no/],
    [`/review-queues/${queue.id}/items/1/review`, {}, 400, /needs a label, a score or a note/],
    [`/review-queues/${queue.id}/items/9/review`, { label: "yes" }, 404, /no item 9/],
    [`/review-queues/nope/items/1/review`, { label: "yes" }, 404, /no review queue/],
    [`/review-queues/${queue.id}/items/1/review`, { label: "yes", score: "high" }, 400, /score/],
    ["/review-queues", { name: "none", annotation: "x", filter: { user: "nobody" } }, 400, /keeps no session/],
    ["/review-queues", { annotation: "x" }, 400, /name/],
  ];
  for (const [path, body, status, message] of cases) {
    const response = await send("POST", path, body);
    assert.equal(response.status, status, `${path} ${JSON.stringify(body)}`);
    assert.match(((await response.json()) as { error: string }).error, message);
  }
  assert.equal((await getJson<ReviewQueueDetail>(api(`/review-queues/${queue.id}`))).body.queue.reviewed, 0);
});

test("erasing a session takes its queue items; deleting a queue keeps its reviews", async () => {
  const queue = (await (await send("POST", "/review-queues", { name: "to erase", annotation: "user_frustration", filter: {} })).json()) as ReviewQueue;
  assert.equal(queue.total, 5);
  assert.equal((await send("POST", `/review-queues/${queue.id}/items/1/review`, { score: 0.5 })).status, 200);
  const first = (await getJson<ReviewQueueDetail>(api(`/review-queues/${queue.id}`))).body.items[0].sessionId;
  const second = (await getJson<ReviewQueueDetail>(api(`/review-queues/${queue.id}`))).body.items[1].sessionId;
  assert.equal((await send("DELETE", `/sessions/${second}`)).status, 200);
  const detail = (await getJson<ReviewQueueDetail>(api(`/review-queues/${queue.id}`))).body;
  assert.equal(detail.queue.total, 4);
  assert.ok(!detail.items.some((i) => i.sessionId === second));
  assert.equal((await send("DELETE", `/review-queues/${queue.id}`)).status, 204);
  assert.equal((await getJson(api(`/review-queues/${queue.id}`))).status, 404);
  const kept = (await getJson<SessionList>(api(`/sessions?annotation=user_frustration&limit=50`))).body.sessions.find((s) => s.sessionId === first);
  assert.ok(kept, "the reviewed session and its annotations stay");
});
