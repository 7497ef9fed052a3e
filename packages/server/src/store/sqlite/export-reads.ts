// What `threadline migrate` reads to move a project to another store, page by page in id order
// (each query walks a unique index: traces (project, trace_id), sessions (project, session_id),
// annotations by primary key).
import type { DatabaseSync } from "node:sqlite";
import { toAnnotation } from "../annotation-rows.ts";
import type { AnnotationRecord } from "../records.ts";
import type { SessionStateRecord } from "../store.ts";
import type { Row } from "./rows.ts";
import { SESSION_STATES } from "./schema.ts";

export function exportReads(db: DatabaseSync) {
  const traces = db.prepare("SELECT trace_id FROM traces WHERE project = ? AND trace_id > ? ORDER BY trace_id LIMIT ?");
  const annotations = db.prepare("SELECT * FROM annotations WHERE project = ? AND id > ? ORDER BY id LIMIT ?");
  const sessions = db.prepare("SELECT session_id, state, evaluated_version FROM sessions WHERE project = ? AND session_id > ? ORDER BY session_id LIMIT ?");
  return {
    exportTraceIds: (project: string, after: string | null, limit: number) =>
      (traces.all(project, after ?? "", limit) as Row[]).map((row) => row.trace_id as string),
    exportAnnotations: (project: string, after: string | null, limit: number): AnnotationRecord[] =>
      (annotations.all(project, after ?? "", limit) as Row[]).map(toAnnotation),
    exportSessionStates: (project: string, after: string | null, limit: number): SessionStateRecord[] =>
      (sessions.all(project, after ?? "", limit) as Row[]).map((row) => ({
        sessionId: row.session_id as string,
        state: SESSION_STATES[row.state as number],
        evaluatedVersion: (row.evaluated_version as number | null) ?? null,
      })),
  };
}
