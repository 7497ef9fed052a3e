// The per-hour rollups: sessions by the hour they started and whether they failed, for the
// project and for each of their users (the sessions page's header), and each user's activity by
// hour (a user's page). Writes collect their changes here and apply them once
// per transaction, so a batch of thousands of traces touches each hour's row once.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { hourOf } from "../buckets.ts";
import type { TraceRollup } from "../records.ts";
import type { Row } from "./rows.ts";
import { TOKEN_COLUMNS } from "./schema.ts";


/** The session columns the hourly totals add up (as the sessions table names them). */
export const SESSION_HOUR_SOURCE = `start_us, duration_us, trace_count, error_count, user_ids, ${TOKEN_COLUMNS.join(", ")}`;
const SESSION_FIELDS = ["sessions", "traces", "duration_us", "error_sessions", ...TOKEN_COLUMNS];
const USER_FIELDS = ["sessions", "traces", "error_traces", "total_tokens", "cost"];

const upsert = (table: string, keys: string[], fields: string[]) =>
  `INSERT INTO ${table} (${[...keys, ...fields].join(", ")}) VALUES (${[...keys, ...fields].map(() => "?").join(", ")})
   ON CONFLICT DO UPDATE SET ${fields.map((f) => `${f} = ${f} + excluded.${f}`).join(", ")}`;

export class HourlyRollups {
  readonly #sql: Record<"session" | "user" | "dropEmptySessions" | "dropEmptyUsers", StatementSync>;
  #sessions = new Map<string, { keys: [string, number, string, number]; values: number[] }>();
  #users = new Map<string, { project: string; userId: string; hour: number; values: number[] }>();

  constructor(db: DatabaseSync) {
    this.#sql = {
      session: db.prepare(upsert("session_hours", ["project", "has_errors", "user_id", "hour_us"], SESSION_FIELDS)),
      user: db.prepare(upsert("user_hours", ["project", "user_id", "hour_us"], USER_FIELDS)),
      dropEmptySessions: db.prepare(
        "DELETE FROM session_hours WHERE project = ? AND has_errors = ? AND user_id = ? AND hour_us = ? AND sessions = 0",
      ),
      dropEmptyUsers: db.prepare("DELETE FROM user_hours WHERE project = ? AND user_id = ? AND hour_us = ? AND sessions = 0 AND traces = 0"),
    };
  }

  /**
   * A session row (SESSION_HOUR_SOURCE, user_ids the session's final users) changed from `before`
   * to `after` (either null: it did not / no longer exists).
   */
  session(project: string, before: Row | null, after: Row | null): void {
    if (before) this.#addSession(project, before, -1);
    if (after) this.#addSession(project, after, 1);
  }

  #addSession(project: string, row: Row, sign: number): void {
    const failed = (row.error_count as number) > 0 ? 1 : 0;
    const values = [1, row.trace_count, row.duration_us, failed, ...TOKEN_COLUMNS.map((c) => row[c])].map((v) => sign * (v as number));
    const hour = hourOf(row.start_us as number);
    for (const userId of ["", ...(JSON.parse(row.user_ids as string) as string[])]) {
      const key = `${project}\u0000${failed}\u0000${userId}\u0000${hour}`;
      const entry = this.#sessions.get(key);
      if (entry) entry.values = entry.values.map((v, i) => v + values[i]);
      else this.#sessions.set(key, { keys: [project, failed, userId, hour], values });
    }
  }

  /** A trace of the user changed (before is null for a trace the user did not have). */
  trace(before: TraceRollup | null, after: TraceRollup | null): void {
    if (before?.userId != null) this.#addUser(before.project, before.userId, hourOf(before.startUs), [0, -1, before.errorCount > 0 ? -1 : 0, -before.tokens.total, -before.cost]);
    if (after?.userId != null) this.#addUser(after.project, after.userId, hourOf(after.startUs), [0, 1, after.errorCount > 0 ? 1 : 0, after.tokens.total, after.cost]);
  }

  /** The user took part in a new session, which started at `startUs` (sign -1: no longer). */
  userSession(project: string, userId: string, startUs: number, sign = 1): void {
    this.#addUser(project, userId, hourOf(startUs), [sign, 0, 0, 0, 0]);
  }

  #addUser(project: string, userId: string, hour: number, values: number[]): void {
    const key = `${project}\u0000${userId}\u0000${hour}`;
    const entry = this.#users.get(key);
    if (entry) entry.values = entry.values.map((v, i) => v + values[i]);
    else this.#users.set(key, { project, userId, hour, values });
  }

  /** Writes what was collected (inside the transaction). */
  apply(): void {
    for (const { keys, values } of this.#sessions.values()) {
      if (values.every((v) => v === 0)) continue;
      this.#sql.session.run(...keys, ...values);
      if (values[0] < 0) this.#sql.dropEmptySessions.run(...keys);
    }
    for (const { project, userId, hour, values } of this.#users.values()) {
      if (values.every((v) => v === 0)) continue;
      this.#sql.user.run(project, userId, hour, ...values);
      if (values[0] < 0 || values[1] < 0) this.#sql.dropEmptyUsers.run(project, userId, hour);
    }
    this.discard();
  }

  /** Forgets what was collected (after a rollback, or once applied). */
  discard(): void {
    this.#sessions = new Map();
    this.#users = new Map();
  }
}
