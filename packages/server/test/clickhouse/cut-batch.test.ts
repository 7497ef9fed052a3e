// A batch cut after any of its engine calls (a server killed in the middle of writing it) and
// retried on another server gives the totals of writing it once: where a SIGKILL lands is left to
// timing in stateless.test.ts; here every point is tried.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import type { Executor, Params, Row, Settings } from "../../src/store/clickhouse/executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import type { SpanRecord } from "../../src/store/records.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { makeFixture } from "../store-conformance/fixture.ts";
import { normalize, same } from "../store-conformance/harness.ts";

const dir = await mkdtemp(join(tmpdir(), "threadline-cut-batch-"));
after(() => rm(dir, { recursive: true, force: true }));

/** An engine that dies after `cutAfter` more calls, as a server killed in the middle of a batch: later calls never reach the engine. */
class DyingExecutor implements Executor {
  readonly #inner: Executor;
  #left = Infinity;
  constructor(inner: Executor) {
    this.#inner = inner;
  }
  dieAfter(calls: number): void {
    this.#left = calls;
  }
  #call<T>(run: () => Promise<T>): Promise<T> {
    if (this.#left-- <= 0) return Promise.reject(new Error("killed"));
    return run();
  }
  query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.#call(() => this.#inner.query<T>(sql, params));
  }
  command(sql: string, params?: Params): Promise<void> {
    return this.#call(() => this.#inner.command(sql, params));
  }
  insert(table: string, rows: Row[], settings?: Settings): Promise<void> {
    return this.#call(() => this.#inner.insert(table, rows, settings));
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

// A server dies after each of its engine calls for one batch, another server writes a batch
// sharing some of its traces, then the exporter's retry of the cut batch reaches that other server.
test("a batch cut after any of its writes and retried on another server gives the totals of writing it once", { timeout: 120_000 }, async (t) => {
  const started = Date.now();
  const fixture = makeFixture("cut", 1);
  // The fixture sends every batch twice: batches[2] is the next one, sharing 3 of batch 0's 14 traces.
  const [cut, other] = [fixture.batches[0], fixture.batches[2]];
  const sqlite = new SqliteStore({ path: ":memory:" });
  await sqlite.writeSpans(cut);
  await sqlite.writeSpans(other);
  const expected = await totals(sqlite, [...cut, ...other]);
  const engine = await ChdbExecutor.open(join(dir, "cut-chdb"));
  let incomplete = 0; // cut points at which the totals were wrong until the retry
  // The number of engine calls a whole batch takes: the first cut point at which it finishes.
  const calls = await (async () => {
    try {
      for (let point = 0; ; point++) {
        const database = `cut_${point}`;
        const dying = new DyingExecutor(engine);
        const killed = await ClickHouseStore.open({ executor: dying, database });
        const survivor = await ClickHouseStore.open({ executor: engine, database });
        dying.dieAfter(point);
        if (await killed.writeSpans(cut).then(() => true, () => false)) return point;
        await survivor.writeSpans(other);
        if (!isDeepStrictEqual(normalize(await totals(survivor, [...cut, ...other])), normalize(expected))) incomplete++;
        await survivor.writeSpans(cut); // the retry
        same(await totals(survivor, [...cut, ...other]), expected, `cut after ${point} engine calls`);
      }
    } finally {
      await Promise.all([sqlite.close(), engine.close()]);
    }
  })();
  assert.ok(calls >= 5, `a batch takes several engine calls (${calls})`);
  assert.ok(incomplete > 0, "a cut batch leaves totals that only its retry makes right");
  t.diagnostic(`${calls} cut points, ${incomplete} of them wrong until the retry, ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** The project, and every session, user and trace the spans name, as the store answers them. */
async function totals(store: Store, spans: SpanRecord[]): Promise<Record<string, unknown>> {
  const project = spans[0].project;
  const out: Record<string, unknown> = { project: await store.getProject(project) };
  out.sessions = (await store.listSessions({ project, limit: 100, sort: "startTime", order: "asc", after: null, filter: {} })).rows;
  out.users = (await store.listUsers({ project, limit: 100, sort: "sessionCount", order: "desc", after: null })).rows;
  for (const id of new Set(spans.map((s) => s.traceId))) out[`trace ${id}`] = await store.getTrace(project, id);
  return out;
}
