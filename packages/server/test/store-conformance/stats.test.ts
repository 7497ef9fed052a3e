// The sessions page's header: totals of the sessions a filter keeps and the same per time bucket,
// whether a store answers from hourly rollups (no filter, errors, a user, a window) or by
// scanning the sessions (anything else).
import type { SessionFilter, StatsRecord } from "../../src/store/store.ts";
import { DAY, HOUR, makeFixture, T0, USERS, WORDS, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { filterSessions, model } from "./model.ts";

const fixture = makeFixture("stats", 5);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;
const hourOf = (us: number) => Math.floor(us / HOUR) * HOUR;

/** Sessions bucketed by the hour they started: hourly for up to three days of data, else daily. */
function expectedStats(filter: SessionFilter): StatsRecord {
  const sessions = filterSessions(m, filter);
  const zero = { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
  if (sessions.length === 0) return { sessionCount: 0, userCount: 0, avgDurationUs: 0, avgTraces: 0, tokens: zero, cost: 0, errorSessions: 0, bucketUs: HOUR, series: [] };
  const hours = sessions.map((s) => hourOf(s.startUs)).sort((a, b) => a - b);
  const bucketUs = hours.at(-1)! - hours[0] <= 3 * DAY ? HOUR : DAY;
  const sum = (f: (s: (typeof sessions)[number]) => number, list = sessions) => list.reduce((n, s) => n + f(s), 0);
  const buckets = new Map<number, typeof sessions>();
  for (const s of sessions) {
    const b = Math.floor(hourOf(s.startUs) / bucketUs) * bucketUs;
    buckets.set(b, [...(buckets.get(b) ?? []), s]);
  }
  return {
    sessionCount: sessions.length,
    userCount: new Set(sessions.flatMap((s) => s.userIds)).size,
    avgDurationUs: sum((s) => s.endUs - s.startUs) / sessions.length,
    avgTraces: sum((s) => s.traceCount) / sessions.length,
    tokens: Object.fromEntries(Object.keys(zero).map((k) => [k, sum((s) => s.tokens[k as keyof typeof zero])])) as StatsRecord["tokens"],
    cost: sum((s) => s.cost),
    errorSessions: sessions.filter((s) => s.errorCount > 0).length,
    bucketUs,
    series: [...buckets].sort(([a], [b]) => a - b).map(([startUs, list]) => ({
      startUs, sessionCount: list.length, traceCount: sum((s) => s.traceCount, list), tokens: sum((s) => s.tokens.total, list),
      cost: sum((s) => s.cost, list), errorCount: list.filter((s) => s.errorCount > 0).length,
    })),
  };
}

const FILTERS: Array<[string, SessionFilter]> = [
  ["no filter", {}],
  ["with errors", { hasErrors: true }],
  ["without errors", { hasErrors: false }],
  ["the heavy user", { userId: USERS.heavy }],
  ["the light user, without errors", { userId: USERS.light, hasErrors: false }],
  ["an unknown user", { userId: "nobody" }],
  ["a window between hours, overlapping the long session", { fromUs: T0 + 34 * HOUR + 17 * 60e6, toUs: T0 + 70 * HOUR + 5 * 60e6 }],
  ["a window inside one hour", { fromUs: T0 + 40 * HOUR + 10 * 60e6, toUs: T0 + 40 * HOUR + 50 * 60e6 }],
  ["from a time on, with errors", { fromUs: T0 + 30 * HOUR, hasErrors: true }],
  ["up to a time", { toUs: T0 + 48 * HOUR }],
  ["a user and a window", { userId: USERS.mid, fromUs: T0 + 24 * HOUR, toUs: T0 + 72 * HOUR }],
  ["a tag", { tag: "web" }],
  ["a metadata value", { metadata: { key: "plan", value: "pro" } }],
  ["a word", { text: WORDS.common }],
  ["a filter nothing passes", { tag: "nope" }],
];

conformance("session stats", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  for (const [name, filter] of FILTERS) {
    check(`stats of ${name}`, ["sessionStats"], (store) => store.sessionStats(P, filter), (answer) => same(answer, expectedStats(filter)));
  }
});
