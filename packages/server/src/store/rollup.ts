// How a trace is summarized from its spans. Pure, so every store rolls up the same way.
import { STATUS_ERROR, type SpanRecord, type TraceRollup } from "./records.ts";

/** The span fields a trace rollup needs (stores may load just these). */
export type RollupSpan = Pick<
  SpanRecord,
  | "project" | "traceId" | "spanId" | "parentSpanId" | "name" | "startUs" | "endUs" | "statusCode"
  | "sessionId" | "userId" | "input" | "output" | "tokens" | "cost"
>;

/**
 * A trace belongs to the session its root span names; if the root names none (or has not
 * arrived yet), to the earliest span's that does. Every span counts toward the totals,
 * whether or not it carries the session id itself.
 */
export function rollUpTrace(spans: RollupSpan[]): TraceRollup {
  if (spans.length === 0) throw new Error("rollUpTrace needs at least one span");
  const byStart = [...spans].sort((a, b) => a.startUs - b.startUs || a.spanId.localeCompare(b.spanId));
  const root = findRoot(byStart);
  const earliest = <K extends "sessionId" | "userId" | "input">(key: K) =>
    root[key] ?? byStart.find((span) => span[key] != null)?.[key] ?? null;
  const latestOutput =
    root.output ??
    [...byStart].sort((a, b) => b.endUs - a.endUs).find((span) => span.output != null)?.output ??
    null;

  let errorCount = 0;
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let cost = 0;
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const span of spans) {
    if (span.statusCode === STATUS_ERROR) errorCount++;
    prompt += span.tokens.prompt;
    completion += span.tokens.completion;
    total += span.tokens.total;
    cost += span.cost;
    startUs = Math.min(startUs, span.startUs);
    endUs = Math.max(endUs, span.endUs);
  }
  return {
    project: root.project,
    traceId: root.traceId,
    sessionId: earliest("sessionId"),
    userId: earliest("userId"),
    rootSpanName: root.parentSpanId == null ? root.name : null,
    startUs,
    endUs,
    spanCount: spans.length,
    errorCount,
    statusCode: errorCount > 0 ? STATUS_ERROR : root.statusCode,
    input: earliest("input"),
    output: latestOutput,
    tokens: { prompt, completion, total },
    cost,
  };
}

/** The span without a parent; else the earliest whose parent has not arrived; else the earliest. */
function findRoot<T extends RollupSpan>(byStart: T[]): T {
  const ids = new Set(byStart.map((span) => span.spanId));
  return (
    byStart.find((span) => span.parentSpanId == null) ??
    byStart.find((span) => !ids.has(span.parentSpanId as string)) ??
    byStart[0]
  );
}
