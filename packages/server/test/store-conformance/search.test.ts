// Search: ids that start with the text (sessions, users, traces), then sessions where the words,
// or a quoted phrase, were said; and the sessions list's text filter for the same words.
import assert from "node:assert/strict";
import type { SearchRecord } from "../../src/store/store.ts";
import { makeFixture, WORDS, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { filterSessions, model, sortedIds } from "./model.ts";

const fixture = makeFixture("search", 6);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;
const aTrace = [...m.traces.keys()][5];
const aSession = [...m.sessions.keys()][3];

/** Id hits come in no particular order: sorted by id (the only normalization here). */
const sortHits = (r: SearchRecord): SearchRecord => {
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const idHits = r.sessions.filter((s) => s.match === "id").sort((a, b) => byId(a.sessionId, b.sessionId));
  return { sessions: [...idHits, ...r.sessions.filter((s) => s.match === "text")], users: [...r.users].sort((a, b) => byId(a.userId, b.userId)), traces: [...r.traces].sort((a, b) => byId(a.traceId, b.traceId)) };
};

function expected(text: string, limit: number): SearchRecord {
  const sessions = [...m.sessions.values()];
  const idHits = sessions.filter((s) => s.sessionId.startsWith(text)).sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1)).slice(0, limit);
  const textHits = sortedIds(filterSessions(m, { text }), (s) => s.startUs, (s) => s.sessionId, "desc").slice(0, limit)
    .filter((id) => !idHits.some((s) => s.sessionId === id)).map((id) => m.sessions.get(id)!);
  const hexPrefix = /^[0-9a-f]{4,32}$/i.test(text);
  return {
    sessions: [...idHits.map((s) => ({ ...s, match: "id" as const })), ...textHits.map((s) => ({ ...s, match: "text" as const }))].slice(0, limit)
      .map((s) => ({ sessionId: s.sessionId, userIds: s.userIds, startUs: s.startUs, match: s.match })),
    users: [...m.users.values()].filter((u) => u.userId.startsWith(text)).slice(0, limit).map((u) => ({ userId: u.userId, sessionCount: u.sessionCount })),
    traces: hexPrefix ? [...m.traces.values()].filter((t) => t.traceId.startsWith(text.toLowerCase())).slice(0, limit).map((t) => ({ traceId: t.traceId, sessionId: t.sessionId, startUs: t.startUs })) : [],
  };
}

const SEARCHES: Array<[string, string, number]> = [
  ["a common word, more sessions than the limit", WORDS.common, 4],
  ["a common word, all of them", WORDS.common, 100],
  ["a rare word", WORDS.rare, 10],
  ["a rare word in capitals", WORDS.rare.toUpperCase(), 10],
  ["a phrase in quotes", `"${WORDS.phrase}"`, 10],
  ["the phrase's words unquoted (also said apart)", WORDS.phrase, 10],
  ["words in the wrong order, quoted", `"whale blue"`, 10],
  ["a word nobody said", "xylophone", 10],
  ["a word with its accent left out, in capitals", "ZURICH", 10],
  ["a word with its accent", "zürich", 10],
  ["a number written against a non-ASCII symbol (24°C)", "24", 10],
  ["punctuation only", "!!! ??", 10],
  ["a session id's start", aSession.slice(0, 8), 10],
  ["a user id's start", "u-", 10],
  ["a trace id's start", aTrace.slice(0, 6), 10],
  ["a trace id's start in capitals", aTrace.slice(0, 8).toUpperCase(), 10],
];

conformance("search", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  for (const [name, text, limit] of SEARCHES) {
    check(`search: ${name}`, ["search"], async (store) => sortHits(await store.search(P, text, limit)), (answer) => same(answer, sortHits(expected(text, limit))));
  }

  check("the fixture's words are where the checks expect them", [], async () => null, () => {
    assert.equal(filterSessions(m, { text: WORDS.rare }).length, 1);
    assert.equal(filterSessions(m, { text: `"${WORDS.phrase}"` }).length, 1);
    assert.equal(filterSessions(m, { text: WORDS.phrase }).length, 2);
    assert.ok(filterSessions(m, { text: WORDS.common }).length > 4);
  });

  for (const [name, text] of [["a rare word", WORDS.rare], ["a phrase", `"${WORDS.phrase}"`], ["two words", WORDS.phrase], ["a word of every answer", "details"]]) {
    check(`the sessions list filtered by ${name}`, ["listSessions"], async (store) =>
      (await store.listSessions({ project: P, limit: 100, sort: "startTime", order: "desc", after: null, filter: { text } })).rows.map((s) => s.sessionId),
    (ids) => same(ids, sortedIds(filterSessions(m, { text }), (s) => s.startUs, (s) => s.sessionId, "desc")));
  }
});
