// The demo end to end: a real app (openai client, OpenInference instrumentation, @threadline/sdk)
// exports over OTLP to a real Threadline, whose sessions API must tell the same story.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { EVALUATION_WAIT_MS, eventually, getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { ProjectList, SessionDetail, SessionList, TraceDetail } from "@threadline/server";
import type { AnnotationNames } from "@threadline/server";
import { annotateDemo } from "./evaluate.ts";
import { runDemo, type DemoSummary } from "./run.ts";

let server: TestServer;
let demo: DemoSummary;
before(async () => {
  server = await startTestServer({ evaluators: ["user_frustration", "errors", "repetition", "unanswered"] });
  demo = await runDemo({ endpoint: server.url, projectName: "demo-test", seed: 1 });
});
after(() => server.close());

const api = <T>(path: string) => getJson<T>(`${server.url}/api/v1/projects/demo-test${path}`);

test("the demo plays 20+ sessions from 5 users, 3 to 10 turns each, exactly one failed turn", () => {
  assert.ok(demo.sessions.length >= 20);
  assert.equal(new Set(demo.sessions.map((s) => s.userId)).size, 5);
  assert.equal(new Set(demo.sessions.map((s) => s.sessionId)).size, demo.sessions.length);
  for (const session of demo.sessions) assert.ok(session.turns >= 3 && session.turns <= 10, session.sessionId);
  assert.deepEqual(demo.sessions.map((s) => s.failedTurns).filter(Boolean), [1]);
});

test("the server groups every turn into its session, with the right turns, users, duration and tokens", async () => {
  const { body: projects } = await getJson<ProjectList>(`${server.url}/api/v1/projects`);
  const project = projects.projects.find((p) => p.name === "demo-test");
  assert.equal(project?.sessionCount, demo.sessions.length);
  assert.equal(project?.traceCount, demo.sessions.reduce((sum, s) => sum + s.turns, 0));

  const { body: list } = await api<SessionList>("/sessions?limit=100");
  assert.deepEqual(list.sessions.map((s) => s.sessionId).sort(), demo.sessions.map((s) => s.sessionId).sort());

  for (const expected of demo.sessions) {
    const { status, body: session } = await api<SessionDetail>(`/sessions/${expected.sessionId}`);
    assert.equal(status, 200);
    assert.equal(session.traceCount, expected.turns, expected.sessionId);
    assert.deepEqual(session.userIds, [expected.userId]);
    assert.equal(session.errorCount > 0, expected.failedTurns > 0, `${expected.sessionId} errors`);
    assert.equal(session.traces.filter((t) => t.status === "ERROR").length, expected.failedTurns);

    const sum = (pick: (t: SessionDetail["traces"][0]) => number) => session.traces.reduce((total, t) => total + pick(t), 0);
    assert.ok(session.tokens.total > 0);
    assert.equal(session.tokens.total, sum((t) => t.tokens.total));
    assert.equal(session.tokens.prompt, sum((t) => t.tokens.prompt));
    assert.equal(session.spanCount, sum((t) => t.spanCount));

    const first = session.traces[0];
    const last = session.traces.at(-1)!;
    const lastEnd = Math.max(...session.traces.map((t) => Date.parse(t.startTime) + t.durationMs));
    assert.ok(Math.abs(session.durationMs - (lastEnd - Date.parse(first.startTime))) <= 2, "duration spans first start to last end");
    assert.equal(session.firstInput, first.input);
    assert.ok(session.traces.every((t) => t.input), "every turn has the user's message");
    assert.equal(session.lastOutput, [...session.traces].reverse().find((t) => t.output)?.output);
    assert.ok(Date.parse(first.startTime) <= Date.parse(last.startTime));
  }
});

