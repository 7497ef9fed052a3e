// The sessions list: every sort key in both orders, paged to the end by keyset; every filter
// field alone and combined, against the sessions the fixture says each one keeps.
import assert from "node:assert/strict";
import { SESSION_SORT_KEYS } from "../../src/api/types.ts";
import type { SessionFilter, SessionSort, Store } from "../../src/store/store.ts";
import { HOUR, makeFixture, T0, USERS, WORDS, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { filterSessions, model, sessionSortValue, sortedIds } from "./model.ts";
import { allPages } from "./pages.ts";

const fixture = makeFixture("list", 3);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;

const walk = (store: Store, sort: SessionSort, order: "asc" | "desc", filter: SessionFilter, limit: number) =>
  allPages((after) => store.listSessions({ project: P, limit, sort, order, after, filter }), limit, (s) => s.sessionId);

const FILTERS: Array<[string, SessionFilter]> = [
  ["the heavy user", { userId: USERS.heavy }],
  ["a user whose id has LIKE wildcards", { userId: USERS.odd }],
  ["a user of a shared session", { userId: USERS.light }],
  ["an unknown user", { userId: "nobody" }],
  ["a window of a day, overlapping the long session", { fromUs: T0 + 36 * HOUR, toUs: T0 + 60 * HOUR }],
  ["from a time on", { fromUs: T0 + 80 * HOUR }],
  ["up to a time", { toUs: T0 + 20 * HOUR }],
  ["a common tag", { tag: "prod" }],
  ["a rare tag", { tag: "beta" }],
  ["an unknown tag", { tag: "nope" }],
  ["with errors", { hasErrors: true }],
  ["without errors", { hasErrors: false }],
  ["a common metadata value", { metadata: { key: "plan", value: "pro" } }],
  ["a rare metadata value", { metadata: { key: "cohort", value: "rare-7" } }],
  ["a number in metadata, as text", { metadata: { key: "tier", value: "3" } }],
  ["a metadata key with another key's value", { metadata: { key: "region", value: "pro" } }],
  ["a word said", { text: WORDS.common }],
  ["the heavy user's failed sessions", { userId: USERS.heavy, hasErrors: true }],
  ["a tag, a metadata value and a window", { tag: "prod", metadata: { key: "region", value: "eu" }, fromUs: T0 + 24 * HOUR, toUs: T0 + 96 * HOUR }],
  ["a user and a word", { userId: USERS.heavy, text: WORDS.common }],
  ["no errors, a rare tag and a metadata value", { hasErrors: false, tag: "web", metadata: { key: "plan", value: "free" } }],
];

conformance("sessions list: sorts and filters", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  for (const sort of SESSION_SORT_KEYS) {
    for (const order of ["asc", "desc"] as const) {
      check(`sorted by ${sort} ${order}, every page`, ["listSessions"], async (store) => (await walk(store, sort, order, {}, 4)).map((s) => s.sessionId),
        (ids) => same(ids, sortedIds([...m.sessions.values()], sessionSortValue[sort], (s) => s.sessionId, order)));
    }
  }

  check("each row of a page is the session's rollup", ["listSessions"], (store) => walk(store, "cost", "desc", {}, 7),
    (rows) => same(rows, sortedIds([...m.sessions.values()], (s) => s.cost, (s) => s.sessionId, "desc").map((id) => m.sessions.get(id))));

  check("a page of everything at once, and a project with no sessions", ["listSessions"], async (store) => ({
    all: await store.listSessions({ project: P, limit: 1000, sort: "startTime", order: "desc", after: null, filter: {} }),
    none: await store.listSessions({ project: "empty", limit: 10, sort: "startTime", order: "desc", after: null, filter: {} }),
  }), (answer) => {
    assert.equal(answer.all.rows.length, m.sessions.size);
    assert.equal(answer.all.next, null);
    same(answer.none, { rows: [], next: null });
  });

  for (const [name, filter] of FILTERS) {
    check(`filtered by ${name}`, ["listSessions"], async (store) => (await walk(store, "startTime", "desc", filter, 4)).map((s) => s.sessionId),
      (ids) => {
        const expected = sortedIds(filterSessions(m, filter), (s) => s.startUs, (s) => s.sessionId, "desc");
        same(ids, expected);
      });
  }

  check("the fixture gives each filter something to keep and something to drop", [], async () => null, () => {
    for (const [name, filter] of FILTERS) {
      const kept = filterSessions(m, filter).length;
      if (!/unknown|key with another/.test(name)) assert.ok(kept > 0 && kept < m.sessions.size, `${name} keeps ${kept} of ${m.sessions.size}`);
    }
  });

  check("a combined filter sorted by cost ascending", ["listSessions"], async (store) =>
    (await walk(store, "cost", "asc", { tag: "prod", hasErrors: false, fromUs: T0 + 12 * HOUR }, 3)).map((s) => s.sessionId),
  (ids) => same(ids, sortedIds(filterSessions(m, { tag: "prod", hasErrors: false, fromUs: T0 + 12 * HOUR }), (s) => s.cost, (s) => s.sessionId, "asc")));
});
