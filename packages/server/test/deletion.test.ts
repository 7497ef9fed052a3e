// Deletion and retention: what is deleted cannot be found through any route or the search, and
// what remains reads exactly as on a server that never received the deleted data (every list,
// stats, user, session, conversation and annotation summary compared).
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import type { SessionList, UserList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, rng, startTestServer, TEST_STORE, type TestServer, type TestSpan } from "./support.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PROJECT = "erasure";

interface Turn { traceId: string; session: string | null; user: string; startMs: number; spans: TestSpan[] }
interface Note { path: (t: Turn) => string; turn: Turn; body: object }

/** A seeded conversation history: shared sessions, sessionless turns, errors, tags, metadata. */
function history(seed: number, t0: number, spreadHours: number): Turn[] {
  const random = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const users = ["ana", "bo", "cy", "eve"];
  const turns: Turn[] = [];
  for (let s = 0; s < 30; s++) {
    const session = `s-${seed}-${s}`;
    const owner = pick(users);
    const start = t0 + random() * spreadHours * HOUR;
    for (let k = 0; k < 1 + Math.floor(random() * 5); k++) {
      // Now and then someone else speaks in the session (a shared conversation).
      const user = random() < 0.15 ? pick(users) : owner;
      turns.push(turn(session, user, start + k * 9 * 60_000, random() < 0.2, pick(["free", "pro"])));
    }
  }
  for (let k = 0; k < 8; k++) turns.push(turn(null, users[k % users.length], t0 + random() * spreadHours * HOUR, false, "free"));
  return turns;
}

function turn(session: string | null, user: string, startMs: number, error: boolean, plan: string): Turn {
  const traceId = hexId(16);
  const rootId = hexId(8);
  const who = { ...(session ? { "session.id": session } : {}), "user.id": user };
  // Each user's words are their own: "secret<user>" finds only what they said.
  const spans: TestSpan[] = [
    { traceId, spanId: rootId, name: "turn", startMs, endMs: startMs + 800, attributes: { ...who, "input.value": `hello from secret${user} about ${plan}`, "output.value": "common answer words", metadata: JSON.stringify({ plan }), "tag.tags": [plan] } },
    { traceId, spanId: hexId(8), parentSpanId: rootId, name: "llm", startMs: startMs + 50, endMs: startMs + 700, attributes: { ...who, "openinference.span.kind": "LLM", "llm.token_count.prompt": 30, "llm.token_count.completion": 12, "llm.model_name": "gpt-4o-mini" }, error: error ? "boom" : undefined },
  ];
  return { traceId, session, user, startMs, spans };
}

/**
 * One turn a request, in time order: a user's sessions per hour count the hour of the request
 * that linked them, which a recount makes the hour of their first turn (the same thing here).
 */
async function send(server: TestServer, turns: Turn[], project = PROJECT): Promise<void> {
  for (const t of [...turns].sort((a, b) => a.startMs - b.startMs)) assert.equal((await postOtlpJson(server.url, otlpJson(t.spans, project))).status, 200);
}

/** Session annotations and trace annotations, some on what will be deleted. */
function notesFor(turns: Turn[]): Note[] {
  return turns.filter((_, i) => i % 3 === 0).map((t, i) => i % 2 === 0 && t.session
    ? { turn: t, path: (x) => `/sessions/${x.session}/annotations`, body: { name: "quality", score: (i % 5) / 4, label: i % 4 ? "good" : "bad", annotatorKind: "HUMAN" } }
    : { turn: t, path: (x) => `/traces/${x.traceId}/annotations`, body: { name: "helpful", score: i % 2, annotatorKind: "CODE" } });
}

