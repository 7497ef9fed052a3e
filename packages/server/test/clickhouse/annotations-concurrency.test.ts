// Annotations, their summaries and the counters stay exact with two stores writing at once on the
// same data: the same annotation upserted by both (and retried) is one annotation, a deletion racing
// another reviewer's upsert on the same session leaves a summary of what remains, and counters add
// up every addition (compared with SQLite given the same writes one after another).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import type { AnnotationFields, Store } from "../../src/store/store.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { makeFixture, writeFixture } from "../store-conformance/fixture.ts";
import { same } from "../store-conformance/harness.ts";
import { model } from "../store-conformance/model.ts";

const PATH = join(mkdtempSync(join(tmpdir(), "tl-ch-annotations-")), "chdb");
const fields = (identifier: string, score: number, label: string): AnnotationFields =>
  ({ name: "quality", identifier, score, label, annotatorKind: "HUMAN", explanation: null, metadata: null });

test("two stores annotating and counting at once agree with SQLite", async () => {
  const fixture = makeFixture("annx", 2);
  const m = model(fixture.project, fixture.spans);
  const P = fixture.project;
  const sessions = [...m.sessions.keys()].sort().slice(0, 3);
  const users = [...m.users.keys()];
  const sqlite = new SqliteStore({ path: ":memory:" });
  const [a, b] = await Promise.all([
    ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "annx" }),
    ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "annx" }),
  ]);
  try {
    await Promise.all([writeFixture(sqlite, fixture), writeFixture(a, fixture)]);
    const target = (sessionId: string) => ({ type: "session" as const, sessionId });
    // Before the race: ann's annotation, which a deletes while b writes bob's on the same session.
    for (const store of [sqlite, a] as Store[]) await store.upsertAnnotation(P, target(sessions[0]), fields("ann", 0, "bad"));
    const doomed = (await a.listAnnotations(P, target(sessions[0])))[0].id;
    const doomedInSqlite = (await sqlite.listAnnotations(P, target(sessions[0])))[0].id;

    const byA = async () => {
      await a.deleteAnnotation(P, doomed);
      for (const id of sessions) await a.upsertAnnotation(P, target(id), fields("carl", 1, "good"));
      for (let i = 0; i < 3; i++) await a.addLlmUsage(P, "2026-01-05", 1, 100);
      await a.addRedactions([[P, "email", 2]]);
    };
    const byB = async () => {
      await b.upsertAnnotation(P, target(sessions[0]), fields("bob", 0.5, "good"));
      for (const id of sessions) {
        await b.upsertAnnotation(P, target(id), fields("carl", 1, "good")); // the same annotation as a's
        await b.upsertAnnotation(P, target(id), fields("carl", 1, "good")); // and a client's retry
      }
      for (let i = 0; i < 3; i++) await b.addLlmUsage(P, "2026-01-05", 2, 10);
      await b.addRedactions([[P, "email", 3], [P, "api-key", 1]]);
    };
    await Promise.all([byA(), byB()]);

    await sqlite.deleteAnnotation(P, doomedInSqlite);
    await sqlite.upsertAnnotation(P, target(sessions[0]), fields("bob", 0.5, "good"));
    for (const id of sessions) await sqlite.upsertAnnotation(P, target(id), fields("carl", 1, "good"));
    for (let i = 0; i < 3; i++) await sqlite.addLlmUsage(P, "2026-01-05", 1, 100);
    for (let i = 0; i < 3; i++) await sqlite.addLlmUsage(P, "2026-01-05", 2, 10);
    await sqlite.addRedactions([[P, "email", 5], [P, "api-key", 1]]);

    const answers = async (store: Store) => ({
      sessions: Object.fromEntries(await store.sessionAnnotationSummaries(P, sessions)),
      users: Object.fromEntries(await store.userAnnotationSummaries(P, users, 0)),
      names: await store.annotationNames(P),
      listed: (await Promise.all(sessions.map((id) => store.listAnnotations(P, target(id))))).map((list) => list.map((x) => [x.identifier, x.score])),
      usage: await store.llmUsage("2026-01-05"),
      redactions: await store.redactionCounts(P),
    });
    const expected = await answers(sqlite);
    assert.deepEqual(expected.sessions[sessions[0]], [{ name: "quality", annotatorKind: "HUMAN", score: 0.75, label: "good", count: 2 }]);
    for (const store of [a, b]) same(await answers(store), expected);
  } finally {
    await Promise.all([sqlite.close(), a.close(), b.close()]);
  }
});
