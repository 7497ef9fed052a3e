// The ClickHouse store's text and metadata filters against SQLite's: a late root that moves a
// trace takes its words and metadata to its new session (and a retried batch changes nothing),
// and a database created before migration 6 finds the metadata of the traces it already had.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import { migrate } from "../../src/store/clickhouse/migrations.ts";
import { MIGRATIONS } from "../../src/store/clickhouse/migrations/index.ts";
import { SpanWriter } from "../../src/store/clickhouse/span-writer.ts";
import type { SpanRecord } from "../../src/store/records.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { SessionFilter, Store } from "../../src/store/store.ts";
import { HOUR, makeFixture, T0, writeFixture } from "../store-conformance/fixture.ts";

const P = "moves";
let dir: string;

before(() => {
  dir = join(mkdtempSync(join(tmpdir(), "tl-ch-search-")), "chdb");
});

function span(fields: Partial<SpanRecord> & Pick<SpanRecord, "traceId" | "spanId" | "startUs">): SpanRecord {
  return {
    project: P, parentSpanId: null, name: "turn", kind: 1, spanKind: "CHAIN", endUs: fields.startUs + 1000, statusCode: 1,
    statusMessage: null, sessionId: null, userId: null, model: null, input: null, output: null, inputMessages: null,
    outputMessages: null, tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, cost: 0,
    tags: [], metadata: {}, attributes: {}, resource: {}, events: [], ...fields,
  };
}

const ids = async (store: Store, filter: SessionFilter) =>
  (await store.listSessions({ project: P, limit: 50, sort: "startTime", order: "desc", after: null, filter })).rows.map((s) => s.sessionId);

test("a late root moves a trace's words and metadata to its session; a retried batch changes nothing", async () => {
  const sqlite = new SqliteStore({ path: ":memory:" });
  const ch = await ClickHouseStore.open({ executor: await ChdbExecutor.open(dir), database: "moves" });
  try {
    const stays = span({ traceId: "a1", spanId: "r1", startUs: T0, sessionId: "s-old", userId: "u1", input: "where is my parcel? tracking_number 42, the number of the tracking", metadata: { campaign: "autumn" } });
    // The moving trace's child names the old session and says the words; its root comes later.
    const child = span({
      traceId: "b2", spanId: "c2", parentSpanId: "r2", startUs: T0 + HOUR, sessionId: "s-old", userId: "u1", spanKind: "LLM", name: "llm",
      metadata: { campaign: "spring" }, outputMessages: [{ role: "assistant", content: "The Zeppelin leaves at noon, by the blue whale." }],
    });
    const root = span({ traceId: "b2", spanId: "r2", startUs: T0 + HOUR - 10, sessionId: "s-new", userId: "u2", input: "when does it leave?", metadata: { campaign: "spring" } });
    const filters: SessionFilter[] = [
      { text: "zeppelin" }, { text: '"blue whale"' }, { text: '"whale blue"' }, { text: "parcel" },
      // An underscore splits words as a phrase does (SQLite's FTS): these two need them adjacent.
      { text: "tracking_number" }, { text: "number_tracking" },
      { metadata: { key: "campaign", value: "spring" } }, { metadata: { key: "campaign", value: "autumn" } },
      { text: "zeppelin", metadata: { key: "campaign", value: "spring" } },
    ];
    const agree = async (expected: string[][]) => {
      for (const [i, filter] of filters.entries()) {
        const [want, got] = [await ids(sqlite, filter), await ids(ch, filter)];
        assert.deepEqual(got, want, JSON.stringify(filter));
        assert.deepEqual(got, expected[i], JSON.stringify(filter));
      }
    };
    for (const store of [sqlite, ch]) await store.writeSpans([stays, child]);
    await agree([["s-old"], ["s-old"], [], ["s-old"], ["s-old"], [], ["s-old"], ["s-old"], ["s-old"]]);
    for (const store of [sqlite, ch]) {
      await store.writeSpans([root]);
      await store.writeSpans([root, child]); // a retry of both
    }
    await agree([["s-new"], ["s-new"], [], ["s-old"], ["s-old"], [], ["s-new"], ["s-old"], ["s-new"]]);
    const stats = await ch.sessionStats(P, { text: "zeppelin" });
    assert.deepEqual([stats.sessionCount, stats.userCount, stats.avgTraces], [1, 1, 1]);
    assert.deepEqual((await ch.search(P, "Zeppelin", 10)).sessions.map((s) => s.sessionId), ["s-new"]);
  } finally {
    await Promise.all([sqlite.close(), ch.close()]);
  }
});

test("a database migrated before step 6 finds the metadata of the traces it already had", async () => {
  const fixture = makeFixture("upgrade", 3);
  const executor = await ChdbExecutor.open(dir);
  const layout = { database: "upgrade", cluster: null };
  await migrate(executor, layout, MIGRATIONS.filter((step) => step.version < 6));
  const writer = new SpanWriter(executor, layout.database);
  await writeFixture({ writeSpans: (spans) => writer.write(spans) }, fixture);
  const ch = await ClickHouseStore.open({ executor, database: layout.database });
  const sqlite = new SqliteStore({ path: ":memory:" });
  try {
    await writeFixture(sqlite, fixture);
    for (const [key, value] of [["plan", "pro"], ["cohort", "rare-7"], ["region", "eu"], ["tier", "3"]]) {
      const filter = { metadata: { key, value } };
      const list = async (store: Store) =>
        (await store.listSessions({ project: "upgrade", limit: 100, sort: "startTime", order: "desc", after: null, filter })).rows.map((s) => s.sessionId);
      const want = await list(sqlite);
      assert.ok(want.length > 0, `${key}=${value} is in the fixture`);
      assert.deepEqual(await list(ch), want, `${key}=${value}`);
    }
  } finally {
    await Promise.all([sqlite.close(), ch.close()]);
  }
});

