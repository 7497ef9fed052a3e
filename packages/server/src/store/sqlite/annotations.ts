// Annotations and evaluations in SQLite, and the per-session summaries the lists read.
// Written from the main thread's connection: they arrive at human pace, and SQLite's busy
// timeout lets them wait for a running ingest commit.
import { randomUUID } from "node:crypto";
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { AnnotationRecord, AnnotationSummaryRecord, AnnotationTargetRecord } from "../records.ts";
import type { AnnotationFields } from "../store.ts";
import type { Row } from "./rows.ts";

const targetKey = (t: AnnotationTargetRecord) =>
  t.type === "session" ? t.sessionId : t.type === "trace" ? t.traceId : `${t.traceId}/${t.spanId}`;

function toAnnotation(row: Row): AnnotationRecord {
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
    score: (row.score as number | null) ?? null,
    explanation: (row.explanation as string | null) ?? null,
    annotatorKind: row.annotator_kind as AnnotationRecord["annotatorKind"],
    identifier: row.identifier as string,
    createdUs: row.created_us as number,
    updatedUs: row.updated_us as number,
  };
}

export class SqliteAnnotations {
  readonly #db: DatabaseSync;
  readonly #sql: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.#db = db;
    const statements: Record<string, string> = {
      traceSession: "SELECT session_id FROM traces WHERE project = ? AND trace_id = ?",
      spanExists: `SELECT 1 FROM spans JOIN traces ON traces.trace_key = spans.trace_key
        WHERE traces.project = ? AND traces.trace_id = ? AND spans.span_id = ?`,
      sessionExists: "SELECT 1 FROM sessions WHERE project = ? AND session_id = ?",
      find: "SELECT * FROM annotations WHERE project = ? AND target_type = ? AND target_key = ? AND name = ? AND identifier = ?",
      byId: "SELECT * FROM annotations WHERE project = ? AND id = ?",
      insert: `INSERT INTO annotations (id, project, target_type, target_key, session_id, trace_id, span_id, name, label,
        score, explanation, annotator_kind, identifier, created_us, updated_us) VALUES (${Array(15).fill("?").join(", ")})`,
      update: `UPDATE annotations SET label = ?, score = ?, explanation = ?, annotator_kind = ?, updated_us = ?
        WHERE project = ? AND id = ?`,
      delete: "DELETE FROM annotations WHERE project = ? AND id = ?",
      ofTarget: "SELECT * FROM annotations WHERE project = ? AND target_type = ? AND target_key = ? ORDER BY name, identifier",
      scoreTotals: `SELECT count(*) AS n, avg(score) AS score FROM annotations WHERE project = ? AND session_id = ? AND name = ?`,
      topLabel: `SELECT label FROM annotations WHERE project = ? AND session_id = ? AND name = ? AND label IS NOT NULL
        GROUP BY label ORDER BY count(*) DESC, label LIMIT 1`,
      topKind: `SELECT annotator_kind FROM annotations WHERE project = ? AND session_id = ? AND name = ?
        GROUP BY annotator_kind ORDER BY count(*) DESC, annotator_kind LIMIT 1`,
      putScore: `INSERT OR REPLACE INTO session_scores (project, name, session_id, annotator_kind, score, label, count)
        VALUES (?, ?, ?, ?, ?, ?, ?)`,
      dropScore: "DELETE FROM session_scores WHERE project = ? AND name = ? AND session_id = ?",
      names: `SELECT name, group_concat(DISTINCT annotator_kind) AS kinds, count(*) AS n, min(score) AS min_score,
        max(score) AS max_score FROM annotations WHERE project = ? GROUP BY name ORDER BY name`,
      labels: "SELECT DISTINCT label FROM annotations WHERE project = ? AND name = ? AND label IS NOT NULL ORDER BY label LIMIT 50",
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([k, v]) => [k, db.prepare(v)]));
  }

  /** The session a target belongs to; undefined when the target does not exist. */
  #sessionOf(project: string, target: AnnotationTargetRecord): string | null | undefined {
    const sql = this.#sql;
    if (target.type === "session") return sql.sessionExists.get(project, target.sessionId) ? target.sessionId : undefined;
    const trace = sql.traceSession.get(project, target.traceId) as Row | undefined;
    if (!trace) return undefined;
    if (target.type === "span" && !sql.spanExists.get(project, target.traceId, target.spanId)) return undefined;
    return (trace.session_id as string | null) ?? null;
  }

  /** Creates, or replaces the one with the same target, name and identifier. Null when the target is unknown. */
  upsert(project: string, target: AnnotationTargetRecord, fields: AnnotationFields): { annotation: AnnotationRecord; created: boolean } | null {
    return this.#transaction(() => {
      const sessionId = this.#sessionOf(project, target);
      if (sessionId === undefined) return null;
      const now = Date.now() * 1000;
      const key = targetKey(target);
      const existing = this.#sql.find.get(project, target.type, key, fields.name, fields.identifier) as Row | undefined;
      if (existing) {
        this.#sql.update.run(fields.label, fields.score, fields.explanation, fields.annotatorKind, now, project, existing.id as string);
      } else {
        const ids: SQLInputValue[] = target.type === "session" ? [null, null] : target.type === "trace" ? [target.traceId, null] : [target.traceId, target.spanId];
        this.#sql.insert.run(
          randomUUID(), project, target.type, key, sessionId, ...ids, fields.name, fields.label, fields.score,
          fields.explanation, fields.annotatorKind, fields.identifier, now, now,
        );
      }
      const row = this.#sql.find.get(project, target.type, key, fields.name, fields.identifier) as Row;
      if (sessionId) this.#refreshScore(project, sessionId, fields.name);
      return { annotation: toAnnotation(row), created: !existing };
    });
  }

  /** Changes some fields of an annotation; null when there is no such annotation. */
  update(project: string, id: string, patch: Partial<Omit<AnnotationFields, "name" | "identifier">>): AnnotationRecord | null {
    return this.#transaction(() => {
      const row = this.#sql.byId.get(project, id) as Row | undefined;
      if (!row) return null;
      const current = toAnnotation(row);
      this.#sql.update.run(
        patch.label !== undefined ? patch.label : current.label,
        patch.score !== undefined ? patch.score : current.score,
        patch.explanation !== undefined ? patch.explanation : current.explanation,
        patch.annotatorKind ?? current.annotatorKind,
        Date.now() * 1000,
        project,
        id,
      );
      if (current.sessionId) this.#refreshScore(project, current.sessionId, current.name);
      return toAnnotation(this.#sql.byId.get(project, id) as Row);
    });
  }

  delete(project: string, id: string): AnnotationRecord | null {
    return this.#transaction(() => {
      const row = this.#sql.byId.get(project, id) as Row | undefined;
      if (!row) return null;
      this.#sql.delete.run(project, id);
      if (row.session_id) this.#refreshScore(project, row.session_id as string, row.name as string);
      return toAnnotation(row);
    });
  }

  ofTarget(project: string, target: AnnotationTargetRecord): AnnotationRecord[] {
    return (this.#sql.ofTarget.all(project, target.type, targetKey(target)) as Row[]).map(toAnnotation);
  }

  /** Annotations of the given traces and of their spans. */
  ofTraces(project: string, traceIds: string[]): AnnotationRecord[] {
    if (traceIds.length === 0) return [];
    const rows = this.#db
      .prepare(`SELECT * FROM annotations WHERE project = ? AND trace_id IN (${traceIds.map(() => "?").join(", ")}) ORDER BY name, identifier`)
      .all(project, ...traceIds) as Row[];
    return rows.map(toAnnotation);
  }

  names(project: string) {
    return (this.#sql.names.all(project) as Row[]).map((row) => ({
      name: row.name as string,
      annotatorKinds: String(row.kinds).split(",") as AnnotationRecord["annotatorKind"][],
      count: row.n as number,
      labels: (this.#sql.labels.all(project, row.name as string) as Row[]).map((r) => r.label as string),
      minScore: (row.min_score as number | null) ?? null,
      maxScore: (row.max_score as number | null) ?? null,
    }));
  }

  /** The summaries of each session, by name. */
  sessionSummaries(project: string, sessionIds: string[]): Map<string, AnnotationSummaryRecord[]> {
    const out = new Map<string, AnnotationSummaryRecord[]>();
    if (sessionIds.length === 0) return out;
    const rows = this.#db
      .prepare(`SELECT * FROM session_scores WHERE project = ? AND session_id IN (${sessionIds.map(() => "?").join(", ")}) ORDER BY name`)
      .all(project, ...sessionIds) as Row[];
    for (const row of rows) {
      const list = out.get(row.session_id as string) ?? [];
      list.push(summary(row));
      out.set(row.session_id as string, list);
    }
    return out;
  }

  /** Each user's summaries: over the annotations of every session they took part in. */
  userSummaries(project: string, userIds: string[]): Map<string, AnnotationSummaryRecord[]> {
    const out = new Map<string, AnnotationSummaryRecord[]>();
    if (userIds.length === 0) return out;
    const rows = this.#db
      .prepare(
        `SELECT u.user_id, s.name, max(s.annotator_kind) AS annotator_kind, avg(s.score) AS score, NULL AS label,
           sum(s.count) AS count
         FROM user_sessions u JOIN session_scores s ON s.project = u.project AND s.session_id = u.session_id
         WHERE u.project = ? AND u.user_id IN (${userIds.map(() => "?").join(", ")})
         GROUP BY u.user_id, s.name ORDER BY s.name`,
      )
      .all(project, ...userIds) as Row[];
    for (const row of rows) {
      const list = out.get(row.user_id as string) ?? [];
      list.push(summary(row));
      out.set(row.user_id as string, list);
    }
    return out;
  }

  #refreshScore(project: string, sessionId: string, name: string): void {
    const sql = this.#sql;
    const totals = sql.scoreTotals.get(project, sessionId, name) as Row;
    if ((totals.n as number) === 0) {
      sql.dropScore.run(project, name, sessionId);
      return;
    }
    const label = (sql.topLabel.get(project, sessionId, name) as Row | undefined)?.label ?? null;
    const kind = (sql.topKind.get(project, sessionId, name) as Row).annotator_kind as string;
    sql.putScore.run(project, name, sessionId, kind, (totals.score as number | null) ?? null, label as string | null, totals.n as number);
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}

function summary(row: Row): AnnotationSummaryRecord {
  return {
    name: row.name as string,
    annotatorKind: row.annotator_kind as AnnotationSummaryRecord["annotatorKind"],
    score: (row.score as number | null) ?? null,
    label: (row.label as string | null) ?? null,
    count: row.count as number,
  };
}
