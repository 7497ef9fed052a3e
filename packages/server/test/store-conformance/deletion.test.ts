// Deletion for erasure (a session, a trace, everything of a user) and retention (traces started
// before a time): what each removed, and every rollup recounted from what remains.
import assert from "node:assert/strict";
import type { SpanRecord } from "../../src/store/records.ts";
import type { Store } from "../../src/store/store.ts";
import { HOUR, makeFixture, T0, USERS, WORDS, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { expectedSeries, model, sortedIds, type Model } from "./model.ts";

const fixture = makeFixture("erase", 11);
const P = fixture.project;
const initial = model(P, fixture.spans);
const fields = { label: "good", score: 1, explanation: null, annotatorKind: "HUMAN" as const, identifier: "ann", metadata: null };

/** The fixture's spans without the traces deleted so far. */
let remaining: SpanRecord[] = fixture.spans;
const without = (traceIds: Set<string>) => (remaining = remaining.filter((s) => !traceIds.has(s.traceId)));
/** Each step's expectation, computed when the step is declared (the steps run in order, per store). */
const steps: Model[] = [];

/** What a reader sees: the project, every session and user the fixture ever had, the list, the users' series. */
async function everything(store: Store) {
  const list = await store.listSessions({ project: P, limit: 1000, sort: "startTime", order: "asc", after: null, filter: {} });
  return {
    project: await store.getProject(P),
    sessions: await Promise.all([...initial.sessions.keys()].map((id) => store.getSession(P, id))),
    users: await Promise.all([...initial.users.keys()].map((id) => store.getUser(P, id))),
    traces: await Promise.all([...initial.traces.keys()].map(async (id) => (await store.getTrace(P, id))?.trace ?? null)),
    list: list.rows.map((s) => s.sessionId),
    // Scores per bucket are the annotation checks' business; here, the activity.
    series: await Promise.all([...initial.users.keys()].map(async (id) => {
      const { bucketUs, series } = await store.userSeries(P, id);
      return { bucketUs, series: series.map(({ scores: _s, ...point }) => point) };
    })),
  };
}

function expectEverything(answer: Awaited<ReturnType<typeof everything>>, m: Model) {
  same(answer.project, m.project);
  same(answer.sessions, [...initial.sessions.keys()].map((id) => m.sessions.get(id) ?? null));
  same(answer.users, [...initial.users.keys()].map((id) => m.users.get(id) ?? null));
  same(answer.traces, [...initial.traces.keys()].map((id) => m.traces.get(id) ?? null));
  same(answer.list, sortedIds([...m.sessions.values()], (s) => s.startUs, (s) => s.sessionId, "asc"));
  same(answer.series, [...initial.users.keys()].map((id) => expectedSeries(m, id)));
}

const spansOf = (traceIds: Set<string>) => fixture.spans.filter((s) => traceIds.has(s.traceId)).length;
const heavySessions = [...initial.sessions.values()].filter((s) => s.userIds.includes(USERS.heavy) && s.traceCount > 2).sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));

