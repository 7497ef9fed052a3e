// The rollups kept as spans arrive (per hour, per user, per annotation, metadata links) agree with
// what the spans say, whatever order they come in: children before roots, late roots that move a
// turn to another session and user, annotations before and after the move, retries.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SessionList, SessionStats, UserDetail, UserList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, rng, startTestServer, type TestServer, type TestSpan } from "./support.ts";

let server: TestServer;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 0);
const api = (path: string) => `${server.url}/api/v1/projects/consistency${path}`;


interface Turn { traceId: string; session: string; user: string; tokens: number; error: boolean; startMs: number; plan: string }
const turns: Turn[] = [];
const scores = new Map<string, number>();

before(async () => {
  server = await startTestServer();
  const random = rng(7);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const users = ["ana", "bo", "cy", "di", "ed"];
  const spans: TestSpan[] = [];
  for (let s = 0; s < 24; s++) {
    const session = `s-${s}`;
    const user = pick(users);
    const plan = pick(["free", "pro", "team"]);
    const start = T0 + Math.floor(random() * 72) * HOUR + Math.floor(random() * 60) * 60_000;
    for (let t = 0; t < 1 + Math.floor(random() * 4); t++) {
      const traceId = hexId(16);
      const rootId = hexId(8);
      const startMs = start + t * 7 * 60_000;
      // Some turns' children name another session and user than their root: the root wins.
      const decoy = random() < 0.3 ? { "session.id": `s-${(s + 1) % 24}`, "user.id": pick(users) } : { "session.id": session, "user.id": user };
      const turn = { traceId, session, user, tokens: 10 + Math.floor(random() * 90), error: random() < 0.2, startMs, plan };
      turns.push(turn);
      spans.push(
        { traceId, parentSpanId: rootId, startMs: startMs + 10, endMs: startMs + 500, attributes: { ...decoy, "llm.token_count.total": turn.tokens, metadata: JSON.stringify({ plan: "decoy" }) }, error: turn.error ? "failed" : undefined },
        { traceId, spanId: rootId, startMs, endMs: startMs + 600, attributes: { "session.id": session, "user.id": user, "input.value": `turn of ${session}`, metadata: JSON.stringify({ plan }) } },
      );
    }
  }
  // A long session (turns two hours apart): it overlaps windows that start after it did.
  for (let t = 0; t < 5; t++) {
    const traceId = hexId(16);
    const startMs = T0 + 20 * HOUR + t * 2 * HOUR + 17 * 60_000;
    const turn = { traceId, session: "s-long", user: "ed", tokens: 40 + t, error: t === 3, startMs, plan: "pro" };
    turns.push(turn);
    spans.push({ traceId, spanId: hexId(8), startMs, endMs: startMs + 900, attributes: { "session.id": "s-long", "user.id": "ed", "llm.token_count.total": turn.tokens, "input.value": "a long session", metadata: JSON.stringify({ plan: "pro" }) }, error: turn.error ? "failed" : undefined });
  }
  // Children first, in shuffled requests; then the roots, some of them twice (retries).
  const children = spans.filter((s) => s.parentSpanId);
  const roots = spans.filter((s) => !s.parentSpanId);
  const shuffled = (list: TestSpan[]) => list.map((s) => [random(), s] as const).sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  const send = async (list: TestSpan[]) => {
    for (let i = 0; i < list.length; i += 7) assert.equal((await postOtlpJson(server.url, otlpJson(list.slice(i, i + 7), "consistency"))).status, 200);
  };
  await send(shuffled(children));
  // Annotations while the turns still sit in their decoy sessions, and after they moved.
  for (const s of [0, 3, 5, 8]) await annotate(`s-${s}`, random());
  await send(shuffled(roots));
  await send(roots.slice(0, 10));
  for (const s of [1, 3, 12, 20]) await annotate(`s-${s}`, random());
});
after(() => server.close());

async function annotate(session: string, score: number) {
  const response = await fetch(api(`/sessions/${session}/annotations`), {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "quality", score }),
  });
  if (response.status === 404) return; // the session does not exist (yet)
  assert.ok(response.status < 300, `annotating ${session}: ${response.status}`);
  scores.set(session, score);
}

const sessionsOf = (user: string) => new Set(turns.filter((t) => t.user === user).map((t) => t.session));

test("the project's stats from the hourly totals equal the stats over every session", async () => {
  const { body: hourly } = await getJson<SessionStats>(api("/session-stats"));
  // A window that keeps everything takes the other path: its edges read from the sessions.
  const { body: scanned } = await getJson<SessionStats>(api(`/session-stats?from=${new Date(0).toISOString()}`));
  assert.equal(hourly.sessionCount, new Set(turns.map((t) => t.session)).size);
  assert.equal(hourly.tokens.total, turns.reduce((n, t) => n + t.tokens, 0));
  for (const key of ["sessionCount", "userCount", "errorRate", "avgDurationMs", "avgTurns", "bucketMs"] as const) {
    assert.ok(Math.abs(Number(hourly[key]) - Number(scanned[key])) < 1e-9, `${key}: ${hourly[key]} vs ${scanned[key]}`);
  }
  assert.deepEqual(hourly.tokens, scanned.tokens);
  assert.deepEqual(hourly.series.map((p) => [p.time, p.sessionCount, p.traceCount, p.tokens, p.errorCount]),
    scanned.series.map((p) => [p.time, p.sessionCount, p.traceCount, p.tokens, p.errorCount]));
});

