// Users' annotation summaries, kept as their sessions' summaries change: per user, name, hour
// and label, the sum and number of their sessions' mean scores and how many sessions. The users list then reads a few rows
// per user instead of joining every session of a heavy user against the scores.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Row } from "./rows.ts";

/** A session's summary of one name, as session_scores holds it. */
export interface SessionScore {
  name: string;
  annotator_kind: string;
  score: number | null;
  label: string | null;
  count: number;
  hour_us: number;
}

export class ScoreRollup {
  readonly #sql: Record<"add" | "dropEmpty" | "usersOf" | "scoresOf", StatementSync>;

  constructor(db: DatabaseSync) {
    this.#sql = {
      add: db.prepare(`INSERT INTO user_scores (project, name, user_id, hour_us, label, annotator_kind, score_sum, scored, count, sessions)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET annotator_kind = excluded.annotator_kind, score_sum = score_sum + excluded.score_sum,
          scored = scored + excluded.scored, count = count + excluded.count, sessions = sessions + excluded.sessions`),
      dropEmpty: db.prepare("DELETE FROM user_scores WHERE project = ? AND user_id = ? AND name = ? AND hour_us = ? AND label = ? AND sessions <= 0"),
      usersOf: db.prepare("SELECT user_id FROM user_sessions WHERE project = ? AND session_id = ?"),
      scoresOf: db.prepare("SELECT name, annotator_kind, score, label, count, hour_us FROM session_scores WHERE project = ? AND session_id = ?"),
    };
  }

  /** A session's summary of a name went from `before` to `after` (null: none). */
  sessionChanged(project: string, sessionId: string, before: SessionScore | null, after: SessionScore | null): void {
    for (const row of this.#sql.usersOf.all(project, sessionId) as Row[]) {
      if (before) this.#add(project, row.user_id as string, before, -1);
      if (after) this.#add(project, row.user_id as string, after, 1);
    }
  }

  /** The user joined (sign 1) or left (-1) the session: its summaries count for them, or no longer. */
  userLinked(project: string, userId: string, sessionId: string, sign: 1 | -1): void {
    for (const score of this.#sql.scoresOf.all(project, sessionId) as unknown as SessionScore[]) this.#add(project, userId, score, sign);
  }

  #add(project: string, userId: string, s: SessionScore, sign: 1 | -1): void {
    const scored = s.score == null ? 0 : 1;
    const label = s.label ?? "";
    this.#sql.add.run(project, s.name, userId, s.hour_us, label, s.annotator_kind, sign * (s.score ?? 0), sign * scored, sign * s.count, sign);
    if (sign < 0) this.#sql.dropEmpty.run(project, userId, s.name, s.hour_us, label);
  }
}
