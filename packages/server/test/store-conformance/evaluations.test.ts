// Session lifecycle (idle, closed, reopened by a new turn, ended by the app) and evaluation jobs:
// scheduling once per version, claiming under a lease, finishing with a result, nothing, a retry
// or a failure, and on-demand runs with their progress.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { SpanRecord } from "../../src/store/records.ts";
import type { EvaluationJob, EvaluationJobStateRecord, Store } from "../../src/store/store.ts";
import { HOUR, makeFixture, T0, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { model, sortedIds } from "./model.ts";
import { allPages } from "./pages.ts";

const fixture = makeFixture("evals", 9);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;
const QUIET = T0 + 60 * HOUR;
const ids = [...m.sessions.keys()].sort();
const quiet = ids.filter((id) => m.sessions.get(id)!.endUs < QUIET);
const busy = ids.filter((id) => !quiet.includes(id));

/** A new turn of the session (one root span), later than anything in the fixture. */
function turn(sessionId: string, n: number, attributes: Record<string, unknown> = {}, name = "chat_turn"): SpanRecord {
  const startUs = T0 + 10 * 24 * HOUR + n * 60_000_000;
  return {
    project: P, traceId: `e0${String(n).padStart(30, "0")}`, spanId: `e0${String(n).padStart(14, "0")}`, parentSpanId: null, name, kind: 1, spanKind: "CHAIN",
    startUs, endUs: startUs + 1000, statusCode: 1, statusMessage: null, sessionId, userId: null, model: null,
    input: name === "session.end" ? null : "one more thing", output: name === "session.end" ? null : "sure", inputMessages: null, outputMessages: null,
    tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, cost: 0, tags: [], metadata: {}, attributes, resource: {}, events: [],
  };
}

const stateOf = async (store: Store, id: string) => (await store.getSession(P, id))?.state;
const jobView = (jobs: EvaluationJob[]) =>
  jobs.map(({ id: _id, key: _key, ...job }) => job).sort((a, b) => (a.sessionId + a.evaluator < b.sessionId + b.evaluator ? -1 : 1));

/** A session's jobs as the checks compare them: newest version first, then by evaluator; times only as there or not. */
const historyView = (jobs: EvaluationJobStateRecord[]) => {
  assert.ok(jobs.every((job, i) => i === 0 || jobs[i - 1].version >= job.version), "newest first");
  assert.ok(jobs.every((job) => job.createdUs > 0));
  return jobs.map(({ createdUs: _c, finishedUs, ...job }) => ({ ...job, finished: finishedUs != null && finishedUs > 0 }))
    .sort((a, b) => b.version - a.version || (a.evaluator < b.evaluator ? -1 : 1));
};

conformance("session lifecycle and evaluations", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  check("sessions go idle when quiet, close, reopen with a new turn, and end when the app says", ["markIdleSessions", "closeSession", "getSession", "listSessions"], async (store) => {
    const marked = [await store.markIdleSessions(P, QUIET, 3), await store.markIdleSessions(P, QUIET, 1000), await store.markIdleSessions(P, QUIET, 1000)];
    const closed = [await store.closeSession(P, quiet[0]), await store.closeSession(P, busy[0]), await store.closeSession(P, "no-such-session")];
    const byState = async (state: "open" | "idle" | "closed") =>
      (await allPages((after) => store.listSessions({ project: P, limit: 5, sort: "startTime", order: "asc", after, filter: { state } }), 5, (s) => s.sessionId)).map((s) => s.sessionId);
    const states = { open: await byState("open"), idle: await byState("idle"), closed: await byState("closed") };
    const sorted = (await allPages((after) => store.listSessions({ project: P, limit: 4, sort: "state", order: "desc", after, filter: {} }), 4, (s) => s.sessionId)).map((s) => s.sessionId);
    // A new turn reopens; a turn that says the session is over closes it; endSession()'s bare marker closes without a turn.
    await store.writeSpans([turn(quiet[0], 1), turn(quiet[1], 2, { "threadline.session.end": true }), turn(quiet[2], 3, { "threadline.session.end": true }, "session.end")]);
    const after = {
      reopened: await stateOf(store, quiet[0]), ended: await stateOf(store, quiet[1]), marked: await stateOf(store, quiet[2]),
      turns: [(await store.getSession(P, quiet[0]))?.traceCount, (await store.getSession(P, quiet[1]))?.traceCount, (await store.getSession(P, quiet[2]))?.traceCount],
    };
    return { marked, closed, states, sorted, after };
  }, (a) => {
    const state = (id: string) => (id === quiet[0] || id === busy[0] ? "closed" : quiet.includes(id) ? "idle" : "open");
    const byStart = (list: string[]) => sortedIds(list.map((id) => m.sessions.get(id)!), (s) => s.startUs, (s) => s.sessionId, "asc");
    assert.ok(quiet.length > 4 && busy.length > 1, "the fixture has quiet and busy sessions");
    same(a, {
      marked: [3, quiet.length - 3, 0],
      closed: [true, true, false],
      states: { open: byStart(ids.filter((id) => state(id) === "open")), idle: byStart(ids.filter((id) => state(id) === "idle")), closed: byStart(ids.filter((id) => state(id) === "closed")) },
      sorted: sortedIds(ids.map((id) => m.sessions.get(id)!), (s) => ["open", "idle", "closed"].indexOf(state(s.sessionId)), (s) => s.sessionId, "desc"),
      after: {
        reopened: "open", ended: "closed", marked: "closed",
        turns: [m.sessions.get(quiet[0])!.traceCount + 1, m.sessions.get(quiet[1])!.traceCount + 1, m.sessions.get(quiet[2])!.traceCount],
      },
    });
  });

  check("evaluations: scheduled once per version, claimed under a lease, finished four ways", ["scheduleEvaluations", "claimEvaluations", "finishEvaluations", "listAnnotations", "markIdleSessions", "getSession", "sessionEvaluationJobs"], async (store) => {
    const evaluators = ["frustration", "failed_turns"];
    const scheduled = [await store.scheduleEvaluations(P, evaluators, 1000), await store.scheduleEvaluations(P, evaluators, 1000)];
    const jobs = await store.claimEvaluations(1000, 60_000_000);
    const claimedAgain = await store.claimEvaluations(1000, 60_000_000);
    const ordered = [...jobs].sort((a, b) => (a.sessionId + a.evaluator < b.sessionId + b.evaluator ? -1 : 1));
    const [withResult, withNothing, retried, failed, ...rest] = ordered;
    await store.finishEvaluations([
      { job: withResult, outcome: { result: { label: "frustrated", score: 1, explanation: "said 'useless' twice", metadata: { turn: 1, traceId: "t" } } } },
      { job: withNothing, outcome: { result: null } },
      { job: retried, outcome: { error: "judge timed out", retryAtUs: Date.now() * 1000 - 1 } },
      { job: failed, outcome: { error: "evaluator crashed", retryAtUs: null } },
      ...rest.map((job) => ({ job, outcome: { result: null } })),
    ]);
    // Finishing a job twice (a slow runner after its lease ran out) writes nothing more.
    await store.finishEvaluations([{ job: withResult, outcome: { result: { label: "calm", score: 0, explanation: null, metadata: null } } }]);
    const waiting = historyView(await store.sessionEvaluationJobs(P, retried.sessionId, 10));
    const retry = await store.claimEvaluations(1000, 60_000_000);
    await store.finishEvaluations(retry.map((job) => ({ job, outcome: { result: null } })));
    const results = (await store.listAnnotations(P, { type: "session", sessionId: withResult.sessionId })).map(({ id: _i, createdUs: _c, updatedUs: _u, ...rest }) => rest);
    const versions = Object.fromEntries(await Promise.all(jobs.map(async (job) => [job.sessionId, (await store.getSession(P, job.sessionId))!.spanCount])));
    // A session that changed since is due again once quiet.
    await store.writeSpans([turn(withResult.sessionId, 4)]);
    const dueWhileOpen = await store.scheduleEvaluations(P, evaluators, 1000);
    await store.markIdleSessions(P, Date.now() * 1000 + 365 * 24 * HOUR, 1000);
    const dueAgain = await store.scheduleEvaluations(P, evaluators, 1000);
    const next = await store.claimEvaluations(1000, 60_000_000);
    await store.finishEvaluations(next.map((job) => ({ job, outcome: { result: null } })));
    const histories = {
      waiting, retriedAndFailed: historyView(await store.sessionEvaluationJobs(P, retried.sessionId, 10)),
      changed: historyView(await store.sessionEvaluationJobs(P, withResult.sessionId, 10)), oneOfThem: (await store.sessionEvaluationJobs(P, withResult.sessionId, 1)).length,
      none: await store.sessionEvaluationJobs(P, "no-such-session", 10),
    };
    return { scheduled, jobs: jobView(jobs), versions, claimedAgain, retry: jobView(retry), retriedJob: jobView([{ ...retried, attempts: 2 }]), results, withResult: withResult.sessionId, dueWhileOpen, dueAgain, next: jobView(next), histories, retriedSession: retried.sessionId };
  }, (a) => {
    const due = ids.filter((id) => quiet.includes(id) || id === busy[0]).filter((id) => id !== quiet[0]); // quiet[0] reopened
    same(a.scheduled, [due.length, 0]);
    same(a.jobs, due.flatMap((sessionId) => ["frustration", "failed_turns"].map((evaluator) => ({ project: P, sessionId, evaluator, version: a.versions[sessionId], attempts: 1, runId: "" })))
      .sort((x, y) => (x.sessionId + x.evaluator < y.sessionId + y.evaluator ? -1 : 1)));
    same(a.claimedAgain, []);
    same(a.retry, a.retriedJob);
    same(a.results, [{
      project: P, target: { type: "session", sessionId: a.withResult }, sessionId: a.withResult, name: a.jobs[0].evaluator, label: "frustrated", score: 1,
      explanation: "said 'useless' twice", annotatorKind: "CODE", identifier: "threadline", metadata: { turn: 1, traceId: "t", version: a.versions[a.withResult] },
    }]);
    assert.equal(a.dueWhileOpen, 0);
    // Every session that is not open is due once more only if it changed: the one with the new turn.
    assert.equal(a.dueAgain, 1 + 1 + (busy.length - 1), "the changed session, quiet[0] (reopened before the first round) and the busy sessions, all idle now");
    assert.ok(a.next.some((job) => job.sessionId === a.withResult && job.version === a.versions[a.withResult] + 1));
    // Each session's jobs, newest first, with the last attempt's error until one succeeds. (The
    // jobs sort by session, then evaluator: the first session's two, then the retried one's two.)
    const [v, w] = [a.versions[a.retriedSession], a.versions[a.withResult]];
    const row = (evaluator: string, version: number, state: string, attempts: number, error: string | null) =>
      ({ evaluator, version, runId: "", state, attempts, error, finished: state === "done" || state === "failed" });
    same(a.histories, {
      waiting: [row("failed_turns", v, "queued", 1, "judge timed out"), row("frustration", v, "failed", 1, "evaluator crashed")],
      retriedAndFailed: [row("failed_turns", v, "done", 2, null), row("frustration", v, "failed", 1, "evaluator crashed")],
      changed: [row("failed_turns", w + 1, "done", 1, null), row("frustration", w + 1, "done", 1, null), row("failed_turns", w, "done", 1, null), row("frustration", w, "done", 1, null)],
      oneOfThem: 1,
      none: [],
    });
  });

  check("on-demand runs: queued once, their progress, and a lease that runs out", ["requestEvaluations", "evaluationRun", "claimEvaluations", "finishEvaluations"], async (store) => {
    const requested = [
      await store.requestEvaluations(P, [ids[0], ids[1], "no-such-session"], ["coherence"], "run-1"),
      await store.requestEvaluations(P, [ids[0], ids[1]], ["coherence"], "run-1"),
    ];
    const queued = await store.evaluationRun("run-1");
    const claimed = await store.claimEvaluations(10, 60_000_000);
    const running = await store.evaluationRun("run-1");
    const [a, b] = [...claimed].sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1));
    await store.finishEvaluations([{ job: a, outcome: { result: { label: null, score: 0.5, explanation: null, metadata: null, annotatorKind: "LLM" } } }, { job: b, outcome: { error: "no", retryAtUs: null } }]);
    const finished = await store.evaluationRun("run-1");
    await store.requestEvaluations(P, [ids[2]], ["coherence"], "run-2");
    const first = await store.claimEvaluations(10, 1);
    await sleep(5);
    const again = await store.claimEvaluations(10, 60_000_000);
    await store.finishEvaluations(again.map((job) => ({ job, outcome: { result: null } })));
    return { requested, queued, claimed: jobView(claimed), running, finished, first: jobView(first), again: jobView(again), done: await store.evaluationRun("run-2"), unknown: await store.evaluationRun("no-such-run") };
  }, (a) => {
    const job = (sessionId: string, runId: string, attempts = 1) => ({ project: P, sessionId, evaluator: "coherence", runId, attempts });
    same(a.requested, [2, 0]);
    same(a.queued, { queued: 2, running: 0, done: 0, failed: 0 });
    same(a.claimed.map(({ version: _v, ...j }) => j), [job(ids[0], "run-1"), job(ids[1], "run-1")]);
    same(a.running, { queued: 0, running: 2, done: 0, failed: 0 });
    same(a.finished, { queued: 0, running: 0, done: 1, failed: 1 });
    same(a.first.map(({ version: _v, ...j }) => j), [job(ids[2], "run-2")]);
    same(a.again.map(({ version: _v, ...j }) => j), [job(ids[2], "run-2", 2)]);
    same(a.done, { queued: 0, running: 0, done: 1, failed: 0 });
    same(a.unknown, { queued: 0, running: 0, done: 0, failed: 0 });
  });

  check("a late span of a turn the session has does not reopen it; a new turn does", ["writeSpans", "getSession", "closeSession"], async (store) => {
    const child = (parent: SpanRecord, n: number): SpanRecord => ({ ...parent, spanId: `c0${String(n).padStart(14, "0")}`, parentSpanId: parent.spanId, name: "llm", attributes: {} });
    const [ending, closed] = [ids[4], ids[5]];
    const last = turn(ending, 21, { "threadline.session.end": true });
    await store.writeSpans([last]);
    await store.closeSession(P, closed);
    const spansBefore = (await store.getSession(P, ending))?.spanCount ?? 0;
    // A child of the turn that ended the session, exported after its root; a late child of an old turn of a closed one.
    const oldTurn = fixture.spans.find((s) => s.sessionId === closed && s.parentSpanId == null)!;
    await store.writeSpans([child(last, 1), child(oldTurn, 2)]);
    const late = { ending: await stateOf(store, ending), closed: await stateOf(store, closed), spans: ((await store.getSession(P, ending))?.spanCount ?? 0) - spansBefore };
    await store.writeSpans([turn(ending, 22), turn(closed, 23)]);
    return { late, newTurn: [await stateOf(store, ending), await stateOf(store, closed)] };
  }, (a) => same(a, { late: { ending: "closed", closed: "closed", spans: 1 }, newTurn: ["open", "open"] }));

  check("a session that lost a turn, or was deleted and sent again under its id, is evaluated afresh", ["deleteData", "scheduleEvaluations", "claimEvaluations", "finishEvaluations", "sessionEvaluationJobs", "listAnnotations"], async (store) => {
    // A project of its own: what is due and claimed here is these two sessions' alone.
    const P2 = `${P}-again`;
    const at = (sessionId: string, n: number) => ({ ...turn(sessionId, n), project: P2 });
    const round = async (label: string) => {
      await store.markIdleSessions(P2, Date.now() * 1000 + 365 * 24 * HOUR, 1000);
      const due = await store.scheduleEvaluations(P2, ["frustration"], 1000);
      const jobs = (await store.claimEvaluations(1000, 60_000_000)).filter((job) => job.project === P2);
      await store.finishEvaluations(jobs.map((job) => ({ job, outcome: { result: { label, score: job.version, explanation: null, metadata: null } } })));
      return { due, jobs: jobView(jobs).map(({ sessionId, version }) => ({ sessionId, version })) };
    };
    // "kept" is evaluated at one span, then at two; "resent" at one.
    await store.writeSpans([at("kept", 31), at("resent", 32)]);
    const first = await round("first");
    await store.writeSpans([at("kept", 33)]);
    const second = await round("second");
    // "kept" loses its second turn: one span again, a version it was evaluated at before. "resent" goes, then comes back with one new turn.
    await store.deleteData(P2, { type: "trace", traceId: at("kept", 33).traceId });
    await store.deleteData(P2, { type: "session", sessionId: "resent" });
    await store.writeSpans([at("resent", 34)]);
    const third = await round("third");
    const jobs = async (id: string) => historyView(await store.sessionEvaluationJobs(P2, id, 10)).map(({ version, state }) => ({ version, state }));
    const results = async (id: string) => (await store.listAnnotations(P2, { type: "session", sessionId: id })).map(({ label, score }) => ({ label, score }));
    return { first, second, third, jobs: { kept: await jobs("kept"), resent: await jobs("resent") }, results: { kept: await results("kept"), resent: await results("resent") } };
  }, (a) => same(a, {
    first: { due: 2, jobs: [{ sessionId: "kept", version: 1 }, { sessionId: "resent", version: 1 }] },
    second: { due: 1, jobs: [{ sessionId: "kept", version: 2 }] },
    third: { due: 2, jobs: [{ sessionId: "kept", version: 1 }, { sessionId: "resent", version: 1 }] },
    // The jobs of what was deleted go with it; the results are the last round's.
    jobs: { kept: [{ version: 1, state: "done" }], resent: [{ version: 1, state: "done" }] },
    results: { kept: [{ label: "third", score: 1 }], resent: [{ label: "third", score: 1 }] },
  }));
});
