// Annotation rows as the annotations table holds them, and their ids.
import { createHash } from "node:crypto";
import { targetKey } from "../annotation-rows.ts";
import type { AnnotationRecord, AnnotationTargetRecord } from "../records.ts";
import type { Row } from "./executor.ts";

/**
 * The annotation's id, derived from what makes it one (SQLite draws a random one): two servers
 * upserting the same target, name and identifier at once write rows of the same key, which the
 * table collapses, instead of two annotations. Formatted as a UUID (version 8, name-based).
 */
export function annotationId(project: string, target: AnnotationTargetRecord, name: string, identifier: string): string {
  const hex = createHash("sha256").update(JSON.stringify([project, target.type, targetKey(target), name, identifier])).digest("hex");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The row of an annotation at version `ver`. */
export function annotationRow(a: AnnotationRecord, ver: number, deleted: boolean): Row {
  const t = a.target;
  return {
    project: a.project, id: a.id, target_type: t.type, target_key: targetKey(t), session_id: a.sessionId,
    trace_id: t.type === "session" ? null : t.traceId, span_id: t.type === "span" ? t.spanId : null,
    name: a.name, label: a.label, score: a.score, explanation: a.explanation, annotator_kind: a.annotatorKind,
    identifier: a.identifier, created_us: a.createdUs, updated_us: a.updatedUs,
    metadata: a.metadata == null ? null : JSON.stringify(a.metadata), ver, deleted: deleted ? 1 : 0,
  };
}