async function annotate(server: TestServer, notes: Note[]): Promise<void> {
  for (const note of notes) {
    const response = await fetch(`${server.url}/api/v1/projects/${PROJECT}${note.path(note.turn)}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(note.body),
    });
    assert.ok(response.status === 200 || response.status === 201, `annotation: ${response.status}`);
  }
}

/** Every read a person makes, with what differs between equal data (ids, times written) taken out. */
async function everything(server: TestServer): Promise<Record<string, unknown>> {
  const api = async (path: string) => (await getJson(`${server.url}/api/v1${path}`)).body;
  const p = `/projects/${PROJECT}`;
  const out: Record<string, unknown> = { projects: await api("/projects") };
  for (const sort of ["startTime", "traceCount", "totalTokens", "errorCount", "cost"]) {
    out[`sessions ${sort}`] = await api(`${p}/sessions?limit=500&sort=${sort}`);
  }
  for (const filter of ["", "?hasErrors=true", "?user=ana", "?tag=pro", "?metadata=plan:free", "?annotation=quality", "?q=common"]) {
    out[`stats ${filter}`] = await api(`${p}/session-stats${filter}`);
    out[`list ${filter}`] = await api(`${p}/sessions${filter}${filter ? "&" : "?"}limit=500`);
  }
  const users = (await api(`${p}/users?limit=500&sort=sessionCount`)) as UserList;
  out.users = users;
  for (const u of users.users) out[`user ${u.userId}`] = await api(`${p}/users/${u.userId}`);
  const sessions = (await api(`${p}/sessions?limit=500`)) as SessionList;
  for (const s of sessions.sessions) {
    out[`session ${s.sessionId}`] = await api(`${p}/sessions/${s.sessionId}`);
    out[`conversation ${s.sessionId}`] = await api(`${p}/sessions/${s.sessionId}/conversation`);
  }
  out.names = await api(`${p}/annotation-names`);
  out.search = await api(`${p}/search?q=common`);
  // Sums recounted in another order differ in their last bits.
  const round = (value: unknown) => (typeof value === "number" && !Number.isInteger(value) ? Number(value.toPrecision(10)) : value);
  return JSON.parse(JSON.stringify(out, (key, value) => (["id", "createdAt", "updatedAt", "lastActivity"].includes(key) ? undefined : round(value))));
}

let full: TestServer;
let expected: TestServer;
let turns: Turn[];

before(async () => {
  [full, expected] = await Promise.all([startTestServer(), startTestServer()]);
  turns = history(3, Date.UTC(2026, 4, 1), 72);
});
after(async () => Promise.all([full?.close(), expected?.close()]));

test("deleting a session, a trace and a user leaves exactly what a server that never had them shows", async () => {
  const sessionGone = turns.find((t) => t.session && t.user !== "eve")!.session!;
  // A trace in a session that stays (a session with several turns, none of them eve's).
  const bySession = Map.groupBy(turns.filter((t) => t.session), (t) => t.session!);
  const [, kept] = [...bySession].find(([id, list]) => id !== sessionGone && list.length > 2 && list.every((t) => t.user !== "eve"))!;
  const traceGone = kept[1].traceId;
  const eveSessions = new Set(turns.filter((t) => t.user === "eve" && t.session).map((t) => t.session));
  assert.ok(eveSessions.size > 2 && turns.some((t) => t.user === "eve" && !t.session), "the history has sessions and loose turns of eve");
  const deleted = (t: Turn) => t.session === sessionGone || t.traceId === traceGone || (t.session ? eveSessions.has(t.session) : t.user === "eve");

  const notes = notesFor(turns);
  // The deleted trace's evaluation counts in its session's summary until it goes.
  for (const [t, score] of [[kept[1], 1], [kept[2], 0]] as const) notes.push({ turn: t, path: (x) => `/traces/${x.traceId}/annotations`, body: { name: "helpful", score, annotatorKind: "CODE" } });
  await send(full, turns);
  await annotate(full, notes);
  await send(expected, turns.filter((t) => !deleted(t)));
  await annotate(expected, notes.filter((n) => !deleted(n.turn)));

  const del = (path: string) => fetch(`${full.url}/api/v1/projects/${PROJECT}${path}`, { method: "DELETE" });
  const session = await del(`/sessions/${sessionGone}`);
  assert.equal(session.status, 200);
  const sessionTurns = turns.filter((t) => t.session === sessionGone);
  assert.deepEqual(await session.json(), { traces: sessionTurns.length, spans: sessionTurns.length * 2, sessions: 1, annotations: notes.filter((n) => n.turn.session === sessionGone).length });
  const trace = await (await del(`/traces/${traceGone}`)).json();
  assert.deepEqual([trace.traces, trace.spans, trace.sessions], [1, 2, 0]);
  const user = await del("/users/eve");
  assert.equal(user.status, 200);
  assert.equal((await user.json()).sessions, eveSessions.size);
  assert.equal((await del("/users/eve")).status, 404, "nothing is left to erase");
  assert.equal((await del(`/traces/${traceGone}`)).status, 404);

  // Both servers' lifecycle passes done: old sessions are idle on both, however busy the machine.
  await Promise.all([full.evaluation.runOnce(), expected.evaluation.runOnce()]);
  assert.deepEqual(await everything(full), await everything(expected));

  // Nothing deleted can be found: not its pages, not its words, not its user.
  const get = async (path: string) => (await fetch(`${full.url}/api/v1/projects/${PROJECT}${path}`)).status;
  for (const t of turns.filter(deleted)) assert.equal(await get(`/traces/${t.traceId}`), 404);
  for (const id of [sessionGone, ...eveSessions]) assert.equal(await get(`/sessions/${id}`), 404);
  assert.equal(await get("/users/eve"), 404);
  const search = (await getJson(`${full.url}/api/v1/projects/${PROJECT}/search?q=secreteve`)).body;
  assert.deepEqual(search, { sessions: [], users: [], traces: [] });
  // Nor in SQLite's file itself: its words are out of the index, its spans out of the table
  // (ClickHouse's tables: clickhouse/deletion.test.ts).
  if (TEST_STORE === "sqlite") {
    const db = new DatabaseSync(join(full.dataDir, "threadline.db"), { readOnly: true });
    assert.equal((db.prepare("SELECT count(*) AS n FROM spans_fts WHERE spans_fts MATCH 'secreteve'").get() as { n: number }).n, 0);
    assert.equal((db.prepare("SELECT count(*) AS n FROM spans").get() as { n: number }).n, turns.filter((t) => !deleted(t)).length * 2);
    db.close();
  }
  const listed = (await getJson<SessionList>(`${full.url}/api/v1/projects/${PROJECT}/sessions?q=secreteve`)).body;
  assert.equal(listed.sessions.length, 0);

  // What remains is still written to and read: a new turn of eve starts her over.
  await send(full, [turn("s-new", "eve", Date.UTC(2026, 4, 5), false, "pro")]);
  assert.equal((await getJson<{ sessionCount: number }>(`${full.url}/api/v1/projects/${PROJECT}/users/eve`)).body.sessionCount, 1);
});

test("retention deletes what started before the project's window and leaves the rest as if never sent", async () => {
  const now = Date.now();
  const cutoff = now - 30 * DAY;
  // Sessions from 40 days ago on, some wholly old, some straddling the 30-day line; none within
  // an hour of it, so what is kept does not depend on the moment the job runs.
  const old = history(11, now - 40 * DAY, 24 * 12).filter((t) => Math.abs(t.startMs - cutoff) > HOUR);
  const project = "retained";
  const [withRetention, fresh] = await Promise.all([
    startTestServer({ retentionDays: 30, projects: { keepall: { retentionDays: null } } }),
    startTestServer(),
  ]);
  try {
    assert.ok(old.some((t) => t.startMs < cutoff) && old.some((t) => t.startMs >= cutoff));
    await send(withRetention, old, project);
    await send(withRetention, old, "keepall");
    await send(fresh, old.filter((t) => t.startMs >= cutoff), project);
    await withRetention.retention.runOnce();
    await Promise.all([withRetention.evaluation.runOnce(), fresh.evaluation.runOnce()]);
    const read = async (server: TestServer, name: string) => {
      const projects = (await getJson<{ projects: Array<Record<string, unknown>> }>(`${server.url}/api/v1/projects`)).body.projects;
      const stats = (await getJson(`${server.url}/api/v1/projects/${name}/session-stats`)).body;
      const sessions = (await getJson<SessionList>(`${server.url}/api/v1/projects/${name}/sessions?limit=500`)).body;
      const users = (await getJson(`${server.url}/api/v1/projects/${name}/users?limit=500`)).body;
      const { lastActivity: _, ...counts } = projects.find((p) => p.name === name)!;
      return { counts, stats, sessions, users };
    };
    assert.deepEqual(await read(withRetention, project), await read(fresh, project));
    const kept = (await getJson<{ projects: Array<{ name: string; spanCount: number }> }>(`${withRetention.url}/api/v1/projects`)).body.projects;
    assert.equal(kept.find((p) => p.name === "keepall")!.spanCount, old.length * 2, "a project set to keep everything keeps everything");
    const metrics = await (await fetch(`${withRetention.url}/metrics`)).text();
    assert.match(metrics, /threadline_traces_deleted_total\{reason="retention"\} [1-9]/);
  } finally {
    await Promise.all([withRetention.close(), fresh.close()]);
  }
});
