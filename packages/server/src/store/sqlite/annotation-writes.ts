// Annotation writes, on the writer's thread: each in its own transaction between span commits,
// keeping the per-session summaries (session_scores) and their users' totals (user_scores).
import { randomUUID } from "node:crypto";
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { AnnotationRecord, AnnotationTargetRecord } from "../records.ts";
import type { AnnotationFields } from "../store.ts";
import { targetKey, toAnnotation } from "../annotation-rows.ts";
import { hourOf } from "../buckets.ts";
import type { Row } from "./rows.ts";
import { inTransaction } from "./transaction.ts";
import { ScoreRollup, type SessionScore } from "./score-rollup.ts";

export class AnnotationWrites {
  readonly #db: DatabaseSync;
  readonly #sql: Record<string, StatementSync>;
  readonly #scores: ScoreRollup;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#scores = new ScoreRollup(db);
    const statements: Record<string, string> = {
      traceSession: "SELECT trace_key, session_id FROM traces WHERE project = ? AND trace_id = ?",
      spanExists: "SELECT 1 FROM spans WHERE trace_key = ? AND span_id = ?",
      sessionStart: "SELECT start_us FROM sessions WHERE project = ? AND session_id = ?",
      find: "SELECT * FROM annotations WHERE project = ? AND target_type = ? AND target_key = ? AND name = ? AND identifier = ?",
      byId: "SELECT * FROM annotations WHERE project = ? AND id = ?",
      insert: `INSERT INTO annotations (id, project, target_type, target_key, session_id, trace_id, span_id, name, label,
        score, explanation, annotator_kind, identifier, created_us, updated_us, metadata) VALUES (${Array(16).fill("?").join(", ")})`,
      update: `UPDATE annotations SET label = ?, score = ?, explanation = ?, annotator_kind = ?, updated_us = ?, metadata = ?
        WHERE project = ? AND id = ?`,
      delete: "DELETE FROM annotations WHERE project = ? AND id = ?",
      scoreTotals: `SELECT count(*) AS n, avg(score) AS score FROM annotations WHERE project = ? AND session_id = ? AND name = ?`,
      topLabel: `SELECT label FROM annotations WHERE project = ? AND session_id = ? AND name = ? AND label IS NOT NULL
        GROUP BY label ORDER BY count(*) DESC, label LIMIT 1`,
      topKind: `SELECT annotator_kind FROM annotations WHERE project = ? AND session_id = ? AND name = ?
        GROUP BY annotator_kind ORDER BY count(*) DESC, annotator_kind LIMIT 1`,
      getScore: "SELECT name, annotator_kind, score, label, count, hour_us FROM session_scores WHERE project = ? AND name = ? AND session_id = ?",
      putScore: `INSERT OR REPLACE INTO session_scores (project, name, session_id, annotator_kind, score, label, count, hour_us)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      dropScore: "DELETE FROM session_scores WHERE project = ? AND name = ? AND session_id = ?",
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([k, v]) => [k, db.prepare(v)]));
  }

  /** The session a target belongs to; undefined when the target does not exist. */
  #sessionOf(project: string, target: AnnotationTargetRecord): string | null | undefined {
    const sql = this.#sql;
    if (target.type === "session") return sql.sessionStart.get(project, target.sessionId) ? target.sessionId : undefined;
    const trace = sql.traceSession.get(project, target.traceId) as Row | undefined;
    if (!trace) return undefined;
    if (target.type === "span" && !sql.spanExists.get(trace.trace_key as number, target.spanId)) return undefined;
    return (trace.session_id as string | null) ?? null;
  }

  /** Creates, or replaces the one with the same target, name and identifier. Null when the target is unknown. */
  upsert(project: string, target: AnnotationTargetRecord, fields: AnnotationFields): { annotation: AnnotationRecord; created: boolean } | null {
    return this.#transaction(() => this.upsertIn(project, target, fields));
  }

  /** upsert, inside a transaction the caller holds. */
  upsertIn(project: string, target: AnnotationTargetRecord, fields: AnnotationFields): { annotation: AnnotationRecord; created: boolean } | null {
    const sessionId = this.#sessionOf(project, target);
    if (sessionId === undefined) return null;
    const now = Date.now() * 1000;
    const key = targetKey(target);
    const existing = this.#sql.find.get(project, target.type, key, fields.name, fields.identifier) as Row | undefined;
    if (existing) {
      this.#sql.update.run(fields.label, fields.score, fields.explanation, fields.annotatorKind, now, metadataText(fields.metadata), project, existing.id as string);
    } else {
      const ids: SQLInputValue[] = target.type === "session" ? [null, null] : target.type === "trace" ? [target.traceId, null] : [target.traceId, target.spanId];
      this.#sql.insert.run(
        randomUUID(), project, target.type, key, sessionId, ...ids, fields.name, fields.label, fields.score,
        fields.explanation, fields.annotatorKind, fields.identifier, now, now, metadataText(fields.metadata),
      );
    }
    const row = this.#sql.find.get(project, target.type, key, fields.name, fields.identifier) as Row;
    if (sessionId) this.refreshScore(project, sessionId, fields.name);
    return { annotation: toAnnotation(row), created: !existing };
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
        metadataText(patch.metadata !== undefined ? patch.metadata : current.metadata),
        project,
        id,
      );
      if (current.sessionId) this.refreshScore(project, current.sessionId, current.name);
      return toAnnotation(this.#sql.byId.get(project, id) as Row);
    });
  }

  delete(project: string, id: string): AnnotationRecord | null {
    return this.#transaction(() => {
      const row = this.#sql.byId.get(project, id) as Row | undefined;
      if (!row) return null;
      this.#sql.delete.run(project, id);
      if (row.session_id) this.refreshScore(project, row.session_id as string, row.name as string);
      return toAnnotation(row);
    });
  }

  /** Recomputes the session's summary of `name`, and its users' totals with it (inside a transaction). */
  refreshScore(project: string, sessionId: string, name: string): void {
    const sql = this.#sql;
    const before = (sql.getScore.get(project, name, sessionId) as SessionScore | undefined) ?? null;
    const totals = sql.scoreTotals.get(project, sessionId, name) as Row;
    const start = sql.sessionStart.get(project, sessionId) as Row | undefined;
    if ((totals.n as number) === 0 || !start) {
      sql.dropScore.run(project, name, sessionId);
      this.#scores.sessionChanged(project, sessionId, before, null);
      return;
    }
    const after: SessionScore = {
      name,
      annotator_kind: (sql.topKind.get(project, sessionId, name) as Row).annotator_kind as string,
      score: (totals.score as number | null) ?? null,
      label: ((sql.topLabel.get(project, sessionId, name) as Row | undefined)?.label as string | undefined) ?? null,
      count: totals.n as number,
      hour_us: hourOf(start.start_us as number),
    };
    sql.putScore.run(project, name, sessionId, after.annotator_kind, after.score, after.label, after.count, after.hour_us);
    this.#scores.sessionChanged(project, sessionId, before, after);
  }

  #transaction<T>(work: () => T): T {
    return inTransaction(this.#db, work);
  }
}

const metadataText = (metadata: Record<string, unknown> | null | undefined) => (metadata == null ? null : JSON.stringify(metadata));
