// The users list (every sort key both ways, paged to the end; search by a piece of the id) and
// each user's activity over time.
import { USER_SORT_KEYS } from "../../src/api/types.ts";
import type { UserRollup } from "../../src/store/records.ts";
import type { Store, UserQuery } from "../../src/store/store.ts";
import { HOUR, makeFixture, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { expectedSeries, model, sortedIds, userSortValue } from "./model.ts";
import { allPages } from "./pages.ts";

const fixture = makeFixture("users", 4);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;

const walk = (store: Store, query: Omit<UserQuery, "project" | "after">) =>
  allPages((after) => store.listUsers({ project: P, ...query, after }), query.limit, (u) => u.userId);

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
