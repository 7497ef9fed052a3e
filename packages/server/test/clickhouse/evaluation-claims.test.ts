// Two servers never run the same evaluation job: two stores on one ClickHouse database (chdb)
// claim the same due jobs at the same moment, round after round with leases that run out at once,
// and every attempt of every job goes to exactly one of them; results finished by both are
// written once; an idle mark racing a close leaves the session closed.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import type { SpanRecord } from "../../src/store/records.ts";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import type { EvaluationJob } from "../../src/store/store.ts";

const PATH = join(mkdtempSync(join(tmpdir(), "tl-ch-claims-")), "chdb");
const P = "claims";
const SESSIONS = ["s1", "s2", "s3", "s4"];
const EVALUATORS = ["frustration", "failed_turns"];
const ROUNDS = 8;

const turn = (sessionId: string, n: number): SpanRecord => ({
  project: P, traceId: `${n}`.padStart(32, "a"), spanId: `${n}`.padStart(16, "b"), parentSpanId: null, name: "turn", kind: 1, spanKind: "CHAIN",
  startUs: 1_700_000_000_000_000 + n * 1000, endUs: 1_700_000_000_000_000 + n * 1000 + 500, statusCode: 0, statusMessage: null, sessionId, userId: "u",
  model: null, input: "hello", output: "hi", inputMessages: null, outputMessages: null,
  tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, cost: 0, tags: [], metadata: {}, attributes: {}, resource: {}, events: [],
});

test("two stores claiming the same due jobs at once never both get one, and a lease that runs out lets it be taken again", async () => {
  const [a, b] = await Promise.all([
    ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "claims" }),
    ClickHouseStore.open({ executor: await ChdbExecutor.open(PATH), database: "claims" }),
  ]);
  try {
    await a.writeSpans(SESSIONS.map((id, i) => turn(id, i)));
    // Both servers queue the same on-demand run: the jobs are queued once.
    await Promise.all([a.requestEvaluations(P, SESSIONS, EVALUATORS, "run"), b.requestEvaluations(P, SESSIONS, EVALUATORS, "run")]);
    const total = SESSIONS.length * EVALUATORS.length;
    assert.deepEqual(await a.evaluationRun("run"), { queued: total, running: 0, done: 0, failed: 0 });

    const taken = new Map<string, string>(); // "job id/attempt" -> the store that got it
    const attempts = new Map<number, number[]>(); // job id -> its attempts, in the order claimed
    for (let round = 1; round <= ROUNDS; round++) {
      // A lease of 1 us: every job is due again in the next round, for both stores at once. (And
      // within the round too: when one store's claim lands before the other's starts, the second
      // rightly takes the job again, as its next attempt.)
      const [byA, byB] = await Promise.all([a.claimEvaluations(100, 1), b.claimEvaluations(100, 1)]);
      for (const [name, jobs] of [["a", byA], ["b", byB]] as Array<[string, EvaluationJob[]]>) {
        for (const job of jobs) {
          const key = `${job.id}/${job.attempts}`;
          assert.equal(taken.get(key), undefined, `round ${round}: job ${key} claimed by ${taken.get(key)} and ${name}`);
          taken.set(key, name);
          attempts.set(job.id, [...(attempts.get(job.id) ?? []), job.attempts]);
        }
      }
      const claimed = new Set([...byA, ...byB].map((job) => job.id));
      assert.equal(claimed.size, total, `round ${round}: every job whose lease ran out is taken again`);
      await sleep(1);
    }
    for (const [id, seen] of attempts) {
      assert.deepEqual([...seen].sort((x, y) => x - y), seen.map((_, i) => i + 1), `job ${id}: each claim is the next attempt, none skipped or repeated`);
    }

    // Under a live lease nobody gets the jobs again.
    const [leased, other] = await Promise.all([a.claimEvaluations(100, 60_000_000), b.claimEvaluations(100, 60_000_000)]);
    assert.equal(leased.length + other.length, total);
    assert.deepEqual([...(await a.claimEvaluations(100, 60_000_000)), ...(await b.claimEvaluations(100, 60_000_000))], []);

    // Both servers finish the same job with different results (a slow runner): one result, once.
    const jobs = [...leased, ...other];
    const result = (label: string) => ({ result: { label, score: 1, explanation: null, metadata: { turn: 1 } } });
    await Promise.all([
      a.finishEvaluations(jobs.map((job) => ({ job, outcome: result("from-a") }))),
      b.finishEvaluations(jobs.map((job) => ({ job, outcome: result("from-b") }))),
    ]);
    assert.deepEqual(await b.evaluationRun("run"), { queued: 0, running: 0, done: total, failed: 0 });
    for (const sessionId of SESSIONS) {
      const annotations = await a.listAnnotations(P, { type: "session", sessionId });
      assert.deepEqual(annotations.map((x) => x.name).sort(), [...EVALUATORS].sort(), `${sessionId}: one result per evaluator`);
      for (const x of annotations) assert.ok(x.label === "from-a" || x.label === "from-b");
    }

    // An idle mark racing a close at the same activity: closed wins, whichever lands last.
    await Promise.all([a.closeSession(P, "s1"), b.markIdleSessions(P, Number.MAX_SAFE_INTEGER, 100)]);
    await Promise.all([b.markIdleSessions(P, Number.MAX_SAFE_INTEGER, 100), a.closeSession(P, "s1")]);
    assert.equal((await b.getSession(P, "s1"))?.state, "closed");
    assert.equal((await b.getSession(P, "s2"))?.state, "idle");
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
