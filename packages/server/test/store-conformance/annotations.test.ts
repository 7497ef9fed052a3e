// Annotations: create, replace, update, delete and list them on sessions, traces and spans; their
// summaries per session and per user; names, distribution over time; sorting and filtering the
// sessions list by them, and the users with a label often enough.
import assert from "node:assert/strict";
import type { AnnotationRecord } from "../../src/store/records.ts";
import type { SessionFilter } from "../../src/store/store.ts";
import { annotationPlan, sessionSummaries, userSummaries } from "./annotation-plan.ts";
import { DAY, HOUR, makeFixture, T0, USERS, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { filterSessions, model, sortedIds } from "./model.ts";
import { allPages } from "./pages.ts";

const fixture = makeFixture("notes", 8);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;
const plan = annotationPlan(m);
const SINCE = T0 + 48 * HOUR;
/** A session the plan leaves alone. */
const CRUD_SESSION = [...m.sessions.keys()].sort().find((id) => !plan.some((p) => p.sessionId === id))!;

/** Store-made ids and clock times replaced by placeholders, after checking the times are plausible. */
function stable(records: Array<AnnotationRecord | null>, names = new Map<string, string>()) {
  return records.map((r) => {
    if (!r) return null;
    assert.ok(r.updatedUs >= r.createdUs && r.createdUs > Date.UTC(2020, 0) * 1000, "created and updated are times");
    if (!names.has(r.id)) names.set(r.id, `id-${names.size}`);
    const { createdUs: _c, updatedUs: _u, ...rest } = r;
    return { ...rest, id: names.get(r.id) };
  });
}

const scored = (name: string) => [...m.sessions.keys()].filter((id) => sessionSummaries(plan, id).some((s) => s.name === name && s.score != null));
const summaryOf = (id: string, name: string) => sessionSummaries(plan, id).find((s) => s.name === name);

const FILTERS: Array<[string, SessionFilter["annotation"] & object, SessionFilter]> = [
  ["a label", { name: "quality", label: "bad" }, {}],
  ["a minimum score", { name: "quality", scoreMin: 0.5 }, {}],
  ["a score range", { name: "quality", scoreMin: 0.2, scoreMax: 0.6 }, {}],
  ["the name alone", { name: "frustration" }, {}],
  ["a label and a user", { name: "frustration", label: "frustrated" }, { userId: USERS.heavy }],
  ["an unknown name", { name: "nope" }, {}],
];

conformance("annotations and summaries", [
  { uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) },
  { uses: ["upsertAnnotation"], run: async (store) => { for (const p of plan) assert.ok(await store.upsertAnnotation(P, p.target, p.fields)); } },
], (check) => {
  check("sessions' summaries by name", ["sessionAnnotationSummaries"], async (store) =>
    Object.fromEntries(await store.sessionAnnotationSummaries(P, [...m.sessions.keys(), "no-such-session"])),
  (answer) => {
    const expected = Object.fromEntries([...m.sessions.keys()].map((id) => [id, sessionSummaries(plan, id)]).filter(([, list]) => list.length));
    same(answer, expected);
  });

  check("a session's detail in one read agrees with the reads it stands for", ["getSessionDetail", "getSession", "listSessionTraces", "getTraceSpans", "sessionAnnotationSummaries", "listAnnotations"], async (store) => {
    const id = plan.find((p) => p.target.type === "session")!.sessionId;
    const traces = await store.listSessionTraces(P, id, 3, null);
    const separate = {
      session: await store.getSession(P, id),
      traces,
      summaries: (await store.sessionAnnotationSummaries(P, [id])).get(id),
      annotations: await store.listAnnotations(P, { type: "session", sessionId: id }),
      firstTraceSpans: (await store.getTraceSpans(P, [traces.rows[0].traceId])).get(traces.rows[0].traceId),
    };
    const together = await store.getSessionDetail(P, id, 3);
    // Store-made ids and times as placeholders, the same in both answers, so the stores can agree.
    const names = new Map<string, string>();
    const placeholders = <T extends { annotations: AnnotationRecord[] } | null>(answer: T) => answer && { ...answer, annotations: stable(answer.annotations, names) };
    return { together: placeholders(together), separate: placeholders(separate), unknown: await store.getSessionDetail(P, "no-such-session", 3) };
  }, ({ together, separate, unknown }) => {
    assert.ok(separate.annotations.length > 0 && separate.summaries!.length > 0 && separate.firstTraceSpans!.length > 0, "the session has annotations and spans");
    same(together, separate);
    assert.equal(unknown, null);
  });

  check("users' summaries over their sessions, with labels since a time", ["userAnnotationSummaries"], async (store) =>
    Object.fromEntries(await store.userAnnotationSummaries(P, [...m.users.keys()], SINCE)),
  (answer) => {
    const expected = Object.fromEntries([...m.users.keys()].map((id) => [id, userSummaries(plan, m, id, SINCE)]).filter(([, list]) => list.length));
    same(answer, expected);
  });

  check("annotation names with their kinds, counts, labels and score range", ["annotationNames"], async (store) =>
    (await store.annotationNames(P)).map((n) => ({ ...n, annotatorKinds: [...n.annotatorKinds].sort() })),
  (answer) => {
    const names = [...new Set(plan.map((p) => p.fields.name))].sort();
    same(answer, names.map((name) => {
      const list = plan.filter((p) => p.fields.name === name).map((p) => p.fields);
      const scores = list.flatMap((f) => (f.score == null ? [] : [f.score]));
      return {
        name, annotatorKinds: [...new Set(list.map((f) => f.annotatorKind))].sort(), count: list.length,
        labels: [...new Set(list.flatMap((f) => (f.label ? [f.label] : [])))].sort(),
        minScore: scores.length ? Math.min(...scores) : null, maxScore: scores.length ? Math.max(...scores) : null,
      };
    }));
  });

  check("a name's distribution over the sessions' start times", ["annotationDistribution"], async (store) =>
    store.annotationDistribution(P, "quality", T0, T0 + 5 * DAY),
  (answer) => {
    const points = new Map<number, { startUs: number; sessions: number; scores: number[]; labels: Record<string, number> }>();
    for (const id of m.sessions.keys()) {
      const s = summaryOf(id, "quality");
      if (!s) continue;
      const startUs = Math.floor(m.sessions.get(id)!.startUs / DAY) * DAY;
      const p = points.get(startUs) ?? { startUs, sessions: 0, scores: [], labels: {} };
      p.sessions++;
      if (s.score != null) p.scores.push(s.score);
      if (s.label) p.labels[s.label] = (p.labels[s.label] ?? 0) + 1;
      points.set(startUs, p);
    }
    same(answer, {
      bucketUs: DAY,
      series: [...points.values()].sort((a, b) => a.startUs - b.startUs)
        .map(({ scores, ...p }) => ({ ...p, meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null })),
    });
  });

  for (const order of ["asc", "desc"] as const) {
    check(`sessions sorted by an annotation's mean score ${order}: only those scored, every page`, ["listSessions"], async (store) =>
      (await allPages((after) => store.listSessions({ project: P, limit: 3, sort: { annotation: "quality" }, order, after, filter: {} }), 3, (s) => s.sessionId)).map((s) => s.sessionId),
    (ids) => same(ids, sortedIds(scored("quality").map((id) => m.sessions.get(id)!), (s) => summaryOf(s.sessionId, "quality")!.score!, (s) => s.sessionId, order)));
  }

  for (const [name, annotation, rest] of FILTERS) {
    check(`sessions filtered by an annotation's ${name}`, ["listSessions"], async (store) =>
      (await allPages((after) => store.listSessions({ project: P, limit: 4, sort: "startTime", order: "desc", after, filter: { ...rest, annotation } }), 4, (s) => s.sessionId)).map((s) => s.sessionId),
    (ids) => {
      const match = (id: string) => {
        const s = summaryOf(id, annotation.name);
        if (!s) return false;
        if (annotation.label != null && s.label !== annotation.label) return false;
        if (annotation.scoreMin != null && !(s.score != null && s.score >= annotation.scoreMin)) return false;
        return !(annotation.scoreMax != null && !(s.score != null && s.score <= annotation.scoreMax));
      };
      same(ids, sortedIds(filterSessions(m, { ...rest, annotation }, { annotationMatch: match }), (s) => s.startUs, (s) => s.sessionId, "desc"));
    });
  }

  check("users with a label on enough sessions since a time", ["listUsers"], async (store) => {
    const ask = async (minSessions: number, label?: string) =>
      (await store.listUsers({ project: P, limit: 10, sort: "sessionCount", order: "desc", after: null, labelled: { name: "frustration", label, minSessions, sinceUs: T0 } })).rows.map((u) => u.userId);
    return { twice: await ask(2, "frustrated"), once: await ask(1, "frustrated"), anyLabel: await ask(4), never: await ask(1, "nope") };
  }, (answer) => same(answer, { twice: [USERS.heavy], once: [USERS.heavy, USERS.mid], anyLabel: [USERS.heavy], never: [] }));

  check("a user's mean scores over time", ["userSeries"], async (store) => (await store.userSeries(P, USERS.heavy)).series.flatMap((p) => (p.scores ? [[p.startUs, p.scores]] : [])),
    (answer) => {
      const byBucket = new Map<number, Record<string, number[]>>();
      for (const s of m.sessions.values()) {
        if (!s.userIds.includes(USERS.heavy)) continue;
        for (const summary of sessionSummaries(plan, s.sessionId)) {
          if (summary.score == null) continue;
          const bucket = Math.floor(s.startUs / DAY) * DAY;
          const names = byBucket.get(bucket) ?? {};
          (names[summary.name] ??= []).push(summary.score);
          byBucket.set(bucket, names);
        }
      }
      same(answer, [...byBucket].sort(([a], [b]) => a - b).map(([bucket, names]) =>
        [bucket, Object.fromEntries(Object.entries(names).map(([n, xs]) => [n, xs.reduce((a, b) => a + b, 0) / xs.length]))]));
    });

  check("create, replace, update, list and delete on sessions, traces and spans", ["upsertAnnotation", "updateAnnotation", "deleteAnnotation", "listAnnotations", "listTraceAnnotations", "sessionAnnotationSummaries"], async (store) => {
    const session = CRUD_SESSION;
    const trace = [...m.traces.values()].find((t) => t.sessionId === session)!;
    const span = m.spansOf.get(trace.traceId)!.at(-1)!;
    const fields = { name: "crud", label: "ok", score: 0.5, explanation: "first", annotatorKind: "HUMAN" as const, identifier: "eve", metadata: { a: [1, "b"] } };
    const created = await store.upsertAnnotation(P, { type: "session", sessionId: session }, fields);
    const replaced = await store.upsertAnnotation(P, { type: "session", sessionId: session }, { ...fields, score: 1, explanation: null });
    const other = await store.upsertAnnotation(P, { type: "session", sessionId: session }, { ...fields, identifier: "adam", label: "meh", score: null });
    const onTrace = await store.upsertAnnotation(P, { type: "trace", traceId: trace.traceId }, { ...fields, name: "crud-trace" });
    const onSpan = await store.upsertAnnotation(P, { type: "span", traceId: trace.traceId, spanId: span.spanId }, { ...fields, name: "crud-span", annotatorKind: "LLM" });
    const unknown = [
      await store.upsertAnnotation(P, { type: "session", sessionId: "no-such-session" }, fields),
      await store.upsertAnnotation(P, { type: "trace", traceId: "0".repeat(32) }, fields),
      await store.upsertAnnotation(P, { type: "span", traceId: trace.traceId, spanId: "0".repeat(16) }, fields),
    ];
    const updated = await store.updateAnnotation(P, other!.annotation.id, { label: "good", score: 0.25, metadata: null });
    const updatedUnknown = await store.updateAnnotation(P, "no-such-id", { label: "x" });
    const listed = await store.listAnnotations(P, { type: "session", sessionId: session });
    const ofTrace = await store.listTraceAnnotations(P, [trace.traceId, "0".repeat(32)]);
    const summaryBefore = (await store.sessionAnnotationSummaries(P, [session])).get(session)?.filter((s) => s.name.startsWith("crud"));
    const deleted = await store.deleteAnnotation(P, replaced!.annotation.id);
    const deletedAgain = await store.deleteAnnotation(P, replaced!.annotation.id);
    const afterDelete = await store.listAnnotations(P, { type: "session", sessionId: session });
    const summaryAfter = (await store.sessionAnnotationSummaries(P, [session])).get(session)?.filter((s) => s.name.startsWith("crud"));
    const names = new Map<string, string>();
    const one = (r: AnnotationRecord | null) => stable([r], names)[0];
    return {
      created: [created?.created, one(created?.annotation ?? null)], replaced: [replaced?.created, one(replaced?.annotation ?? null)],
      other: one(other?.annotation ?? null), onTrace: one(onTrace?.annotation ?? null), onSpan: one(onSpan?.annotation ?? null), unknown,
      updated: one(updated), updatedUnknown, listed: stable(listed, names), ofTrace: stable(ofTrace, names), summaryBefore,
      deleted: one(deleted), deletedAgain, afterDelete: stable(afterDelete, names), summaryAfter,
    };
  }, (a) => {
    const session = CRUD_SESSION;
    const trace = [...m.traces.values()].find((t) => t.sessionId === session)!;
    const span = m.spansOf.get(trace.traceId)!.at(-1)!;
    const base = { project: P, sessionId: session, target: { type: "session", sessionId: session }, name: "crud", label: "ok", annotatorKind: "HUMAN", identifier: "eve", metadata: { a: [1, "b"] } };
    const first = { ...base, id: "id-0", score: 0.5, explanation: "first" };
    const second = { ...first, score: 1, explanation: null };
    const adam = { ...base, id: "id-1", identifier: "adam", label: "meh", score: null, explanation: "first" };
    const adamUpdated = { ...adam, label: "good", score: 0.25, metadata: null };
    const onTrace = { ...first, id: "id-2", name: "crud-trace", target: { type: "trace", traceId: trace.traceId } };
    const onSpan = { ...first, id: "id-3", name: "crud-span", annotatorKind: "LLM", target: { type: "span", traceId: trace.traceId, spanId: span.spanId } };
    same(a, {
      created: [true, first], replaced: [false, second], other: adam, onTrace, onSpan, unknown: [null, null, null],
      updated: adamUpdated, updatedUnknown: null, listed: [adamUpdated, second], ofTrace: [onSpan, onTrace],
      summaryBefore: [
        { name: "crud", annotatorKind: "HUMAN", score: 0.625, label: "good", count: 2 },
        { name: "crud-span", annotatorKind: "LLM", score: 0.5, label: "ok", count: 1 },
        { name: "crud-trace", annotatorKind: "HUMAN", score: 0.5, label: "ok", count: 1 },
      ],
      deleted: second, deletedAgain: null, afterDelete: [adamUpdated],
      summaryAfter: [
        { name: "crud", annotatorKind: "HUMAN", score: 0.25, label: "good", count: 1 },
        { name: "crud-span", annotatorKind: "LLM", score: 0.5, label: "ok", count: 1 },
        { name: "crud-trace", annotatorKind: "HUMAN", score: 0.5, label: "ok", count: 1 },
      ],
    });
  });
});