test("the conversations are spread over the last two weeks, minutes apart, with idle gaps", async () => {
  const { body } = await getJson<{ sessions: Array<{ sessionId: string; startTime: string; endTime: string; durationMs: number }> }>(`${server.url}/api/v1/projects/demo-test/sessions?limit=500`);
  const starts = body.sessions.map((s) => Date.parse(s.startTime));
  // Days counted back from now (0 = the last 24 hours): calendar dates would depend on the hour the test runs at.
  const days = new Set(starts.map((t) => Math.floor((Date.now() - t) / 86_400_000)));
  assert.ok(days.size >= 12, `sessions on ${days.size} of the last 14 days`);
  assert.ok(starts.some((t) => Date.now() - t > 12 * 86_400_000), "some almost two weeks ago");
  assert.ok(body.sessions.every((s) => Date.parse(s.endTime) <= Date.now() && Date.now() - Date.parse(s.startTime) < 14 * 86_400_000), "within the last two weeks, none in the future");
  assert.ok(starts.some((t) => Date.now() - t < 86_400_000), "some today");
  // Between turns: minutes, as a person reads and types, and now and then an hour or more.
  const gaps: number[] = [];
  for (const { sessionId } of body.sessions) {
    const { body: session } = await api<SessionDetail>(`/sessions/${sessionId}`);
    const turnStarts = session.traces.map((t) => Date.parse(t.startTime)).sort((a, b) => a - b);
    for (let i = 1; i < turnStarts.length; i++) gaps.push(turnStarts[i] - turnStarts[i - 1]);
  }
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  assert.ok(median >= 60_000 && median <= 10 * 60_000, `a median of ${Math.round(median / 1000)} s between turns`);
  assert.ok(gaps.filter((g) => g > 15 * 60_000).length >= 3, "some sessions went idle and came back");
});

test("a turn with a tool call holds the agent, LLM and tool spans, each stamped with the session", async () => {
  const { body: list } = await api<SessionList>("/sessions?limit=100&sort=spanCount");
  const { body: session } = await api<SessionDetail>(`/sessions/${list.sessions[0].sessionId}`);
  const busiest = [...session.traces].sort((a, b) => b.spanCount - a.spanCount)[0];
  const { body: trace } = await api<TraceDetail>(`/traces/${busiest.traceId}`);
  const kinds = new Set(trace.spans.map((s) => s.spanKind));
  for (const kind of ["AGENT", "LLM", "TOOL"]) assert.ok(kinds.has(kind), `${kind} in ${[...kinds].join(", ")}`);
  for (const span of trace.spans) assert.equal(span.sessionId, session.sessionId, span.name);
});

test("every demo conversation ends its session, the built-in evaluators find the frustrated one, and reviews and thumbs arrive", async () => {
  const ids = demo.sessions.map((s) => s.sessionId);
  const count = await annotateDemo(server.url, "demo-test", ids);
  assert.ok(count > ids.length / 2);
  await eventually(async () => {
    const { body: list } = await api<SessionList>("/sessions?limit=100&sort=annotation:user_frustration&order=desc");
    assert.equal(list.sessions.length, ids.length, "every session evaluated");
  }, EVALUATION_WAIT_MS);
  const { body: names } = await api<AnnotationNames>("/annotation-names");
  assert.deepEqual(names.names.map((n) => n.name).sort(), ["errors", "quality", "repetition", "thumbs", "unanswered", "user_frustration"]);
  const { body: list } = await api<SessionList>("/sessions?limit=100&sort=annotation:user_frustration&order=desc");
  assert.ok(list.sessions.every((s) => s.state === "closed"), "each conversation's last turn closed it");
  const worst = list.sessions[0];
  assert.match(worst.sessionId, /^sess-missing-refund-/);
  const { body: notes } = await api<{ annotations: Array<{ name: string; label: string; metadata: { turn?: number } | null; annotatorKind: string }> }>(`/sessions/${worst.sessionId}/annotations`);
  const frustration = notes.annotations.find((a) => a.name === "user_frustration")!;
  assert.deepEqual([frustration.label, frustration.annotatorKind, frustration.metadata?.turn], ["frustrated", "CODE", 3]);
});
