// Evaluation results where people look: each user's label counts this week, "users with two or
// more frustrated sessions" as one URL, an evaluator's distribution over time, and the label
// counts rebuilt when a database of the previous format is opened.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import type { AnnotationDistribution, UserDetail, UserList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, TEST_STORE, type TestServer, type TestSpan } from "./support.ts";

const DAY = 86_400_000;
const NOW = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), "threadline-results-"));
let server: TestServer;
const api = (path: string) => `${server.url}/api/v1/projects/results${path}`;

/** Sessions: [id, user, days ago, frustration label]. */
const SESSIONS: Array<[string, string, number, string]> = [
  ["a1", "ana", 1, "frustrated"], ["a2", "ana", 2, "frustrated"], ["a3", "ana", 3, "neutral"], ["a4", "ana", 20, "frustrated"],
  ["b1", "bo", 1, "frustrated"], ["b2", "bo", 12, "frustrated"], ["b3", "bo", 4, "satisfied"],
  ["c1", "cy", 0.5, "frustrated"], ["c2", "cy", 5, "frustrated"], ["c3", "cy", 6, "frustrated"],
  ["d1", "di", 2, "satisfied"],
];

async function annotate(sessionId: string, label: string, score: number) {
  const response = await fetch(api(`/sessions/${sessionId}/annotations`), {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "user_frustration", label, score, annotatorKind: "CODE", identifier: "threadline" }),
  });
  assert.ok(response.ok, await response.text());
}

before(async () => {
  server = await startTestServer({ dataDir });
  const spans: TestSpan[] = SESSIONS.map(([session, user, daysAgo]) => {
    const startMs = NOW - daysAgo * DAY;
    return { traceId: hexId(16), spanId: hexId(8), startMs, endMs: startMs + 1000, attributes: { "session.id": session, "user.id": user, "input.value": "hello" } };
  });
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, "results"))).status, 200);
  for (const [session, , , label] of SESSIONS) await annotate(session, label, label === "frustrated" ? 0.9 : 0.1);
});
after(() => server.close());

const labelCounts = (list: UserList, userId: string) => list.users.find((u) => u.userId === userId)?.annotations.find((a) => a.name === "user_frustration")?.labels;

test("each user's sessions per label this week sit beside their average", async () => {
  const { status, body } = await getJson<UserList>(api("/users"));
  assert.equal(status, 200);
  assert.deepEqual(labelCounts(body, "ana"), { frustrated: 2, neutral: 1 });
  assert.deepEqual(labelCounts(body, "bo"), { frustrated: 1, satisfied: 1 });
  assert.deepEqual(labelCounts(body, "cy"), { frustrated: 3 });
  const ana = body.users.find((u) => u.userId === "ana")!.annotations[0];
  assert.equal(ana.score!.toFixed(3), ((0.9 * 3 + 0.1) / 4).toFixed(3), "the average covers every session, not only this week's");
  const month = await getJson<UserList>(api("/users?since=30d"));
  assert.deepEqual(labelCounts(month.body, "ana"), { frustrated: 3, neutral: 1 });
  const detail = await getJson<UserDetail>(api("/users/bo"));
  assert.deepEqual(detail.body.annotations[0].labels, { frustrated: 1, satisfied: 1 });
});

test("users with two or more frustrated sessions this week are one URL", async () => {
  const url = "/users?annotation=user_frustration&label=frustrated&minSessions=2&since=7d&sort=sessionCount";
  const { status, body } = await getJson<UserList>(api(url));
  assert.equal(status, 200);
  assert.deepEqual(body.users.map((u) => u.userId), ["ana", "cy"], "sorted by sessions");
  const month = await getJson<UserList>(api(url.replace("since=7d", "since=30d")));
  assert.deepEqual(month.body.users.map((u) => u.userId).sort(), ["ana", "bo", "cy"]);
  const anyLabel = await getJson<UserList>(api("/users?annotation=user_frustration&minSessions=3"));
  assert.deepEqual(anyLabel.body.users.map((u) => u.userId).sort(), ["ana", "cy"]);
  const wrong = await getJson<{ error: string }>(api("/users?label=frustrated"));
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.error, /annotation=/);
  const badTime = await getJson<{ error: string }>(api("/users?annotation=x&since=yesterday"));
  assert.equal(badTime.status, 400);
  assert.match(badTime.body.error, /since must be/);
});

