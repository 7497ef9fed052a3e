// Writes and rollups: every session, user, trace and span as the fixture says, whatever the
// order and batching of the writes, with every batch written twice, late roots, and retries.
import assert from "node:assert/strict";
import type { SpanRecord } from "../../src/store/records.ts";
import type { Store } from "../../src/store/store.ts";
import { makeFixture, USERS, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { model } from "./model.ts";
import { allPages } from "./pages.ts";

const fixture = makeFixture("conf", 1);
// The same spans in another project, shuffled and batched another way.
const reordered = makeFixture("conf-reordered", 7);
const m = model(fixture.project, fixture.spans);
const m2 = model(reordered.project, reordered.spans);
const P = fixture.project;

/** A span as the store gives it back: messages are kept in the attributes, not as fields (they may come back null). */
const asRead = (span: SpanRecord) => ({ ...span, inputMessages: null, outputMessages: null });
const sortedTraces = (sessionId: string) =>
  [...m.traces.values()].filter((t) => t.sessionId === sessionId).sort((a, b) => a.startUs - b.startUs || (a.traceId < b.traceId ? -1 : 1));

async function snapshot(store: Store, project: string, mm = m) {
  return {
    project: await store.getProject(project),
    sessions: await Promise.all([...mm.sessions.keys()].map((id) => store.getSession(project, id))),
    users: await Promise.all([...mm.users.keys()].map((id) => store.getUser(project, id))),
    traces: await Promise.all([...mm.traces.keys()].map(async (id) => (await store.getTrace(project, id))?.trace ?? null)),
  };
}

conformance("writes and rollups", [
  { uses: ["writeSpans"], run: async (store) => { await writeFixture(store, fixture); await writeFixture(store, reordered); } },
], (check) => {
  check("the projects' counts of sessions, traces, users and spans", ["listProjects", "getProject", "hasProject", "projectNames"], async (store) => ({
    listed: (await store.listProjects()).filter((p) => p.name.startsWith("conf")).sort((a, b) => (a.name < b.name ? -1 : 1)),
    one: await store.getProject(P),
    unknown: await store.getProject("no-such-project"),
    has: [await store.hasProject(P), await store.hasProject("no-such-project"), await store.hasProject(P)],
    names: (await store.projectNames()).filter((name) => name.startsWith("conf")).sort(),
  }), (answer) => {
    same(answer.one, m.project);
    same(answer.listed, [m.project, m2.project]);
    assert.equal(answer.unknown, null);
    assert.deepEqual(answer.has, [true, false, true]);
    assert.deepEqual(answer.names, [m.project.name, m2.project.name].sort());
  });

  check("every session's rollup", ["getSession"], async (store) => ({
    sessions: await Promise.all([...m.sessions.keys()].map((id) => store.getSession(P, id))),
    unknown: await store.getSession(P, "no-such-session"),
    otherProject: await store.getSession("no-such-project", [...m.sessions.keys()][0]),
  }), (answer) => {
    same(answer.sessions, [...m.sessions.values()]);
    assert.equal(answer.unknown, null);
    assert.equal(answer.otherProject, null);
  });

  check("every user's rollup", ["getUser"], async (store) => ({
    users: await Promise.all([...m.users.keys()].map((id) => store.getUser(P, id))),
    unknown: await store.getUser(P, "no-such-user"),
  }), (answer) => {
    same(answer.users, [...m.users.values()]);
    assert.equal(answer.unknown, null);
  });

  check("each session's traces in time order, page by page", ["listSessionTraces"], async (store) => {
    const out: Record<string, unknown[]> = {};
    for (const id of m.sessions.keys()) out[id] = await allPages((after) => store.listSessionTraces(P, id, 2, after), 2, (t) => t.traceId);
    return out;
  }, (answer) => {
    for (const id of m.sessions.keys()) same(answer[id], sortedTraces(id), id);
  });

  check("every trace with its spans in time order, as written", ["getTrace"], async (store) => ({
    traces: await Promise.all([...m.traces.keys()].map((id) => store.getTrace(P, id))),
    unknown: await store.getTrace(P, "0".repeat(32)),
  }), (answer) => {
    [...m.traces.values()].forEach((trace, i) => {
      same(answer.traces[i]?.trace, trace, trace.traceId);
      same(answer.traces[i]?.spans, m.spansOf.get(trace.traceId)!.map(asRead), trace.traceId);
    });
    assert.equal(answer.unknown, null);
  });

  check("the spans of several traces at once", ["getTraceSpans"], async (store) => {
    const ids = [...[...m.traces.keys()].slice(0, 4), "f".repeat(32)];
    return Object.fromEntries(await store.getTraceSpans(P, ids));
  }, (answer) => {
    const ids = [...m.traces.keys()].slice(0, 4);
    same(Object.keys(answer).sort(), [...ids].sort());
    for (const id of ids) same(answer[id], m.spansOf.get(id)!.map(asRead), id);
  });

  check("another order and batching of the same spans gives the same rollups", ["getProject", "getSession", "getUser", "getTrace"],
    (store) => snapshot(store, reordered.project, m2), (answer) => {
      same(answer.project, m2.project);
      same(answer.sessions, [...m2.sessions.values()]);
      same(answer.users, [...m2.users.values()]);
      same(answer.traces, [...m2.traces.values()]);
    });

  check("a late root moves its trace to the session and user it names", ["getTrace", "getSession", "getUser"], async (store) => {
    const out = [];
    for (const late of fixture.lateRoots) {
      out.push({
        trace: (await store.getTrace(P, late.traceId))?.trace,
        rootSession: await store.getSession(P, late.rootSession),
        childSession: await store.getSession(P, late.childSession),
        childUser: await store.getUser(P, late.childUser),
      });
    }
    return out;
  }, (answer) => {
    fixture.lateRoots.forEach((late, i) => {
      assert.equal(answer[i].trace?.sessionId, late.rootSession);
      assert.equal(answer[i].trace?.userId, late.rootUser);
      same(answer[i].rootSession, m.sessions.get(late.rootSession));
      // The session and user only its children named are gone; the others lost the trace.
      same(answer[i].childSession, m.sessions.get(late.childSession) ?? null);
      same(answer[i].childUser, m.users.get(late.childUser) ?? null);
    });
    assert.equal(m.sessions.has("s-ghost"), false);
    assert.equal(m.users.has(USERS.ghost), false);
  });

  check("writing every batch again changes nothing", ["getProject", "getSession", "getUser", "getTrace"], async (store) => {
    const before = await snapshot(store, P);
    await writeFixture(store, fixture);
    await store.writeSpans(fixture.spans);
    return { before, after: await snapshot(store, P) };
  }, (answer) => {
    same(answer.after, answer.before);
    same(answer.after.project, m.project);
    same(answer.after.sessions, [...m.sessions.values()]);
  });

  check("background reads answer as the others", ["backgroundReads", "getSession", "listSessionTraces", "getTraceSpans"], async (store) => {
    const reads = store.backgroundReads();
    const id = [...m.sessions.keys()][0];
    const traces = await reads.listSessionTraces(P, id, 10, null);
    return {
      session: await reads.getSession(P, id),
      traces: traces.rows,
      spans: Object.fromEntries(await reads.getTraceSpans(P, traces.rows.map((t) => t.traceId))),
    };
  }, (answer) => {
    const id = [...m.sessions.keys()][0];
    same(answer.session, m.sessions.get(id));
    same(answer.traces, sortedTraces(id));
    same(answer.spans, Object.fromEntries(sortedTraces(id).map((t) => [t.traceId, m.spansOf.get(t.traceId)!.map(asRead)])));
  });
});
