// The users list (every sort key both ways, paged to the end; search by a piece of the id) and
// each user's activity over time.
import { USER_SORT_KEYS } from "../../src/api/types.ts";
import type { UserRollup } from "../../src/store/records.ts";
import type { StatsRecord, Store, UserQuery } from "../../src/store/store.ts";
import { DAY, HOUR, makeFixture, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { model, sortedIds, userSortValue, type Model } from "./model.ts";
import { allPages } from "./pages.ts";

const fixture = makeFixture("users", 4);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;

const walk = (store: Store, query: Omit<UserQuery, "project" | "after">) =>
  allPages((after) => store.listUsers({ project: P, ...query, after }), query.limit, (u) => u.userId);

const hourOf = (us: number) => Math.floor(us / HOUR) * HOUR;

/**
 * A user's activity: their traces by the hour each started; their sessions by the hour of their
 * first turn in it; hourly for up to three days between the first and last hour, daily past that.
 */
export function expectedSeries(mm: Model, userId: string): { bucketUs: number; series: StatsRecord["series"] } {
  const traces = [...mm.traces.values()].filter((t) => t.userId === userId);
  const firstTurns = new Map<string, number>();
  for (const t of traces) if (t.sessionId) firstTurns.set(t.sessionId, Math.min(firstTurns.get(t.sessionId) ?? Infinity, t.startUs));
  const hours = [...traces.map((t) => hourOf(t.startUs)), ...[...firstTurns.values()].map(hourOf)].sort((a, b) => a - b);
  if (hours.length === 0) return { bucketUs: HOUR, series: [] };
  const bucketUs = hours.at(-1)! - hours[0] <= 3 * DAY ? HOUR : DAY;
  const bucket = (us: number) => Math.floor(hourOf(us) / bucketUs) * bucketUs;
  const points = new Map<number, StatsRecord["series"][number]>();
  const at = (us: number) => {
    const b = bucket(us);
    if (!points.has(b)) points.set(b, { startUs: b, sessionCount: 0, traceCount: 0, tokens: 0, cost: 0, errorCount: 0 });
    return points.get(b)!;
  };
  for (const t of traces) {
    const p = at(t.startUs);
    p.traceCount++;
    p.tokens += t.tokens.total;
    p.cost += t.cost;
    if (t.errorCount > 0) p.errorCount++;
  }
  for (const us of firstTurns.values()) at(us).sessionCount++;
  return { bucketUs, series: [...points.values()].sort((a, b) => a.startUs - b.startUs) };
}

// Letter case is left alone: whether "U-MID" finds "u-mid" is not part of the contract (no mixed-case ids here).
const SEARCHES = ["heavy", "u-", "_", "%", "d%1", "nobody"];

conformance("users", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  for (const sort of USER_SORT_KEYS) {
    for (const order of ["asc", "desc"] as const) {
      check(`sorted by ${sort} ${order}, every page`, ["listUsers"], async (store) => walk(store, { sort, order, limit: 2 }),
        (rows) => same(rows, sortedIds([...m.users.values()], userSortValue[sort], (u) => u.userId, order).map((id) => m.users.get(id))));
    }
  }

  for (const search of SEARCHES) {
    check(`searched for ${JSON.stringify(search)}`, ["listUsers"], async (store) => (await walk(store, { sort: "sessionCount", order: "desc", limit: 2, search })).map((u) => u.userId),
      // A piece of the id, as typed: "_" and "%" are plain characters.
      (ids) => same(ids, sortedIds([...m.users.values()].filter((u: UserRollup) => u.userId.includes(search)), (u) => u.sessionCount, (u) => u.userId, "desc")));
  }

  check("each user's activity over time", ["userSeries"], async (store) =>
    Object.fromEntries(await Promise.all([...m.users.keys(), "nobody"].map(async (id) => [id, await store.userSeries(P, id)]))),
  (answer) => {
    for (const id of m.users.keys()) same(answer[id], expectedSeries(m, id), id);
    same(answer.nobody, { bucketUs: HOUR, series: [] });
  });
});
