// Annotations and evaluations read from SQLite, and the per-session and per-user summaries the
// lists show. Writes are in annotation-writes.ts (the writer's thread).
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { targetKey, toAnnotation } from "../annotation-rows.ts";
import type { AnnotationRecord, AnnotationSummaryRecord, AnnotationTargetRecord } from "../records.ts";
import type { AnnotationDistributionRecord } from "../store.ts";
import { bucketFor, hourOf } from "../buckets.ts";
import type { Row } from "./rows.ts";

export class AnnotationReads {
  readonly #db: DatabaseSync;
  readonly #sql: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.#db = db;
    const statements: Record<string, string> = {
      ofTarget: "SELECT * FROM annotations WHERE project = ? AND target_type = ? AND target_key = ? ORDER BY name, identifier",
      names: `SELECT name, group_concat(DISTINCT annotator_kind) AS kinds, count(*) AS n, min(score) AS min_score,
        max(score) AS max_score FROM annotations WHERE project = ? GROUP BY name ORDER BY name`,
      labels: "SELECT DISTINCT label FROM annotations WHERE project = ? AND name = ? AND label IS NOT NULL ORDER BY label LIMIT 50",
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([k, v]) => [k, db.prepare(v)]));
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
    if (sessionIds.length === 0) return new Map();
    const rows = this.#db
      .prepare(`SELECT * FROM session_scores WHERE project = ? AND session_id IN (${sessionIds.map(() => "?").join(", ")}) ORDER BY name`)
      .all(project, ...sessionIds) as Row[];
    return summariesBy(rows, "session_id");
  }

  /** Each user's summaries: over the summaries of every session they took part in (user_scores), with label counts since then. */
  userSummaries(project: string, userIds: string[], labelsSinceUs: number): Map<string, AnnotationSummaryRecord[]> {
    if (userIds.length === 0) return new Map();
    const ids = userIds.map(() => "?").join(", ");
    const rows = this.#db
      .prepare(
        `SELECT user_id, name, max(annotator_kind) AS annotator_kind, total(score_sum) / nullif(sum(scored), 0) AS score,
           NULL AS label, sum(count) AS count
         FROM user_scores WHERE project = ? AND user_id IN (${ids})
         GROUP BY user_id, name ORDER BY name`,
      )
      .all(project, ...userIds) as Row[];
    const out = summariesBy(rows, "user_id");
    const labelled = this.#db
      .prepare(
        `SELECT user_id, name, label, sum(sessions) AS n FROM user_scores
         WHERE project = ? AND user_id IN (${ids}) AND hour_us >= ? AND label != '' GROUP BY user_id, name, label`,
      )
      .all(project, ...userIds, hourOf(labelsSinceUs)) as Row[];
    for (const row of labelled) {
      const summary = out.get(row.user_id as string)?.find((s) => s.name === row.name);
      if (summary && (row.n as number) > 0) (summary.labels ??= {})[row.label as string] = row.n as number;
    }
    for (const list of out.values()) for (const summary of list) summary.labels ??= {};
    return out;
  }
}

/** How a name's session summaries spread over time: per bucket, sessions by label and the mean score. */
export function annotationDistribution(db: DatabaseSync, project: string, name: string, fromUs: number, toUs: number): AnnotationDistributionRecord {
  const rows = db
    .prepare(
      `SELECT hour_us, label, count(*) AS n, total(score) AS score_sum, count(score) AS scored FROM session_scores
       WHERE project = ? AND name = ? AND hour_us BETWEEN ? AND ? GROUP BY hour_us, label ORDER BY hour_us`,
    )
    .all(project, name, hourOf(fromUs), toUs) as Row[];
  const bucketUs = bucketFor(fromUs, toUs);
  const points = new Map<number, AnnotationDistributionRecord["series"][number] & { scoreSum: number; scored: number }>();
  for (const row of rows) {
    const startUs = Math.floor((row.hour_us as number) / bucketUs) * bucketUs;
    let p = points.get(startUs);
    if (!p) points.set(startUs, (p = { startUs, sessions: 0, meanScore: null, labels: {}, scoreSum: 0, scored: 0 }));
    p.sessions += row.n as number;
    p.scoreSum += row.score_sum as number;
    p.scored += row.scored as number;
    if (row.label != null) p.labels[row.label as string] = (p.labels[row.label as string] ?? 0) + (row.n as number);
  }
  const series = [...points.values()].map(({ scoreSum, scored, ...p }) => ({ ...p, meanScore: scored ? scoreSum / scored : null }));
  return { bucketUs, series };
}

/** The rows' summaries, listed under the id in `column` (rows in name order stay in it). */
function summariesBy(rows: Row[], column: string): Map<string, AnnotationSummaryRecord[]> {
  const out = new Map<string, AnnotationSummaryRecord[]>();
  for (const row of rows) {
    const id = row[column] as string;
    const list = out.get(id);
    if (list) list.push(summary(row));
    else out.set(id, [summary(row)]);
  }
  return out;
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
