// Shapes store records as the JSON API's responses: ISO times, milliseconds, named statuses.
import type { AnnotationSummary, SessionSummary, SpanView, TraceStatus, TraceSummary, UserSummary } from "../api/types.ts";
import { readStoredMessages } from "../normalize/semantics.ts";
import {
  STATUS_ERROR, STATUS_OK,
  type AnnotationSummaryRecord, type SessionRollup, type SpanRecord, type TraceRollup, type UserRollup,
} from "../store/records.ts";

const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

export const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();
const ms = (us: number) => Math.round(us / 1000);
const status = (code: number): TraceStatus => (code === STATUS_ERROR ? "ERROR" : code === STATUS_OK ? "OK" : "UNSET");

const annotationSummaries = (list: AnnotationSummaryRecord[] = []): AnnotationSummary[] =>
  list.map(({ name, annotatorKind, score, label, count, labels }) => ({ name, annotatorKind, score, label, count, ...(labels ? { labels } : {}) }));

export function sessionSummary(s: SessionRollup, annotations?: AnnotationSummaryRecord[]): SessionSummary {
  return {
    sessionId: s.sessionId,
    userIds: s.userIds,
    startTime: iso(s.startUs),
    endTime: iso(s.endUs),
    durationMs: ms(s.endUs - s.startUs),
    traceCount: s.traceCount,
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    llmCount: s.llmCount,
    tokens: s.tokens,
    cost: { total: s.cost },
    firstInput: s.firstInput,
    lastOutput: s.lastOutput,
    tags: s.tags,
    models: s.models,
    state: s.state,
    annotations: annotationSummaries(annotations),
  };
}

export function traceSummary(t: TraceRollup): TraceSummary {
  return {
    traceId: t.traceId,
    rootSpanName: t.rootSpanName,
    userId: t.userId,
    startTime: iso(t.startUs),
    durationMs: ms(t.endUs - t.startUs),
    spanCount: t.spanCount,
    errorCount: t.errorCount,
    llmCount: t.llmCount,
    input: t.input,
    output: t.output,
    tokens: t.tokens,
    cost: { total: t.cost },
    status: status(t.statusCode),
    tags: t.tags,
    models: t.models,
  };
}

export function userSummary(u: UserRollup, annotations?: AnnotationSummaryRecord[]): UserSummary {
  return {
    userId: u.userId,
    firstSeen: iso(u.firstSeenUs),
    lastSeen: iso(u.lastSeenUs),
    sessionCount: u.sessionCount,
    traceCount: u.traceCount,
    spanCount: u.spanCount,
    errorCount: u.errorCount,
    tokens: u.tokens,
    cost: { total: u.cost },
    annotations: annotationSummaries(annotations),
  };
}

export function spanView(s: SpanRecord): SpanView {
  const messages = s.inputMessages || s.outputMessages ? { input: s.inputMessages, output: s.outputMessages } : readStoredMessages(s);
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: SPAN_KINDS[s.kind] ?? "UNSPECIFIED",
    spanKind: s.spanKind,
    startTime: iso(s.startUs),
    endTime: iso(s.endUs),
    durationMs: (s.endUs - s.startUs) / 1000,
    status: { code: status(s.statusCode), message: s.statusMessage },
    sessionId: s.sessionId,
    userId: s.userId,
    model: s.model,
    input: s.input,
    output: s.output,
    inputMessages: messages.input,
    outputMessages: messages.output,
    tokens: s.tokens,
    cost: { total: s.cost },
    tags: s.tags,
    metadata: s.metadata,
    attributes: s.attributes,
    resourceAttributes: s.resource,
    events: s.events.map((e) => ({ name: e.name, time: iso(e.timeUs), attributes: e.attributes })),
  };
}
