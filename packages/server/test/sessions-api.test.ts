// The sessions list: every sort, both orders, cursor pages that neither skip nor repeat.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SessionList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
const T0 = Date.UTC(2026, 2, 1);
// Eleven sessions whose turn counts, durations and tokens differ, with some ties.
const SESSIONS = Array.from({ length: 11 }, (_, i) => ({
  id: `sess/${String(i).padStart(2, "0")}`, // a slash, to prove ids are path-safe
  turns: 1 + (i % 4),
  tokens: 100 * ((i * 7) % 5),
  startMs: T0 + i * 1000,
}));

before(async () => {
  server = await startTestServer();
  for (const s of SESSIONS) {
    const spans = Array.from({ length: s.turns }, (_, t) => ({
      traceId: hexId(16),
      startMs: s.startMs + t * 100,
      endMs: s.startMs + t * 100 + 50,
      attributes: { "session.id": s.id, "llm.token_count.total": s.tokens },
    }));
    assert.equal((await postOtlpJson(server.url, otlpJson(spans, "list"))).status, 200);
  }
});
after(() => server.close());

const list = (query: string) => getJson<SessionList>(`${server.url}/api/v1/projects/list/sessions?${query}`);

async function readAllPages(sort: string, order: string, limit: number) {
  const seen: SessionList["sessions"] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await list(`sort=${sort}&order=${order}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(status, 200);
    assert.ok(body.sessions.length <= limit);
    seen.push(...body.sessions);
    cursor = body.nextCursor;
  } while (cursor);
  return seen;
}

describe("GET /api/v1/projects/{project}/sessions", () => {
  test("defaults to the newest sessions first, 50 per page", async () => {
    const { body } = await list("");
    assert.equal(body.sessions.length, 11);
    assert.equal(body.sessions[0].sessionId, "sess/10");
    assert.equal(body.nextCursor, null);
  });

  for (const [sort, value] of [
    ["startTime", (s: SessionList["sessions"][0]) => Date.parse(s.startTime)],
    ["traceCount", (s: SessionList["sessions"][0]) => s.traceCount],
    ["totalTokens", (s: SessionList["sessions"][0]) => s.tokens.total],
    ["durationMs", (s: SessionList["sessions"][0]) => s.durationMs],
  ] as const) {
    for (const order of ["asc", "desc"]) {
      test(`pages through every session sorted by ${sort} ${order}`, async () => {
        const all = await readAllPages(sort, order, 3);
        assert.deepEqual(all.map((s) => s.sessionId).sort(), SESSIONS.map((s) => s.id).sort(), "each session exactly once");
        const values = all.map(value);
        const sorted = [...values].sort((a, b) => (order === "asc" ? a - b : b - a));
        assert.deepEqual(values, sorted);
      });
    }
  }

  test("rejects bad parameters with a reason", async () => {
    for (const [query, message] of [
      ["sort=nope", /unknown sort "nope"/],
      ["order=up", /order must be asc or desc/],
      ["limit=0", /limit must be >= 1/],
      ["limit=ten", /limit must be a whole number/],
      ["cursor=garbage", /cursor is not one this API returned/],
    ] as const) {
      const { status, body } = await list(query);
      assert.equal(status, 400, query);
      assert.match((body as unknown as { error: string }).error, message);
    }
    const { body } = await list("sort=traceCount&limit=2");
    const mismatch = await list(`sort=startTime&limit=2&cursor=${body.nextCursor}`);
    assert.equal(mismatch.status, 400);
  });

  test("answers 404 for an unknown project or session", async () => {
    assert.equal((await getJson(`${server.url}/api/v1/projects/nope/sessions`)).status, 404);
    const missing = await getJson<{ error: string }>(`${server.url}/api/v1/projects/list/sessions/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /no session "nope"/);
    assert.equal((await getJson(`${server.url}/api/v1/projects/list/sessions/${encodeURIComponent("sess/03")}`)).status, 200);
  });
});
