// Moving a project to another store (threadline migrate, store/copy-project.ts): each store's
// project, with annotations on sessions, traces and spans, evaluation results, closed and idle
// sessions, a review queue with a review and the counters, is copied into a fresh SQLite store,
// which must then answer every read as the source does; a second copy (a resumed migration)
// changes nothing. (The other direction, SQLite into chdb, runs through the CLI in
// test/clickhouse/migrate.test.ts.)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyProject } from "../../src/store/copy-project.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { HOUR, makeFixture, T0, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { model } from "./model.ts";

const fixture = makeFixture("copy", 5);
const P = fixture.project;
const m = model(P, fixture.spans);
const sessionIds = [...m.sessions.keys()].sort();
const traceIds = [...m.traces.keys()].sort();
const QUIET = T0 + 60 * HOUR;
const EVALUATORS = ["frustration", "errors"];
const today = new Date().toISOString().slice(0, 10);

/** Annotations of every kind of target, an evaluated and a closed session, a review, counters. */
async function prepare(store: Store): Promise<void> {
  await writeFixture(store, fixture);
  const fields = (label: string, identifier: string, annotatorKind: "HUMAN" | "CODE" = "HUMAN") =>
    ({ label, score: label === "good" ? 1 : 0, explanation: `${label} by ${identifier}`, annotatorKind, identifier, metadata: { turn: 2 } });
  for (const [i, id] of sessionIds.slice(0, 6).entries()) await store.upsertAnnotation(P, { type: "session", sessionId: id }, { name: "quality", ...fields(i % 2 ? "good" : "bad", "ann") });
  const spanOf = fixture.spans.find((s) => s.traceId === traceIds[3])!;
  await store.upsertAnnotation(P, { type: "trace", traceId: traceIds[2] }, { name: "thumbs", ...fields("good", "user-1") });
  await store.upsertAnnotation(P, { type: "span", traceId: spanOf.traceId, spanId: spanOf.spanId }, { name: "tool_ok", ...fields("bad", "ann") });
  await store.closeSession(P, sessionIds[1]);
  await store.markIdleSessions(P, QUIET, 1000);
  await store.scheduleEvaluations(P, EVALUATORS, 1000);
  const jobs = await store.claimEvaluations(1000, 60_000_000);
  await store.finishEvaluations(jobs.map((job) => ({ job, outcome: { result: { label: "neutral", score: 0.5, explanation: "fine", metadata: { turn: 1 } } } })));
  const queue = await store.createReviewQueue(P, { name: "check these", annotation: "quality", labels: ["good", "bad"], createdBy: "ana", sessionIds: sessionIds.slice(2, 5) });
  await store.reviewItem(P, queue.id, 2, "ana", { label: "good", score: 1, explanation: "reviewed", metadata: null });
  await store.addRedactions([[P, "api_key", 3], [P, "email", 1]]);
  await store.addLlmUsage(P, today, 4, 900);
}

/** What a reader of the project sees, with the store's own ids and clock times left out. */
async function everything(store: Store) {
  const list = await store.listSessions({ project: P, limit: 1000, sort: "startTime", order: "asc", after: null, filter: {} });
  const annotations = async (target: Parameters<Store["listAnnotations"]>[1]) =>
    (await store.listAnnotations(P, target)).map(({ id: _i, createdUs: _c, updatedUs: _u, ...a }) => a);
  const queues = await Promise.all((await store.listReviewQueues(P)).map(async (q) => {
    const found = await store.getReviewQueue(P, q.id);
    return { ...q, id: "", createdUs: 0, items: found!.items.map((item) => ({ ...item, reviewedUs: item.reviewedUs == null ? null : 0 })) };
  }));
  return {
    project: await store.getProject(P),
    list: list.rows,
    users: (await store.listUsers({ project: P, limit: 1000, sort: "firstSeen", order: "asc", after: null })).rows,
    traces: await Promise.all(traceIds.map((id) => store.getTrace(P, id))),
    sessionAnnotations: await Promise.all(sessionIds.map((id) => annotations({ type: "session", sessionId: id }))),
    traceAnnotations: (await store.listTraceAnnotations(P, traceIds)).map(({ id: _i, createdUs: _c, updatedUs: _u, ...a }) => a),
    summaries: await store.sessionAnnotationSummaries(P, sessionIds),
    search: await store.search(P, "zeppelin", 50),
    queues,
    counters: { redactions: await store.redactionCounts(P), usage: (await store.llmUsage(today)).filter((u) => u.project === P) },
  };
}

/** Then each store's lifecycle and runner carry on from the same place: once every session is quiet, the same states, and only the sessions the source had not evaluated are due. */
async function carryOn(store: Store) {
  await store.markIdleSessions(P, Number.MAX_SAFE_INTEGER, 1000);
  const due = await store.scheduleEvaluations(P, EVALUATORS, 1000);
  return { due, states: await Promise.all(sessionIds.map(async (id) => (await store.getSession(P, id))?.state)) };
}

conformance("moving a project to another store", [{ uses: ["writeSpans", "closeSession", "finishEvaluations", "reviewItem"], run: prepare }], (check) => {
  check("copied into a fresh SQLite store, every read answers as the source, and again after a second copy",
    ["exportTraceIds", "exportAnnotations", "exportSessionStates", "importSessionStates", "getTrace", "listReviewQueues"], async (store) => {
      const dir = await mkdtemp(join(tmpdir(), "tl-copy-"));
      const target = new SqliteStore({ path: join(dir, "threadline.db"), writeInWorker: false });
      try {
        const first = await copyProject(store, target, P, { batchSpans: 40 });
        const copied = await everything(target);
        const again = await copyProject(store, target, P, { batchSpans: 40 });
        return {
          source: await everything(store), copied, afterSecondCopy: await everything(target),
          counts: { traces: first.traces, spans: first.spans, annotations: first.annotations, queues: [first.reviewQueues, again.reviewQueues] },
          totals: [first.from, first.to],
          carryOn: [await carryOn(store), await carryOn(target)],
        };
      } finally {
        await target.close();
        await rm(dir, { recursive: true, force: true });
      }
    }, (a) => {
      same(a.copied, a.source, "the copy answers as the source");
      same(a.afterSecondCopy, a.source, "copying again changes nothing");
      same(a.counts, { traces: m.traces.size, spans: new Set(fixture.spans.map((s) => `${s.traceId}/${s.spanId}`)).size, annotations: a.counts.annotations, queues: [1, 0] });
      same(a.totals[1], a.totals[0], "the totals the migration compares");
      same(a.carryOn[1], a.carryOn[0], "the same sessions go idle and are due for evaluation");
    });
});
