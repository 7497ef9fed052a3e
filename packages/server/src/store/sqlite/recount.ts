// Recounting a session or user from its traces: the rare path, taken when a trace moved from one
// session (or user) to another and deltas cannot say what the old one lost.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { pairKey } from "../deltas.ts";
import { HOUR_US } from "../buckets.ts";
import { SESSION_HOUR_SOURCE, type HourlyRollups } from "./hours.ts";
import type { Row } from "./rows.ts";
import { TOKEN_COLUMNS } from "./schema.ts";
import type { ScoreRollup } from "./score-rollup.ts";

const TOTALS = `count(*) AS trace_count, min(start_us) AS start_us, max(end_us) AS end_us,
  total(span_count) AS span_count, total(error_count) AS error_count, total(llm_count) AS llm_count,
  ${TOKEN_COLUMNS.map((c) => `total(${c}) AS ${c}`).join(", ")}`;

export class Recount {
  readonly #sql: Record<string, StatementSync>;
  readonly #hours: HourlyRollups;
  readonly #scores: ScoreRollup;

  constructor(db: DatabaseSync, hours: HourlyRollups, scores: ScoreRollup) {
    this.#hours = hours;
    this.#scores = scores;
    const statements: Record<string, string> = {
      sessionTotals: `SELECT ${TOTALS} FROM traces WHERE project = ? AND session_id = ?`,
      firstInput: `SELECT input, start_us FROM traces WHERE project = ? AND session_id = ? AND input IS NOT NULL
        ORDER BY start_us, trace_id LIMIT 1`,
      lastOutput: `SELECT output, end_us FROM traces WHERE project = ? AND session_id = ? AND output IS NOT NULL
        ORDER BY end_us DESC, trace_id LIMIT 1`,
      traceUsers: `SELECT user_id FROM traces WHERE project = ? AND session_id = ? AND user_id IS NOT NULL
        GROUP BY user_id ORDER BY min(start_us)`,
      traceTags: "SELECT DISTINCT j.value AS v FROM traces, json_each(traces.tags) j WHERE project = ? AND session_id = ?",
      traceModels: "SELECT DISTINCT j.value AS v FROM traces, json_each(traces.models) j WHERE project = ? AND session_id = ?",
      traceMetadata: `SELECT DISTINCT j.value ->> 0 AS k, j.value ->> 1 AS v FROM traces, json_each(traces.metadata) j
        WHERE project = ? AND session_id = ?`,
      unlinkMetadata: "DELETE FROM session_metadata WHERE project = ? AND session_id = ?",
      linkMetadata: "INSERT INTO session_metadata (project, key, value, session_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      sessionHour: `SELECT ${SESSION_HOUR_SOURCE} FROM sessions WHERE project = ? AND session_id = ?`,
      dropUserHours: "DELETE FROM user_hours WHERE project = ? AND user_id = ?",
      rebuildUserHours: `INSERT INTO user_hours (project, user_id, hour_us, sessions, traces, error_traces, total_tokens, cost)
        SELECT project, user_id, (start_us / ${HOUR_US}) * ${HOUR_US} AS hour, 0, count(*), total(error_count > 0), total(total_tokens), total(cost)
        FROM traces WHERE project = ? AND user_id = ? GROUP BY hour`,
      userSessionStarts: `INSERT INTO user_hours (project, user_id, hour_us, sessions, traces, error_traces, total_tokens, cost)
        SELECT ?1, ?2, hour, count(*), 0, 0, 0, 0 FROM (
          SELECT (min(t.start_us) / ${HOUR_US}) * ${HOUR_US} AS hour FROM user_sessions u
          JOIN traces t ON t.project = u.project AND t.session_id = u.session_id AND t.user_id = u.user_id
          WHERE u.project = ?1 AND u.user_id = ?2 GROUP BY u.session_id)
        GROUP BY hour
        ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions`,
      linkedUsers: "SELECT user_id FROM user_sessions WHERE project = ? AND session_id = ?",
      unlinkUsers: "DELETE FROM user_sessions WHERE project = ? AND session_id = ?",
      linkUser: "INSERT INTO user_sessions (project, user_id, session_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      unlinkTags: "DELETE FROM session_tags WHERE project = ? AND session_id = ?",
      linkTag: "INSERT INTO session_tags (project, tag, session_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      deleteSession: "DELETE FROM sessions WHERE project = ? AND session_id = ?",
      replaceSession: `INSERT OR REPLACE INTO sessions (project, session_id, user_ids, start_us, end_us, duration_us,
          trace_count, span_count, error_count, llm_count, ${TOKEN_COLUMNS.join(", ")}, first_input, first_input_us,
          last_output, last_output_us, tags, models, metadata)
        VALUES (${Array(24).fill("?").join(", ")})`,
      userTotals: `SELECT ${TOTALS} FROM traces WHERE project = ? AND user_id = ?`,
      userSessions: "SELECT count(*) AS n FROM user_sessions WHERE project = ? AND user_id = ?",
      userExists: "SELECT 1 FROM users WHERE project = ? AND user_id = ?",
      deleteUser: "DELETE FROM users WHERE project = ? AND user_id = ?",
      replaceUser: `INSERT OR REPLACE INTO users (project, user_id, first_seen_us, last_seen_us, session_count,
          trace_count, span_count, error_count, ${TOKEN_COLUMNS.join(", ")})
        VALUES (${Array(15).fill("?").join(", ")})`,
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, db.prepare(text)]));
  }

  /**
   * Rebuilds the session from its traces (deleting it when none is left), with its user and tag
   * links. Returns how the session count changed (-1, 0, +1) and every user linked before or after.
   */
  session(project: string, sessionId: string): { existence: number; users: string[] } {
    const sql = this.#sql;
    const old = (sql.sessionHour.get(project, sessionId) as Row | undefined) ?? null;
    const before = (sql.linkedUsers.all(project, sessionId) as Row[]).map((r) => r.user_id as string);
    for (const userId of before) this.#scores.userLinked(project, userId, sessionId, -1);
    sql.unlinkUsers.run(project, sessionId);
    sql.unlinkTags.run(project, sessionId);
    sql.unlinkMetadata.run(project, sessionId);
    const t = sql.sessionTotals.get(project, sessionId) as Row;
    if ((t.trace_count as number) === 0) {
      sql.deleteSession.run(project, sessionId);
      this.#hours.session(project, old, null);
      return { existence: old ? -1 : 0, users: before };
    }
    const users = (sql.traceUsers.all(project, sessionId) as Row[]).map((r) => r.user_id as string);
    const tags = (sql.traceTags.all(project, sessionId) as Row[]).map((r) => r.v as string);
    const models = (sql.traceModels.all(project, sessionId) as Row[]).map((r) => r.v as string);
    for (const userId of users) {
      sql.linkUser.run(project, userId, sessionId);
      this.#scores.userLinked(project, userId, sessionId, 1);
    }
    for (const tag of tags) sql.linkTag.run(project, tag, sessionId);
    const pairs = (sql.traceMetadata.all(project, sessionId) as Row[]).map(({ k, v }) => [k as string, v as string] as [string, string]);
    for (const [k, v] of pairs) sql.linkMetadata.run(project, k, v, sessionId);
    const first = sql.firstInput.get(project, sessionId) as Row | undefined;
    const last = sql.lastOutput.get(project, sessionId) as Row | undefined;
    sql.replaceSession.run(
      project, sessionId, JSON.stringify(users), t.start_us as number, t.end_us as number,
      (t.end_us as number) - (t.start_us as number), t.trace_count as number, t.span_count as number,
      t.error_count as number, t.llm_count as number, ...TOKEN_COLUMNS.map((c) => t[c] as number),
      (first?.input as string) ?? null, (first?.start_us as number) ?? null,
      (last?.output as string) ?? null, (last?.end_us as number) ?? null, JSON.stringify(tags), JSON.stringify(models),
      JSON.stringify(pairs.map(pairKey)),
    );
    this.#hours.session(project, old, sql.sessionHour.get(project, sessionId) as Row);
    return { existence: old ? 0 : 1, users: [...new Set([...before, ...users])] };
  }

  /** Rebuilds the user from their traces and session links; returns the user count's change. */
  user(project: string, userId: string): number {
    const sql = this.#sql;
    const existed = sql.userExists.get(project, userId) !== undefined;
    const t = sql.userTotals.get(project, userId) as Row;
    sql.dropUserHours.run(project, userId);
    if ((t.trace_count as number) === 0) {
      sql.deleteUser.run(project, userId);
      return existed ? -1 : 0;
    }
    const sessions = (sql.userSessions.get(project, userId) as Row).n as number;
    sql.replaceUser.run(
      project, userId, t.start_us as number, t.end_us as number, sessions, t.trace_count as number,
      t.span_count as number, t.error_count as number, ...TOKEN_COLUMNS.map((c) => t[c] as number),
    );
    sql.rebuildUserHours.run(project, userId);
    sql.userSessionStarts.run(project, userId);
    return existed ? 0 : 1;
  }
}
