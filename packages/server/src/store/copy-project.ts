// Copies a project from one store to another through the Store interface alone (so any store to
// any store: SQLite to ClickHouse, chdb to a ClickHouse server, back to SQLite): its spans, from
// which the new store builds every rollup and index itself; annotations and evaluation results;
// idle and closed sessions and the versions evaluated, so nothing is evaluated twice; review queues with
// their reviews; the redaction and LLM usage counters. Every step but the counters is idempotent,
// and those are copied only into a store that has none, so a copy cut short is finished by
// running it again.
import type { AnnotationRecord, ProjectRollup } from "./records.ts";
import type { Store } from "./store.ts";

export interface CopyOptions {
  /** Spans per write: whole traces, at least this many per batch (default 5,000). */
  batchSpans?: number;
  /** Called as work gets done: the step and how many of its items so far. */
  progress?: (step: CopyStep, done: number) => void;
}

export type CopyStep = "spans" | "annotations" | "sessions" | "review queues";

export interface CopyResult {
  traces: number;
  spans: number;
  annotations: number;
  /** Sessions idle, closed or evaluated whose state was carried over. */
  sessionStates: number;
  reviewQueues: number;
  /** The project's totals in both stores afterwards: they must be the same. */
  from: ProjectRollup | null;
  to: ProjectRollup | null;
}

const PAGE = 500;

export async function copyProject(from: Store, to: Store, project: string, options: CopyOptions = {}): Promise<CopyResult> {
  const batchSpans = options.batchSpans ?? 5_000;
  const progress = options.progress ?? (() => {});
  const result: CopyResult = { traces: 0, spans: 0, annotations: 0, sessionStates: 0, reviewQueues: 0, from: null, to: null };

  // Spans, whole traces at a time: the target recomputes traces, sessions, users and search.
  let batch: Parameters<Store["writeSpans"]>[0] = [];
  for (let after: string | null = null; ; ) {
    const ids = await from.exportTraceIds(project, after, PAGE);
    if (ids.length === 0) break;
    after = ids.at(-1)!;
    for (const spans of (await from.getTraceSpans(project, ids)).values()) batch.push(...spans);
    result.traces += ids.length;
    if (batch.length >= batchSpans) {
      await to.writeSpans(batch);
      result.spans += batch.length;
      batch = [];
      progress("spans", result.spans);
    }
  }
  if (batch.length) await to.writeSpans(batch);
  result.spans += batch.length;
  progress("spans", result.spans);

  // Annotations (evaluation results among them), a page at a time, a few at once.
  for (let after: string | null = null; ; ) {
    const page = await from.exportAnnotations(project, after, PAGE);
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    for (let i = 0; i < page.length; i += 16) await Promise.all(page.slice(i, i + 16).map((a) => upsert(to, project, a)));
    result.annotations += page.length;
    progress("annotations", result.annotations);
  }

  // Idle and closed sessions, and the versions already evaluated.
  for (let after: string | null = null; ; ) {
    const page = await from.exportSessionStates(project, after, PAGE * 2);
    if (page.length === 0) break;
    after = page.at(-1)!.sessionId;
    const carried = page.filter((s) => s.state !== "open" || s.evaluatedVersion != null);
    if (carried.length) await to.importSessionStates(project, carried);
    result.sessionStates += carried.length;
    progress("sessions", result.sessionStates);
  }

  result.reviewQueues = await copyReviewQueues(from, to, project);
  progress("review queues", result.reviewQueues);
  await copyCounters(from, to, project);

  [result.from, result.to] = await Promise.all([from.getProject(project), to.getProject(project)]);
  return result;
}

function upsert(to: Store, project: string, a: AnnotationRecord) {
  const { name, label, score, explanation, annotatorKind, identifier, metadata } = a;
  return to.upsertAnnotation(project, a.target, { name, label, score, explanation, annotatorKind, identifier, metadata });
}

/** Each queue in its order, and its reviews (the reviewers' annotations are already copied). A queue the target has (same name, evaluator and author) is skipped. */
async function copyReviewQueues(from: Store, to: Store, project: string): Promise<number> {
  const key = (q: { name: string; annotation: string; createdBy: string }) => JSON.stringify([q.name, q.annotation, q.createdBy]);
  const there = new Set((await to.listReviewQueues(project)).map(key));
  let copied = 0;
  for (const summary of (await from.listReviewQueues(project)).reverse()) {
    if (there.has(key(summary))) continue;
    const source = await from.getReviewQueue(project, summary.id);
    if (!source) continue;
    const { queue, items } = source;
    const copy = await to.createReviewQueue(project, {
      name: queue.name, annotation: queue.annotation, labels: queue.labels, createdBy: queue.createdBy, sessionIds: items.map((item) => item.sessionId),
    });
    for (const item of items) {
      if (item.reviewedBy == null) continue;
      const review = (await to.listAnnotations(project, { type: "session", sessionId: item.sessionId }))
        .find((a) => a.name === queue.annotation && a.identifier === item.reviewedBy && a.annotatorKind === "HUMAN");
      if (!review) continue;
      const { label, score, explanation, metadata } = review;
      await to.reviewItem(project, copy.id, item.position, item.reviewedBy, { label, score, explanation, metadata });
    }
    copied++;
  }
  return copied;
}

/** Counters add up, so they are copied only into a store that has none for the project. */
async function copyCounters(from: Store, to: Store, project: string): Promise<void> {
  const counts = await from.redactionCounts(project);
  if (Object.keys(counts).length && Object.keys(await to.redactionCounts(project)).length === 0) {
    await to.addRedactions(Object.entries(counts).map(([detector, n]) => [project, detector, n]));
  }
  // Today's LLM use, which the judges' daily budget counts against (earlier days are history).
  const today = new Date().toISOString().slice(0, 10);
  const used = (await from.llmUsage(today)).find((u) => u.project === project);
  if (used && !(await to.llmUsage(today)).some((u) => u.project === project)) await to.addLlmUsage(project, today, used.calls, used.tokens);
}