test("a changed label moves the session between the counts", async () => {
  await annotate("c1", "satisfied", 0.1);
  const { body } = await getJson<UserList>(api("/users?annotation=user_frustration&label=frustrated&minSessions=2"));
  assert.deepEqual(body.users.map((u) => u.userId), ["cy", "ana"], "cy still has two");
  await annotate("c2", "neutral", 0.2);
  const after = await getJson<UserList>(api("/users?annotation=user_frustration&label=frustrated&minSessions=2"));
  assert.deepEqual(after.body.users.map((u) => u.userId), ["ana"]);
  assert.deepEqual(labelCounts(after.body, "ana"), { frustrated: 2, neutral: 1 });
  const all = await getJson<UserList>(api("/users"));
  assert.deepEqual(labelCounts(all.body, "cy"), { satisfied: 1, neutral: 1, frustrated: 1 });
  await annotate("c1", "frustrated", 0.9);
  await annotate("c2", "frustrated", 0.9);
});

test("an evaluator's distribution over time adds up to its sessions, by label and day", async () => {
  const { status, body } = await getJson<AnnotationDistribution>(api("/annotation-names/user_frustration/distribution"));
  assert.equal(status, 200);
  assert.equal(body.bucketMs, DAY);
  const total = (label: string) => body.series.reduce((n, p) => n + (p.labels[label] ?? 0), 0);
  assert.equal(body.series.reduce((n, p) => n + p.sessions, 0), SESSIONS.length);
  assert.equal(total("frustrated"), 8);
  assert.equal(total("satisfied"), 2);
  assert.equal(total("neutral"), 1);
  for (const point of body.series) assert.equal(Object.values(point.labels).reduce((a, b) => a + b, 0), point.sessions);
  const week = await getJson<AnnotationDistribution>(api("/annotation-names/user_frustration/distribution?from=7d"));
  assert.equal(week.body.series.reduce((n, p) => n + p.sessions, 0), 9);
  // The day of c1 (12 hours ago), which a1 and b1 (a day ago) share when the test runs early in a UTC day.
  const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;
  const twelve = week.body.series.find((p) => Date.parse(p.time) === dayOf(NOW - 0.5 * DAY));
  const sameDay = SESSIONS.filter(([, , daysAgo]) => dayOf(NOW - daysAgo * DAY) === dayOf(NOW - 0.5 * DAY));
  assert.deepEqual([twelve?.sessions, twelve?.labels], [sameDay.length, { frustrated: sameDay.length }]);
  assert.ok(twelve && Math.abs(twelve.meanScore! - 0.9) < 1e-9);
  assert.equal((await getJson(api("/annotation-names/user_frustration/distribution?from=2d&to=5d"))).status, 400);
  assert.equal((await getJson(`${server.url}/api/v1/projects/nope/annotation-names/x/distribution`)).status, 404);
});

test("a database of the previous format gets its label counts rebuilt when opened", { skip: TEST_STORE !== "sqlite" && "SQLite's format 8" }, async () => {
  const before = await getJson<UserList>(api("/users?since=30d"));
  await server.close();
  // Back to format 8: user_scores without labels or session counts.
  const db = new DatabaseSync(join(dataDir, "threadline.db"));
  db.exec(`DROP TABLE user_scores;
    CREATE TABLE user_scores (project TEXT NOT NULL, name TEXT NOT NULL, user_id TEXT NOT NULL, hour_us INTEGER NOT NULL,
      annotator_kind TEXT NOT NULL, score_sum REAL NOT NULL, scored INTEGER NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (project, user_id, name, hour_us)) WITHOUT ROWID;
    PRAGMA user_version = 8;`);
  db.close();
  server = await startTestServer({ dataDir });
  const reopened = await getJson<UserList>(api("/users?since=30d"));
  assert.deepEqual(reopened.body, before.body);
});
