// The same spans written to SQLite and to ClickHouse (chdb) give equal answers from every method
// the ClickHouse store implements, normalizing only what docs/clickhouse.md says differs (the order
// of sets, float sums to 12 digits: store-conformance/harness.ts normalize).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { makeFixture, writeFixture } from "../store-conformance/fixture.ts";
import { same } from "../store-conformance/harness.ts";
import { answers } from "./compare.ts";

test("SQLite and ClickHouse agree on every implemented read, late roots, duplicates and retries included", async () => {
  const fixture = makeFixture("shop", 7);
  const sqlite = new SqliteStore({ path: ":memory:" });
  const ch = await ClickHouseStore.open({ executor: await ChdbExecutor.open(join(mkdtempSync(join(tmpdir(), "tl-ch-parity-")), "chdb")), database: "parity" });
  try {
    await writeFixture(sqlite, fixture);
    await writeFixture(ch, fixture);
    const [expected, actual] = [await answers(sqlite, fixture), await answers(ch, fixture)];
    // What is compared is not empty: sessions, the late roots' moves, spans with their attributes.
    assert.ok((expected["sessions by endTime desc"] as unknown[]).length >= 20);
    assert.ok(fixture.lateRoots.length > 0);
    assert.equal((expected.traceSpans as Map<string, unknown>).size, new Set(fixture.spans.map((s) => s.traceId)).size);
    for (const key of Object.keys(expected)) same(actual[key], expected[key], key);
  } finally {
    await Promise.all([sqlite.close(), ch.close()]);
  }
});