test("the stats by errors, user and time window (partial hours, long sessions) add up to the sessions listed", async () => {
  const at = (hours: number, minutes = 0) => new Date(T0 + hours * HOUR + minutes * 60_000).toISOString();
  const filters = [
    "hasErrors=true", "hasErrors=false", "user=ed", "user=ana&hasErrors=true",
    `from=${at(24, 13)}&to=${at(50, 41)}`, `from=${at(23, 59)}`, `to=${at(30, 5)}`, `from=${at(26)}&to=${at(27)}`,
    `from=${at(26, 30)}&to=${at(26, 40)}`, `from=${at(22, 10)}&hasErrors=true`, `from=${at(21)}&to=${at(60)}&hasErrors=false`,
    `from=${at(10)}&user=ed`,
    // Windows starting and ending at every quarter of some hours, across the sessions' starts.
    ...[0, 15, 30, 45].flatMap((m) => [`from=${at(30, m)}&to=${at(41, m)}`, `from=${at(12, m)}`, `to=${at(47, m)}`]),
  ];
  for (const filter of filters) {
    const { body: stats } = await getJson<SessionStats>(api(`/session-stats?${filter}`));
    const { body: list } = await getJson<SessionList>(api(`/sessions?limit=100&${filter}`));
    const sessions = list.sessions;
    assert.equal(stats.sessionCount, sessions.length, filter);
    assert.equal(stats.tokens.total, sessions.reduce((n, s) => n + s.tokens.total, 0), filter);
    const users = filter.includes("user=") ? Math.min(1, sessions.length) : new Set(sessions.flatMap((s) => s.userIds)).size;
    assert.equal(stats.userCount, users, filter);
    if (sessions.length === 0) continue;
    assert.ok(Math.abs(stats.avgTurns - sessions.reduce((n, s) => n + s.traceCount, 0) / sessions.length) < 1e-9, filter);
    assert.ok(Math.abs(stats.errorRate - sessions.filter((s) => s.errorCount > 0).length / sessions.length) < 1e-9, filter);
    assert.equal(stats.series.reduce((n, p) => n + p.sessionCount, 0), sessions.length, filter);
  }
  // The long session is in a window that starts after it did and ends before its last turn.
  const { body: long } = await getJson<SessionList>(api(`/sessions?limit=100&from=${at(25)}&to=${at(25, 30)}`));
  assert.ok(long.sessions.some((s) => s.sessionId === "s-long"));
});

test("each user's activity adds up to their totals, and their scores to their sessions' mean", async () => {
  const { body: list } = await getJson<UserList>(api("/users?limit=50"));
  assert.deepEqual(list.users.map((u) => u.userId).sort(), [...new Set(turns.map((t) => t.user))].sort());
  for (const user of list.users) {
    const mine = turns.filter((t) => t.user === user.userId);
    const { body } = await getJson<UserDetail>(api(`/users/${user.userId}`));
    assert.equal(body.traceCount, mine.length);
    assert.equal(body.sessionCount, sessionsOf(user.userId).size);
    assert.equal(body.series.reduce((n, p) => n + p.traceCount, 0), mine.length, user.userId);
    assert.equal(body.series.reduce((n, p) => n + p.sessionCount, 0), sessionsOf(user.userId).size, user.userId);
    assert.equal(body.series.reduce((n, p) => n + p.tokens, 0), mine.reduce((n, t) => n + t.tokens, 0));
    assert.equal(body.series.reduce((n, p) => n + p.errorCount, 0), mine.filter((t) => t.error).length);
    const scored = [...sessionsOf(user.userId)].filter((s) => scores.has(s)).map((s) => scores.get(s)!);
    const summary = user.annotations.find((a) => a.name === "quality");
    if (scored.length === 0) assert.equal(summary, undefined, user.userId);
    else assert.ok(Math.abs(summary!.score! - scored.reduce((a, b) => a + b, 0) / scored.length) < 1e-9, user.userId);
  }
});

test("the metadata filter finds the sessions whose spans carry the pair, and only those", async () => {
  for (const plan of ["free", "pro", "team", "decoy"]) {
    const { body } = await getJson<SessionList>(api(`/sessions?limit=100&metadata=plan:${plan}`));
    // Every span's metadata counts: the decoy children's too, in the session their root chose (the long
    // session has no children).
    const expected = new Set(turns.filter((t) => t.plan === plan || (plan === "decoy" && t.session !== "s-long")).map((t) => t.session));
    assert.deepEqual(new Set(body.sessions.map((s) => s.sessionId)), expected, plan);
  }
});
