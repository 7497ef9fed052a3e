// The evaluation stage with jobs whose evaluator has since left the configuration (a backlog queued
// by a server that had it): each is recorded as failed with the reason, logged once, not once a
// job, and no session is read for them.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BUILT_IN_EVALUATORS } from "../src/evaluate/evaluators/index.ts";
import { EvaluationStage } from "../src/evaluate/stage.ts";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { makeFixture, writeFixture } from "./store-conformance/fixture.ts";

test("jobs of an evaluator no longer configured fail with the reason, logged once, without reading their sessions", async () => {
  const dir = await mkdtemp(join(tmpdir(), "threadline-stage-"));
  const store = new SqliteStore({ path: join(dir, "threadline.db"), readers: 1 });
  try {
    const fixture = makeFixture("stage");
    await writeFixture(store, fixture);
    const ids = fixture.sessions.map((s) => s.sessionId);
    assert.equal(await store.requestEvaluations("stage", ids, ["retired"], "run-1"), ids.length);
    let reads = 0;
    const counted = new Proxy(store, {
      get: (target, key) => (key === "backgroundReads" ? () => (reads++, target.backgroundReads()) : Reflect.get(target, key, target)),
    });
    const logged: string[] = [];
    const stage = new EvaluationStage({
      store: counted, evaluators: BUILT_IN_EVALUATORS.filter((e) => e.name === "errors"), idleMs: () => 100 * 365 * 86_400_000, // nothing goes idle of itself here
      log: (message) => logged.push(message),
    });
    await stage.runOnce();
    assert.deepEqual(await store.evaluationRun("run-1"), { queued: 0, running: 0, done: 0, failed: ids.length });
    assert.equal(reads, 0, "no session was read for jobs with nothing to run them");
    assert.deepEqual(logged, ['evaluations: jobs of "retired", which is no longer configured, are recorded as failed (logged once)']);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("an ended session wakes the stage: on a store slow to look, the next look comes in 4 times its cost, not 20", async () => {
  const dir = await mkdtemp(join(tmpdir(), "threadline-stage-"));
  const store = new SqliteStore({ path: join(dir, "threadline.db"), readers: 1 });
  let stage: EvaluationStage | null = null;
  try {
    await writeFixture(store, makeFixture("stage"));
    // Each look at idle sessions takes 300 ms, as on a large ClickHouse store.
    const looks: number[] = [];
    const slow = new Proxy(store, {
      get: (target, key) => key === "markIdleSessions"
        ? async (...args: Parameters<typeof store.markIdleSessions>) => (looks.push(Date.now()), await new Promise((r) => setTimeout(r, 300)), target.markIdleSessions(...args))
        : Reflect.get(target, key, target),
    });
    const started = Date.now();
    stage = new EvaluationStage({ store: slow, evaluators: BUILT_IN_EVALUATORS.filter((e) => e.name === "errors"), idleMs: () => 1_000 });
    stage.start();
    const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
    while (looks.length === 0) await settle(20);
    // The first pass looked for ~300 ms: the next look is due 20 times that (6 s) after it ends.
    await settle(2_500);
    assert.equal(looks.length, 1, "no second look within 2.5 s when nothing ended");
    const woken = Date.now();
    stage.wake();
    while (looks.length === 1 && Date.now() - woken < 5_000) await settle(20);
    assert.equal(looks.length, 2, "the wake brought a look");
    // Due 4 x 300 ms after the first pass ended, which is already past: at once.
    assert.ok(looks[1] - woken < 1_000, `looked ${looks[1] - woken} ms after the wake (${looks[0] - started} ms to the first)`);
  } finally {
    await stage?.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
