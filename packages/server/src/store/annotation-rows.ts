// An annotation as both stores keep it in a row (the same column names), and the key of its target.
import type { AnnotationRecord, AnnotationTargetRecord } from "./records.ts";

export const targetKey = (t: AnnotationTargetRecord) =>
  t.type === "session" ? t.sessionId : t.type === "trace" ? t.traceId : `${t.traceId}/${t.spanId}`;

export function toAnnotation(row: Record<string, unknown>): AnnotationRecord {
  const type = row.target_type as AnnotationTargetRecord["type"];
  const target: AnnotationTargetRecord =
    type === "session"
      ? { type, sessionId: row.session_id as string }
      : type === "trace"
        ? { type, traceId: row.trace_id as string }
        : { type, traceId: row.trace_id as string, spanId: row.span_id as string };
  return {
    id: row.id as string,
    project: row.project as string,
    target,
    sessionId: (row.session_id as string | null) ?? null,
    name: row.name as string,
    label: (row.label as string | null) ?? null,
    // Numbers: ClickHouse's JSON may send 64-bit integers as text.
    score: row.score == null ? null : Number(row.score),
    explanation: (row.explanation as string | null) ?? null,
    annotatorKind: row.annotator_kind as AnnotationRecord["annotatorKind"],
    identifier: row.identifier as string,
    metadata: row.metadata == null ? null : (JSON.parse(row.metadata as string) as Record<string, unknown>),
    createdUs: Number(row.created_us),
    updatedUs: Number(row.updated_us),
  };
}
