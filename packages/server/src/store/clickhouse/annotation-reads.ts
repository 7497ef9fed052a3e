// Annotation reads on ClickHouse: by target and trace, the names, and the summaries per session
// (session_scores, kept by annotation-writes.ts) and per user, and a name's distribution over time.
// Every read takes each row's latest version (FINAL) and leaves out deleted ones.
import type { AnnotationRecord, AnnotationSummaryRecord, AnnotationTargetRecord } from "../records.ts";
import type { AnnotationDistributionRecord } from "../store.ts";
import { bucketFor, hourOf } from "../buckets.ts";
import { targetKey, toAnnotation } from "../annotation-rows.ts";
import type { Executor, Row } from "./executor.ts";
import { latest } from "./latest.ts";

type Kind = AnnotationRecord["annotatorKind"];

export class AnnotationReads {
  readonly #ex: Executor;
  readonly #db: string;

  constructor(executor: Executor, database: string) {
    this.#ex = executor;
    this.#db = database;
  }

  async ofTarget(project: string, target: AnnotationTargetRecord): Promise<AnnotationRecord[]> {
    const rows = await this.#ex.query(`SELECT * FROM ${latest(`${this.#db}.annotations`, "id", "project = {p:String} AND target_type = {t:String} AND target_key = {k:String}")}
      WHERE deleted = 0 ORDER BY name, identifier`, { p: project, t: target.type, k: targetKey(target) });
    return rows.map(toAnnotation);
  }

  /** Annotations of the given traces and of their spans. */
  async ofTraces(project: string, traceIds: string[]): Promise<AnnotationRecord[]> {
    if (!traceIds.length) return [];
    const rows = await this.#ex.query(`SELECT * FROM ${latest(`${this.#db}.annotations`, "id", "project = {p:String} AND trace_id IN {t:Array(String)}")}
      WHERE deleted = 0 ORDER BY name, identifier`, { p: project, t: traceIds });
    return rows.map(toAnnotation);
  }

  async names(project: string) {
    const rows = await this.#ex.query(`SELECT name, arraySort(groupUniqArray(annotator_kind)) AS kinds, count() AS n,
        min(score) AS min_score, max(score) AS max_score, arraySlice(arraySort(groupUniqArrayIf(assumeNotNull(label), label IS NOT NULL)), 1, 50) AS labels
      FROM ${this.#db}.annotations FINAL WHERE project = {p:String} AND deleted = 0 GROUP BY name ORDER BY name`, { p: project });
    return rows.map((row) => ({
      name: row.name as string,
      annotatorKinds: row.kinds as Kind[],
      count: Number(row.n),
      labels: row.labels as string[],
      minScore: row.min_score == null ? null : Number(row.min_score),
      maxScore: row.max_score == null ? null : Number(row.max_score),
    }));
  }

  /** The summaries of each session, by name. */
  async sessionSummaries(project: string, sessionIds: string[]): Promise<Map<string, AnnotationSummaryRecord[]>> {
    const out = new Map<string, AnnotationSummaryRecord[]>();
    if (!sessionIds.length) return out;
    const rows = await this.#ex.query(`SELECT * FROM ${latest(`${this.#db}.session_scores`, "session_id, name", "project = {p:String} AND session_id IN {s:Array(String)}")}
      WHERE deleted = 0 ORDER BY session_id, name`, { p: project, s: sessionIds });
    for (const row of rows) push(out, row.session_id as string, summary(row));
    return out;
  }

  /**
   * Each user's summaries over the summaries of every session they took part in, with sessions by
   * label since `labelsSinceUs`'s hour. Read from the few sessions of the users asked (a page).
   */
  async userSummaries(project: string, userIds: string[], labelsSinceUs: number): Promise<Map<string, AnnotationSummaryRecord[]>> {
    const out = new Map<string, AnnotationSummaryRecord[]>();
    if (!userIds.length) return out;
    const db = this.#db;
    const theirSessions = `SELECT session_id FROM ${db}.user_traces WHERE project = {p:String} AND user_id IN {u:Array(String)}`;
    const rows = await this.#ex.query(`SELECT s.user_id AS user_id, sc.name AS name, sc.annotator_kind AS annotator_kind, sc.score AS score,
        sc.label AS label, sc.count AS count, sc.hour_us AS hour_us
      FROM (SELECT session_id, arrayJoin(user_ids) AS user_id FROM ${db}.sessions FINAL
        WHERE project = {p:String} AND deleted = 0 AND session_id IN (${theirSessions})) AS s
      INNER JOIN (SELECT * FROM ${db}.session_scores FINAL WHERE project = {p:String} AND deleted = 0 AND session_id IN (${theirSessions})) AS sc
        ON sc.session_id = s.session_id
      WHERE s.user_id IN {u:Array(String)} ORDER BY user_id, name, s.session_id`, { p: project, u: userIds });
    const since = hourOf(labelsSinceUs);
    const acc = new Map<string, { kinds: string[]; scores: number[]; count: number; labels: Record<string, number> }>();
    for (const row of rows) {
      const key = JSON.stringify([row.user_id, row.name]);
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { kinds: [], scores: [], count: 0, labels: {} }));
      a.kinds.push(row.annotator_kind as string);
      if (row.score != null) a.scores.push(Number(row.score));
      a.count += Number(row.count);
      if (row.label != null && Number(row.hour_us) >= since) a.labels[row.label as string] = (a.labels[row.label as string] ?? 0) + 1;
    }
    for (const [key, a] of acc) {
      const [userId, name] = JSON.parse(key) as [string, string];
      push(out, userId, {
        // As SQLite's user_scores: the greatest kind among the sessions' summaries.
        name, annotatorKind: a.kinds.sort().at(-1) as Kind, label: null, count: a.count, labels: a.labels,
        score: a.scores.length ? a.scores.reduce((x, y) => x + y, 0) / a.scores.length : null,
      });
    }
    return out;
  }

  /** How a name's session summaries spread over time: per bucket, sessions by label and the mean score. */
  async distribution(project: string, name: string, fromUs: number, toUs: number): Promise<AnnotationDistributionRecord> {
    const rows = await this.#ex.query(`SELECT hour_us, label, score FROM ${this.#db}.session_scores FINAL
      WHERE project = {p:String} AND name = {n:String} AND hour_us BETWEEN {from:Int64} AND {to:Int64} AND deleted = 0
      ORDER BY hour_us, session_id`, { p: project, n: name, from: hourOf(fromUs), to: toUs });
    const bucketUs = bucketFor(fromUs, toUs);
    const points = new Map<number, AnnotationDistributionRecord["series"][number] & { scores: number[] }>();
    for (const row of rows) {
      const startUs = Math.floor(Number(row.hour_us) / bucketUs) * bucketUs;
      let p = points.get(startUs);
      if (!p) points.set(startUs, (p = { startUs, sessions: 0, meanScore: null, labels: {}, scores: [] }));
      p.sessions++;
      if (row.score != null) p.scores.push(Number(row.score));
      if (row.label != null) p.labels[row.label as string] = (p.labels[row.label as string] ?? 0) + 1;
    }
    const series = [...points.values()].map(({ scores, ...p }) => ({ ...p, meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null }));
    return { bucketUs, series };
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function summary(row: Row): AnnotationSummaryRecord {
  return {
    name: row.name as string,
    annotatorKind: row.annotator_kind as Kind,
    score: row.score == null ? null : Number(row.score),
    label: (row.label as string | null) ?? null,
    count: Number(row.count),
  };
}
