// The sessions list's filters and the users list, as a person narrowing down a project uses them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SessionList, UserList, UserSummary } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);

// Five sessions, three users, across four days.
const SESSIONS = [
  { id: "s1", user: "ana", day: 0, tags: ["billing"], turns: ["my invoice is wrong", "thanks"], error: false },
  { id: "s2", user: "ana", day: 1, tags: ["shipping"], turns: ["where is my parcel", "still waiting"], error: true },
  { id: "s3", user: "ben", day: 1, tags: ["billing", "vip"], turns: ["refund the duplicate invoice please"], error: false },
  { id: "s4", user: "ben", day: 2, tags: [], turns: ["what is the weather in Zürich"], error: false },
  { id: "s5", user: "cy", day: 3, tags: ["shipping"], turns: ["parcel arrived damaged", "send photos?", "done"], error: false },
];

before(async () => {
  server = await startTestServer();
  for (const s of SESSIONS) {
    const spans = s.turns.map((text, i) => ({
      traceId: hexId(16),
      startMs: T0 + s.day * DAY + i * 60_000,
      endMs: T0 + s.day * DAY + i * 60_000 + 1000,
      attributes: { "session.id": s.id, "user.id": s.user, "input.value": text, "output.value": `answer ${i}`, "tag.tags": s.tags, "llm.token_count.total": 10 },
      error: s.error && i === 1 ? "provider timeout" : undefined,
    }));
    assert.equal((await postOtlpJson(server.url, otlpJson(spans, "shop"))).status, 200);
  }
});
after(() => server.close());

const sessions = async (query: string) => {
  const { status, body } = await getJson<SessionList>(`${server.url}/api/v1/projects/shop/sessions?${query}`);
  assert.equal(status, 200, `${query}: ${JSON.stringify(body)}`);
  return body.sessions.map((s) => s.sessionId).sort();
};

describe("session filters", () => {
  test("by user", async () => assert.deepEqual(await sessions("user=ana"), ["s1", "s2"]));
  test("by tag", async () => assert.deepEqual(await sessions("tag=billing"), ["s1", "s3"]));
  test("by errors", async () => {
    assert.deepEqual(await sessions("hasErrors=true"), ["s2"]);
    assert.deepEqual(await sessions("hasErrors=false"), ["s1", "s3", "s4", "s5"]);
  });
  test("by time: sessions overlapping the window", async () => {
    const from = new Date(T0 + DAY + 500).toISOString();
    const to = new Date(T0 + 2 * DAY + 500).toISOString();
    assert.deepEqual(await sessions(`from=${from}&to=${to}`), ["s2", "s3", "s4"]);
    assert.deepEqual(await sessions(`from=${T0 + 3 * DAY}`), ["s5"]);
  });
  test("by text in any turn, every word, any case and accents folded", async () => {
    assert.deepEqual(await sessions("q=parcel"), ["s2", "s5"]);
    assert.deepEqual(await sessions("q=INVOICE"), ["s1", "s3"]);
    assert.deepEqual(await sessions("q=duplicate invoice"), ["s3"]);
    assert.deepEqual(await sessions("q=zurich"), ["s4"]);
    assert.deepEqual(await sessions(`q=${encodeURIComponent('"unbalanced (AND')}`), []);
  });
  test("by a phrase in double quotes: its words together, in order", async () => {
    assert.deepEqual(await sessions(`q=${encodeURIComponent('"where is my"')}`), ["s2"]);
    assert.deepEqual(await sessions(`q=${encodeURIComponent('"invoice is"')}`), ["s1"]);
    assert.deepEqual(await sessions(`q=${encodeURIComponent('"is invoice"')}`), []);
    assert.deepEqual(await sessions(`q=${encodeURIComponent("invoice is")}`), ["s1"]);
    assert.deepEqual(await sessions(`q=${encodeURIComponent('"duplicate invoice" refund')}`), ["s3"]);
  });
  test("combined, with sorting and pagination", async () => {
    assert.deepEqual(await sessions("user=ana&tag=shipping"), ["s2"]);
    const { body } = await getJson<SessionList>(`${server.url}/api/v1/projects/shop/sessions?q=parcel&sort=traceCount&order=desc&limit=1`);
    assert.equal(body.sessions[0].sessionId, "s5");
    const { body: next } = await getJson<SessionList>(`${server.url}/api/v1/projects/shop/sessions?q=parcel&sort=traceCount&order=desc&limit=1&cursor=${body.nextCursor}`);
    assert.deepEqual(next.sessions.map((s) => s.sessionId), ["s2"]);
    assert.equal(next.nextCursor, null);
  });
  test("bad filter values are refused with a reason", async () => {
    for (const [query, message] of [["from=yesterday", /from must be an ISO-8601/], ["hasErrors=maybe", /hasErrors must be true or false/], [`from=${T0 + DAY}&to=${T0}`, /from must not be after to/]] as const) {
      const { status, body } = await getJson<{ error: string }>(`${server.url}/api/v1/projects/shop/sessions?${query}`);
      assert.equal(status, 400);
      assert.match(body.error, message);
    }
  });
});

