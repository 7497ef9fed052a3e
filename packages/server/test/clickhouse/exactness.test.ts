// Exact under retries and concurrent writers: every batch written twice by one store and, at the
// same time, in random span and batch order by a second store on the same data gives exactly the
// totals of writing it once (compared with SQLite's answers for the same spans).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { SpanRecord } from "../../src/store/records.ts";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { makeFixture, rng, writeFixture } from "../store-conformance/fixture.ts";
import { same } from "../store-conformance/harness.ts";
import { answers } from "./compare.ts";

const PATH = join(mkdtempSync(join(tmpdir(), "tl-ch-exact-")), "chdb");

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test("two stores writing every batch twice and in random order, concurrently, give the totals of writing it once", async () => {
  const fixture = makeFixture("exact", 3);
  const sqlite = new SqliteStore({ path: ":memory:" });
  const [a, b] = await Promise.all([
    ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "exact" }),
    ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "exact" }),
  ]);
  try {
    await writeFixture(sqlite, fixture);
    const random = rng(11);
    const retrying = async () => {
      for (const batch of fixture.batches) {
        await a.writeSpans(batch);
        await a.writeSpans(batch); // the exporter's retry of the same request
      }
    };
    const reordering = async () => {
      for (const batch of shuffled(fixture.batches, random)) await b.writeSpans(shuffled(batch, random));
    };
    await Promise.all([retrying(), reordering()]);
    const expected = await answers(sqlite, fixture);
    for (const store of [a, b]) {
      const actual = await answers(store, fixture);
      for (const key of Object.keys(expected)) same(actual[key], expected[key], key);
    }
  } finally {
    await Promise.all([sqlite.close(), a.close(), b.close()]);
  }
});

const span = (traceId: string, spanId: string, parent: string | null, sessionId: string, userId: string, startUs: number, cost: number): SpanRecord => ({
  project: "late", traceId, spanId, parentSpanId: parent, name: parent ? "llm" : "turn", kind: 1, spanKind: parent ? "LLM" : "CHAIN",
  startUs, endUs: startUs + 1000, statusCode: 0, statusMessage: null, sessionId, userId, model: null,
  input: `question ${spanId}`, output: `answer ${spanId}`, inputMessages: null, outputMessages: null,
  tokens: { prompt: 10, completion: 5, total: 15, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, cost, tags: [], metadata: {},
  attributes: {}, resource: {}, events: [],
});

test("a late root moves its trace to the session and user it names; the old ones lose it", async () => {
  const store = await ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "late" });
  try {
    const T = 1_768_000_000_000_000;
    await store.writeSpans([span("t1", "c1", "r1", "s-old", "u-old", T + 100, 0.5), span("t2", "x1", null, "s-old", "u-old", T + 5000, 0.25)]);
    assert.equal((await store.getSession("late", "s-old"))?.traceCount, 2);
    // The root arrives later and names another session and user.
    await store.writeSpans([span("t1", "r1", null, "s-new", "u-new", T, 1)]);
    const moved = await store.getSession("late", "s-new");
    assert.equal(moved?.traceCount, 1);
    assert.equal(moved?.spanCount, 2);
    assert.equal(moved?.cost, 1.5);
    assert.deepEqual(moved?.userIds, ["u-new"]);
    const old = await store.getSession("late", "s-old");
    assert.equal(old?.traceCount, 1);
    assert.equal(old?.cost, 0.25);
    assert.deepEqual((await store.listSessionTraces("late", "s-old", 10, null)).rows.map((t) => t.traceId), ["t2"]);
    assert.deepEqual((await store.listSessionTraces("late", "s-new", 10, null)).rows.map((t) => t.traceId), ["t1"]);
    assert.equal((await store.getTrace("late", "t1"))?.trace.sessionId, "s-new");
    assert.equal((await store.getUser("late", "u-new"))?.traceCount, 1);
    assert.equal((await store.getUser("late", "u-old"))?.traceCount, 1);
    // Moving the last trace away leaves no session behind.
    await store.writeSpans([span("t2", "x0", null, "s-new", "u-new", T + 4000, 0)]);
    assert.equal(await store.getSession("late", "s-old"), null);
    assert.equal(await store.getUser("late", "u-old"), null);
    assert.equal((await store.getProject("late"))?.sessionCount, 1);
  } finally {
    await store.close();
  }
});