conformance("deletion and retention", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  const session = heavySessions[0].sessionId;
  const sessionTraces = new Set([...initial.traces.values()].filter((t) => t.sessionId === session).map((t) => t.traceId));
  without(sessionTraces);
  steps.push(model(P, remaining));
  check("deleting a session takes its traces, spans and annotations, and recounts the rest", ["deleteData", "upsertAnnotation", "listAnnotations", "getSession", "getUser", "getProject", "getTrace", "listSessions", "userSeries", "sessionAnnotationSummaries"], async (store) => {
    const other = heavySessions[1].sessionId;
    await store.upsertAnnotation(P, { type: "session", sessionId: session }, { ...fields, name: "quality" });
    await store.upsertAnnotation(P, { type: "trace", traceId: [...sessionTraces][0] }, { ...fields, name: "quality", identifier: "bob" });
    await store.upsertAnnotation(P, { type: "session", sessionId: other }, { ...fields, name: "quality" });
    const deleted = await store.deleteData(P, { type: "session", sessionId: session });
    return {
      deleted, again: await store.deleteData(P, { type: "session", sessionId: session }),
      annotations: (await store.listAnnotations(P, { type: "session", sessionId: session })).length,
      otherKept: (await store.listAnnotations(P, { type: "session", sessionId: other })).length,
      summaries: Object.fromEntries(await store.sessionAnnotationSummaries(P, [session, other])),
      everything: await everything(store),
    };
  }, (a) => {
    same(a.deleted, { traces: sessionTraces.size, spans: spansOf(sessionTraces), sessions: 1, annotations: 2 });
    assert.equal(a.again, null);
    assert.equal(a.annotations, 0);
    assert.equal(a.otherKept, 1);
    same(Object.keys(a.summaries), [heavySessions[1].sessionId]);
    expectEverything(a.everything, steps[0]);
  });

  // The first turn of a session: its first input, start and duration are recounted.
  const partial = heavySessions[2].sessionId;
  const firstTurn = [...initial.traces.values()].filter((t) => t.sessionId === partial).sort((a, b) => a.startUs - b.startUs)[0].traceId;
  without(new Set([firstTurn]));
  steps.push(model(P, remaining));
  check("deleting a session's first trace recounts the session from its other turns", ["deleteData", "getSession", "getUser", "getProject", "getTrace", "listSessions", "userSeries"], async (store) => ({
    deleted: await store.deleteData(P, { type: "trace", traceId: firstTurn }),
    unknown: await store.deleteData(P, { type: "trace", traceId: "0".repeat(32) }),
    everything: await everything(store),
  }), (a) => {
    same(a.deleted, { traces: 1, spans: spansOf(new Set([firstTurn])), sessions: 0, annotations: 0 });
    assert.equal(a.unknown, null);
    assert.ok(steps[1].sessions.get(partial)!.startUs > initial.sessions.get(partial)!.startUs);
    expectEverything(a.everything, steps[1]);
  });

  // Erasure: every session the light user took part in, whole (the shared one too), and their traces outside sessions.
  const light = steps[1];
  const lightSessions = [...light.sessions.values()].filter((s) => s.userIds.includes(USERS.light)).map((s) => s.sessionId);
  const lightTraces = new Set([...light.traces.values()].filter((t) => (t.sessionId && lightSessions.includes(t.sessionId)) || t.userId === USERS.light).map((t) => t.traceId));
  without(lightTraces);
  steps.push(model(P, remaining));
  check("erasing a user takes every session they took part in, whole, and recounts the others in them", ["deleteData", "createReviewQueue", "getReviewQueue", "search", "getSession", "getUser", "getProject", "getTrace", "listSessions", "userSeries"], async (store) => {
    const kept = [...light.sessions.keys()].find((id) => !lightSessions.includes(id))!;
    const queue = await store.createReviewQueue(P, { name: "q", annotation: "review", labels: [], createdBy: "lead", sessionIds: [lightSessions[0], kept] });
    const deleted = await store.deleteData(P, { type: "user", userId: USERS.light });
    const items = (await store.getReviewQueue(P, queue.id))?.items.map((i) => i.sessionId);
    return {
      deleted, again: await store.deleteData(P, { type: "user", userId: USERS.light }), items, kept,
      rareWord: (await store.search(P, WORDS.rare, 10)).sessions, everything: await everything(store),
    };
  }, (a) => {
    assert.ok(lightSessions.some((id) => light.sessions.get(id)!.userIds.length > 1), "a shared session is among them");
    same(a.deleted, { traces: lightTraces.size, spans: spansOf(lightTraces), sessions: lightSessions.length, annotations: 0 });
    assert.equal(a.again, null);
    same(a.items, [a.kept]);
    same(a.rareWord, []);
    assert.equal(steps[2].users.has(USERS.light), false);
    expectEverything(a.everything, steps[2]);
  });

  // Retention: traces that started before the cutoff go; a long session keeps its later turns.
  const cutoff = T0 + 36 * HOUR; // inside the long session (turns from 30:30 to 38:58)
  const before = steps[2];
  const expired = new Set([...before.traces.values()].filter((t) => t.startUs < cutoff).map((t) => t.traceId));
  without(expired);
  steps.push(model(P, remaining));
  check("retention deletes what started before a time and recounts every rollup", ["expireBefore", "sessionStats", "getSession", "getUser", "getProject", "getTrace", "listSessions", "userSeries"], async (store) => ({
    deleted: await store.expireBefore(P, cutoff),
    again: await store.expireBefore(P, cutoff),
    stats: await store.sessionStats(P, {}),
    everything: await everything(store),
  }), (a) => {
    const after = steps[3];
    const emptied = [...before.sessions.keys()].filter((id) => !after.sessions.has(id)).length;
    assert.ok([...after.sessions.values()].some((s) => s.startUs >= cutoff && before.sessions.get(s.sessionId)!.startUs < cutoff), "a session cut in two");
    // The first check's annotation on a surviving session goes if retention empties that session.
    const annotations = after.sessions.has(heavySessions[1].sessionId) ? 0 : 1;
    same(a.deleted, { traces: expired.size, spans: spansOf(expired), sessions: emptied, annotations });
    same(a.again, { traces: 0, spans: 0, sessions: 0, annotations: 0 });
    assert.equal(a.stats.sessionCount, after.sessions.size);
    assert.equal(a.stats.userCount, after.project.userCount - ([...after.users.values()].some((u) => u.sessionCount === 0) ? 1 : 0));
    same(a.stats.cost, [...after.sessions.values()].reduce((c, s) => c + s.cost, 0));
    expectEverything(a.everything, after);
  });
});