describe("users", () => {
  test("the users list rolls up each user's sessions, turns, tokens and errors", async () => {
    const { body } = await getJson<UserList>(`${server.url}/api/v1/projects/shop/users?sort=traceCount&order=desc`);
    assert.deepEqual(
      body.users.map((u) => [u.userId, u.sessionCount, u.traceCount, u.tokens.total, u.errorCount]),
      [["ana", 2, 4, 40, 1], ["ben", 2, 2, 20, 0], ["cy", 1, 3, 30, 0]].sort((a, b) => (b[2] as number) - (a[2] as number)),
    );
    const ana = body.users.find((u) => u.userId === "ana")!;
    assert.equal(ana.firstSeen, new Date(T0).toISOString());
    assert.equal(ana.lastSeen, new Date(T0 + DAY + 61_000).toISOString());
  });
  test("user detail, search by part of the id, and 404", async () => {
    const { body } = await getJson<UserSummary>(`${server.url}/api/v1/projects/shop/users/ben`);
    assert.equal(body.sessionCount, 2);
    const { body: found } = await getJson<UserList>(`${server.url}/api/v1/projects/shop/users?q=e`);
    assert.deepEqual(found.users.map((u) => u.userId), ["ben"]);
    assert.equal((await getJson(`${server.url}/api/v1/projects/shop/users/nobody`)).status, 404);
  });
  test("the project counts its users", async () => {
    const { body } = await getJson<{ projects: Array<{ name: string; userCount: number; sessionCount: number; spanCount: number }> }>(`${server.url}/api/v1/projects`);
    const shop = body.projects.find((p) => p.name === "shop")!;
    assert.deepEqual([shop.userCount, shop.sessionCount, shop.spanCount], [3, 5, 9]);
  });
});

describe("a trace whose root arrives late and names another session and user", () => {
  test("moves, with every total recounted", async () => {
    const traceId = hexId(16);
    const root = hexId(8);
    await postOtlpJson(server.url, otlpJson([{ traceId, parentSpanId: root, startMs: T0 + 10, endMs: T0 + 20, attributes: { "session.id": "early", "user.id": "u-early", "tag.tags": ["x"], "llm.token_count.total": 7 } }], "moves"));
    await postOtlpJson(server.url, otlpJson([{ traceId, spanId: root, startMs: T0, endMs: T0 + 30, attributes: { "session.id": "late", "user.id": "u-late", "llm.token_count.total": 3 } }], "moves"));
    const { body: list } = await getJson<SessionList>(`${server.url}/api/v1/projects/moves/sessions`);
    assert.deepEqual(list.sessions.map((s) => [s.sessionId, s.traceCount, s.tokens.total, s.userIds, s.tags]), [["late", 1, 10, ["u-late"], ["x"]]]);
    const { body: users } = await getJson<UserList>(`${server.url}/api/v1/projects/moves/users`);
    assert.deepEqual(users.users.map((u) => [u.userId, u.sessionCount, u.traceCount, u.tokens.total]), [["u-late", 1, 1, 10]]);
    assert.deepEqual(await (await fetch(`${server.url}/api/v1/projects/moves/sessions?user=u-early`)).json(), { sessions: [], nextCursor: null });
    const { body: projects } = await getJson<{ projects: Array<{ name: string; userCount: number; sessionCount: number }> }>(`${server.url}/api/v1/projects`);
    const moves = projects.projects.find((p) => p.name === "moves")!;
    assert.deepEqual([moves.sessionCount, moves.userCount], [1, 1]);
  });
});

describe("filters that keep thousands of sessions", () => {
  test("page through them in sort order, by text, tag and user alike", async () => {
    const spans = Array.from({ length: 2100 }, (_, i) => ({
      traceId: hexId(16),
      startMs: T0 + i * 1000,
      endMs: T0 + i * 1000 + 10,
      attributes: {
        "session.id": `bulk-${String(i).padStart(4, "0")}`,
        "user.id": i % 3 === 0 ? "bot" : `person-${i}`,
        "input.value": i % 2 === 0 ? "common words everywhere" : "common words and a rare zebra",
        "tag.tags": ["bulk"],
      },
    }));
    for (let i = 0; i < spans.length; i += 700) {
      assert.equal((await postOtlpJson(server.url, otlpJson(spans.slice(i, i + 700), "bulk"))).status, 200);
    }
    const list = async (query: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const { body }: { body: SessionList } = await getJson<SessionList>(`${server.url}/api/v1/projects/bulk/sessions?${query}&limit=500${cursor ? `&cursor=${cursor}` : ""}`);
        ids.push(...body.sessions.map((s) => s.sessionId));
        cursor = body.nextCursor;
      } while (cursor);
      return ids;
    };
    const newestFirst = (keep: (i: number) => boolean) =>
      Array.from({ length: 2100 }, (_, i) => i).filter(keep).reverse().map((i) => `bulk-${String(i).padStart(4, "0")}`);
    assert.deepEqual(await list("q=common"), newestFirst(() => true));
    assert.deepEqual(await list("q=zebra"), newestFirst((i) => i % 2 === 1));
    assert.deepEqual(await list("tag=bulk"), newestFirst(() => true));
    assert.deepEqual(await list("user=bot"), newestFirst((i) => i % 3 === 0));
    assert.deepEqual(await list("q=common&user=bot&tag=bulk"), newestFirst((i) => i % 3 === 0));
  });
});
