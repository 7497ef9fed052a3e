// The annotations the annotation checks write, and what their summaries should be, computed from
// this list: per session and name, the count, the mean of the scores given, the most frequent label
// and kind (ties to the first in alphabetical order); per user, over the sessions they took part in.
import type { AnnotationSummaryRecord, AnnotationTargetRecord } from "../../src/store/records.ts";
import type { AnnotationFields } from "../../src/store/store.ts";
import { HOUR, USERS } from "./fixture.ts";
import type { Model } from "./model.ts";

export interface Planned {
  target: AnnotationTargetRecord;
  sessionId: string;
  fields: AnnotationFields;
}

const human = (name: string, identifier: string, score: number | null, label: string | null, kind: AnnotationFields["annotatorKind"] = "HUMAN"): AnnotationFields =>
  ({ name, identifier, score, label, annotatorKind: kind, explanation: null, metadata: null });

export function annotationPlan(m: Model): Planned[] {
  const ids = [...m.sessions.keys()].sort();
  const out: Planned[] = [];
  const onSession = (sessionId: string, fields: AnnotationFields) => out.push({ target: { type: "session", sessionId }, sessionId, fields });
  ids.slice(0, 10).forEach((sessionId, i) => {
    onSession(sessionId, human("quality", "ann", (i % 5) / 4, i % 3 === 0 ? "bad" : "good"));
    if (i % 2 === 0) onSession(sessionId, human("quality", "bob", 0.5, "good"));
    if (i % 4 === 1) onSession(sessionId, human("quality", "judge", null, "bad", "LLM"));
  });
  onSession(ids[10], human("quality", "ann", null, "good")); // a label and no score: not in a sort by score
  const traceOf = (sessionId: string) => [...m.traces.values()].filter((t) => t.sessionId === sessionId).sort((a, b) => a.startUs - b.startUs)[0];
  const t1 = traceOf(ids[1]);
  out.push({ target: { type: "trace", traceId: t1.traceId }, sessionId: ids[1], fields: human("quality", "carl", 1, "good") });
  const t2 = traceOf(ids[2]);
  const llm = m.spansOf.get(t2.traceId)!.find((s) => s.spanKind === "LLM")!;
  out.push({ target: { type: "span", traceId: t2.traceId, spanId: llm.spanId }, sessionId: ids[2], fields: { ...human("helpful", "ann", 1, null), metadata: { turn: 1 } } });
  // An evaluator's verdicts on sessions of the heavy user and of one other.
  const of = (user: string) => ids.filter((id) => m.sessions.get(id)!.userIds.includes(user));
  of(USERS.heavy).forEach((sessionId, i) =>
    onSession(sessionId, { ...human("frustration", "threadline", i < 3 ? 1 : 0, i < 3 ? "frustrated" : "calm", "CODE"), explanation: "said so", metadata: { turn: 2, traceId: "x" } }));
  onSession(of(USERS.mid)[0], human("frustration", "threadline", 1, "frustrated", "CODE"));
  return out;
}

const top = (values: string[]): string | null => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
};
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

export function sessionSummaries(plan: Planned[], sessionId: string): AnnotationSummaryRecord[] {
  const mine = plan.filter((p) => p.sessionId === sessionId);
  return [...new Set(mine.map((p) => p.fields.name))].sort().map((name) => {
    const list = mine.filter((p) => p.fields.name === name).map((p) => p.fields);
    return {
      name, annotatorKind: top(list.map((f) => f.annotatorKind)) as AnnotationSummaryRecord["annotatorKind"],
      score: mean(list.flatMap((f) => (f.score == null ? [] : [f.score]))), label: top(list.flatMap((f) => (f.label == null ? [] : [f.label]))), count: list.length,
    };
  });
}

/** A user's: the mean of their sessions' mean scores, all counts, and sessions by label since `sinceUs`'s hour. */
export function userSummaries(plan: Planned[], m: Model, userId: string, sinceUs: number): AnnotationSummaryRecord[] {
  const sessions = [...m.sessions.values()].filter((s) => s.userIds.includes(userId));
  const bySession = sessions.map((s) => ({ s, summaries: sessionSummaries(plan, s.sessionId) }));
  const names = [...new Set(bySession.flatMap((b) => b.summaries.map((x) => x.name)))].sort();
  return names.map((name) => {
    const list = bySession.flatMap(({ s, summaries }) => summaries.filter((x) => x.name === name).map((x) => ({ s, x })));
    const labels: Record<string, number> = {};
    for (const { s, x } of list) if (x.label != null && s.startUs >= Math.floor(sinceUs / HOUR) * HOUR) labels[x.label] = (labels[x.label] ?? 0) + 1;
    return {
      name, annotatorKind: list[0].x.annotatorKind, label: null, count: list.reduce((n, { x }) => n + x.count, 0),
      score: mean(list.flatMap(({ x }) => (x.score == null ? [] : [x.score]))), labels,
    };
  });
}
