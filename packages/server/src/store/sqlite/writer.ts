// The SQLite write path: one transaction per batch. New spans are inserted (duplicates ignored),
// merged into their traces' rollups, and the traces' changes are applied to sessions, users and
// projects as additive deltas. Only a trace that changes session or user (its root arrived late
// and named another) triggers a recount of what it left, in recount.ts.
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { changeFor, mergeDelta, type Delta } from "../deltas.ts";
import type { TraceRollup } from "../records.ts";
import { addSpan, type TracePicks } from "../rollup.ts";
import type { AnnotationWrites } from "./annotation-writes.ts";
import { BodyLog } from "./body-log.ts";
import { Deletion } from "./deletion.ts";
import { HourlyRollups, SESSION_HOUR_SOURCE } from "./hours.ts";
import { Recount } from "./recount.ts";
import { ResourceIds } from "./resources.ts";
import {
  BODY_AT_INDEX, decodePicks, KEY_INDEX, RESOURCE_INDEX, rollupOf, SPAN_COLUMNS, toTrace, TRACE_COLUMNS, TRACE_KEY_INDEX, traceValues,
  type PreparedSpan, type PreparedTrace, type Row,
} from "./rows.ts";
import { CLOSED, OPEN, SPANS_PER_TRACE, TOKEN_COLUMNS } from "./schema.ts";
import { ScoreRollup } from "./score-rollup.ts";

interface ProjectDelta {
  sessions: number;
  traces: number;
  users: number;
  spans: number;
  lastUs: number;
}

const key = (project: string, id: string) => `${project}\u0000${id}`;
const insertSql = (table: string, columns: string[]) =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
const addColumns = (columns: string[]) => columns.map((c) => `${c} = ${c} + excluded.${c}`).join(", ");
const COUNT_COLUMNS = ["trace_count", "span_count", "error_count"];

export class SqliteWriter {
  readonly #db: DatabaseSync;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #recount: Recount;
  readonly #resources: ResourceIds;
  readonly #hours: HourlyRollups;
  readonly #scores: ScoreRollup;
  readonly #bodies: BodyLog;

  readonly deletion: Deletion;

  constructor(db: DatabaseSync, annotations: AnnotationWrites) {
    this.#db = db;
    this.#bodies = new BodyLog(db);
    this.#sql = prepare(db);
    this.#hours = new HourlyRollups(db);
    this.#scores = new ScoreRollup(db);
    this.#recount = new Recount(db, this.#hours, this.#scores);
    this.#resources = new ResourceIds(db);
    this.deletion = new Deletion(db, { hours: this.#hours, recount: this.#recount, bodies: this.#bodies, annotations });
  }

  /** Writes the batch in one transaction; throws (after rolling back) if anything fails. */
  write(traces: PreparedTrace[]): void {
    if (traces.length === 0) return;
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      this.#write(traces);
      this.#hours.apply();
      this.#bodies.commit();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      this.#resources.forget();
      this.#hours.discard();
      this.#bodies.reload();
      throw error;
    }
  }

  /**
   * Stores the trace's spans not seen before, under keys that follow the trace's stored spans,
   * with their block and their words; returns them. A trace keeps at most SPANS_PER_TRACE spans.
   */
  #insertSpans(traceKey: number, stored: number, trace: PreparedTrace, spans: PreparedSpan[]): PreparedSpan[] {
    const bodyAt = this.#bodies.end;
    const fresh: PreparedSpan[] = [];
    for (const span of spans) {
      const seq = stored + fresh.length;
      if (seq >= SPANS_PER_TRACE) break;
      const spanKey = traceKey * SPANS_PER_TRACE + seq;
      span.row[KEY_INDEX] = spanKey;
      span.row[TRACE_KEY_INDEX] = traceKey;
      span.row[RESOURCE_INDEX] = this.#resources.idOf(trace.resources[span.resource]);
      span.row[BODY_AT_INDEX] = bodyAt;
      if (this.#sql.insertSpan.run(...span.row).changes > 0) fresh.push(span);
    }
    if (fresh.length === 0) return fresh;
    this.#bodies.append(trace.block);
    // Under the first new span's key, so a hit names its trace.
    if (trace.text) this.#sql.insertText.run(fresh[0].row[KEY_INDEX], trace.text);
    return fresh;
  }

  #write(traces: PreparedTrace[]): void {
    const sql = this.#sql;
    const projects = new Map<string, ProjectDelta>();
    const project = (name: string) => {
      let d = projects.get(name);
      if (!d) projects.set(name, (d = { sessions: 0, traces: 0, users: 0, spans: 0, lastUs: 0 }));
      return d;
    };

    // 1. Traces: store the spans not seen before and merge them into the trace's rollup.
    const sessionDeltas = new Map<string, { project: string; sessionId: string; delta: Delta }>();
    const userDeltas = new Map<string, { project: string; userId: string; delta: Delta }>();
    const recount = { sessions: new Map<string, [string, string]>(), users: new Map<string, [string, string]>() };
    const closing = new Map<string, [string, string]>();
    for (const trace of traces) {
      const { project: name, traceId } = trace;
      if (trace.marker) {
        closing.set(key(name, trace.spans[0].extra.sessionId!), [name, trace.spans[0].extra.sessionId!]);
        continue;
      }
      const row = sql.selectTrace.get(name, traceId) as Row | undefined;
      const before = row ? toTrace(row) : null;
      let state: { trace: TraceRollup | null; picks: TracePicks | null } = {
        trace: before,
        picks: row ? decodePicks(row.picks as string) : null,
      };
      let fresh: PreparedSpan[];
      if (row) {
        fresh = this.#insertSpans(row.trace_key as number, before!.spanCount, trace, trace.spans);
        if (fresh.length === 0) continue;
        for (const span of fresh) state = addSpan(state.trace, state.picks, rollupOf(trace, span));
        sql.updateTrace.run(...traceValues(state.trace as TraceRollup, state.picks as TracePicks).slice(2), row.trace_key as number);
      } else {
        // A new trace: all its spans are new (but a batch may carry one twice).
        const seen = new Set<string>();
        fresh = trace.spans.filter((span) => !seen.has(span.row[2] as string) && Boolean(seen.add(span.row[2] as string)));
        for (const span of fresh) state = addSpan(state.trace, state.picks, rollupOf(trace, span));
        const traceKey = Number(sql.insertTrace.run(...traceValues(state.trace as TraceRollup, state.picks as TracePicks)).lastInsertRowid);
        this.#insertSpans(traceKey, 0, trace, fresh);
      }
      const after = state.trace as TraceRollup;
      const p = project(name);
      p.spans += fresh.length;
      if (!before) p.traces++;
      p.lastUs = Math.max(p.lastUs, after.endUs);

      if (trace.ends && after.sessionId != null) closing.set(key(name, after.sessionId), [name, after.sessionId]);
      const session = changeFor(before, after, "sessionId");
      const user = changeFor(before, after, "userId");
      // A trace that changed user also changes which users its session has.
      if (user.recount.length && after.sessionId != null) session.recount.push(after.sessionId);
      for (const id of session.recount) recount.sessions.set(key(name, id), [name, id]);
      for (const id of user.recount) recount.users.set(key(name, id), [name, id]);
      if (session.delta) {
        const k = key(name, after.sessionId as string);
        sessionDeltas.set(k, { project: name, sessionId: after.sessionId as string, delta: mergeDelta(sessionDeltas.get(k)?.delta, session.delta) });
      }
      if (user.delta) {
        const k = key(name, after.userId as string);
        userDeltas.set(k, { project: name, userId: after.userId as string, delta: mergeDelta(userDeltas.get(k)?.delta, user.delta) });
        this.#hours.trace(before?.userId === after.userId ? before : null, after);
      }
    }
    // A recount covers every delta of the same session or user in this batch.
    for (const k of recount.sessions.keys()) sessionDeltas.delete(k);
    for (const k of recount.users.keys()) userDeltas.delete(k);

    // 2. Sessions: apply the deltas; link new users, tags and metadata.
    const newSessionsOfUser = new Map<string, number>();
    for (const { project: name, sessionId, delta } of sessionDeltas.values()) {
      const old = (sql.selectSession.get(name, sessionId) as Row | undefined) ?? null;
      if (!old) project(name).sessions++;
      const after = sql.upsertSession.get(...sessionDeltaValues(name, sessionId, delta)) as Row;
      // What the session has already: most turns bring no new user, tag, model or metadata.
      const has = (column: string) => new Set<string>(old ? (JSON.parse(old[column] as string) as string[]) : []);
      const [users, tags, models, pairs] = [has("user_ids"), has("tags"), has("models"), has("metadata")];
      const linked = [...users];
      for (const userId of delta.users) {
        if (users.has(userId) || sql.linkUser.run(name, userId, sessionId).changes === 0) continue;
        sql.appendSessionUser.run(userId, name, sessionId);
        linked.push(userId);
        this.#hours.userSession(name, userId, delta.startUs);
        if (old) this.#scores.userLinked(name, userId, sessionId, 1);
        const k = key(name, userId);
        newSessionsOfUser.set(k, (newSessionsOfUser.get(k) ?? 0) + 1);
      }
      for (const tag of delta.tags) {
        if (!tags.has(tag) && sql.linkTag.run(name, tag, sessionId).changes > 0) sql.appendSessionTag.run(tag, name, sessionId);
      }
      for (const pair of delta.metadata) {
        if (pairs.has(pair)) continue;
        const at = pair.indexOf("\u0000");
        if (sql.linkMetadata.run(name, pair.slice(0, at), pair.slice(at + 1), sessionId).changes > 0) sql.appendSessionPair.run(pair, name, sessionId);
      }
      for (const model of delta.models) if (!models.has(model)) sql.appendSessionModel.run(model, name, sessionId);
      this.#hours.session(name, old, { ...after, user_ids: JSON.stringify(linked) });
    }

    // 3. Users: apply the deltas.
    for (const [k, { project: name, userId, delta }] of userDeltas) {
      if (!sql.userExists.get(name, userId)) project(name).users++;
      sql.upsertUser.run(...userDeltaValues(name, userId, delta, newSessionsOfUser.get(k) ?? 0));
    }

    // 4. The rare recounts, sessions first: they rebuild the user links that users count. A user's
    // recount rebuilds their hours from what is stored, so what was collected goes in first.
    this.#hours.apply();
    for (const [name, sessionId] of recount.sessions.values()) {
      const change = this.#recount.session(name, sessionId);
      project(name).sessions += change.existence;
      for (const userId of change.users) recount.users.set(key(name, userId), [name, userId]);
    }
    for (const [name, userId] of recount.users.values()) project(name).users += this.#recount.user(name, userId);

    // Last: the new turns of this batch reopened their sessions; a span that ends its session closes it.
    for (const [name, sessionId] of closing.values()) sql.closeSession.run(name, sessionId);
    for (const [name, d] of projects) sql.bumpProject.run(name, d.sessions, d.traces, d.users, d.spans, d.lastUs || null);
  }
}

function sessionDeltaValues(project: string, sessionId: string, d: Delta): SQLInputValue[] {
  return [
    project, sessionId, d.startUs, d.endUs, d.endUs - d.startUs, d.traceCount, d.spanCount, d.errorCount, d.llmCount,
    d.tokens.prompt, d.tokens.completion, d.tokens.total, d.tokens.cacheRead, d.tokens.cacheWrite, d.tokens.reasoning, d.cost,
    d.firstInput?.text ?? null, d.firstInput?.us ?? null, d.lastOutput?.text ?? null, d.lastOutput?.us ?? null,
  ];
}

function userDeltaValues(project: string, userId: string, d: Delta, newSessions: number): SQLInputValue[] {
  return [
    project, userId, d.startUs, d.endUs, newSessions, d.traceCount, d.spanCount, d.errorCount,
    d.tokens.prompt, d.tokens.completion, d.tokens.total, d.tokens.cacheRead, d.tokens.cacheWrite, d.tokens.reasoning, d.cost,
  ];
}

function prepare(db: DatabaseSync) {
  // A candidate text replaces the stored one when it comes from an earlier trace (first input)
  // or a later one (last output); SQLite evaluates every SET expression on the old row.
  const pick = (column: string, cmp: string) => {
    const wins = `excluded.${column} IS NOT NULL AND (${column} IS NULL OR excluded.${column}_us ${cmp} ${column}_us)`;
    return `${column} = CASE WHEN ${wins} THEN excluded.${column} ELSE ${column} END,
      ${column}_us = CASE WHEN ${wins} THEN excluded.${column}_us ELSE ${column}_us END`;
  };
  const statements = {
    insertSpan: `${insertSql("spans", SPAN_COLUMNS)} ON CONFLICT DO NOTHING`,
    insertText: "INSERT INTO spans_fts (rowid, text) VALUES (?, ?)",
    selectTrace: "SELECT * FROM traces WHERE project = ? AND trace_id = ?",
    insertTrace: insertSql("traces", TRACE_COLUMNS),
    updateTrace: `UPDATE traces SET ${TRACE_COLUMNS.slice(2).map((c) => `${c} = ?`).join(", ")} WHERE trace_key = ?`,
    selectSession: `SELECT ${SESSION_HOUR_SOURCE}, tags, models, metadata FROM sessions WHERE project = ? AND session_id = ?`,
    upsertSession: `INSERT INTO sessions (project, session_id, start_us, end_us, duration_us, trace_count, span_count,
        error_count, llm_count, ${TOKEN_COLUMNS.join(", ")}, first_input, first_input_us, last_output, last_output_us,
        user_ids, tags, models)
      VALUES (${Array(20).fill("?").join(", ")}, '[]', '[]', '[]')
      ON CONFLICT (project, session_id) DO UPDATE SET
        start_us = min(start_us, excluded.start_us), end_us = max(end_us, excluded.end_us),
        duration_us = max(end_us, excluded.end_us) - min(start_us, excluded.start_us),
        ${addColumns([...COUNT_COLUMNS, "llm_count", ...TOKEN_COLUMNS])},
        ${pick("first_input", "<=")}, ${pick("last_output", ">=")},
        -- A new turn reopens the session; a late span of a turn it has does not.
        state = CASE WHEN excluded.trace_count > 0 THEN ${OPEN} ELSE state END
      RETURNING ${SESSION_HOUR_SOURCE}`,
    linkUser: "INSERT INTO user_sessions (project, user_id, session_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    appendSessionUser: "UPDATE sessions SET user_ids = json_insert(user_ids, '$[#]', ?) WHERE project = ? AND session_id = ?",
    linkTag: "INSERT INTO session_tags (project, tag, session_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    appendSessionTag: "UPDATE sessions SET tags = json_insert(tags, '$[#]', ?) WHERE project = ? AND session_id = ?",
    linkMetadata: "INSERT INTO session_metadata (project, key, value, session_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    appendSessionModel: "UPDATE sessions SET models = json_insert(models, '$[#]', ?) WHERE project = ? AND session_id = ?",
    appendSessionPair: "UPDATE sessions SET metadata = json_insert(metadata, '$[#]', ?) WHERE project = ? AND session_id = ?",
    closeSession: `UPDATE sessions SET state = ${CLOSED} WHERE project = ? AND session_id = ?`,
    userExists: "SELECT 1 FROM users WHERE project = ? AND user_id = ?",
    upsertUser: `INSERT INTO users (project, user_id, first_seen_us, last_seen_us, session_count, ${COUNT_COLUMNS.join(", ")},
        ${TOKEN_COLUMNS.join(", ")}) VALUES (${Array(15).fill("?").join(", ")})
      ON CONFLICT (project, user_id) DO UPDATE SET
        first_seen_us = min(first_seen_us, excluded.first_seen_us), last_seen_us = max(last_seen_us, excluded.last_seen_us),
        ${addColumns(["session_count", ...COUNT_COLUMNS, ...TOKEN_COLUMNS])}`,
    bumpProject: `INSERT INTO projects (name, session_count, trace_count, user_count, span_count, last_activity_us)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET ${addColumns(["session_count", "trace_count", "user_count", "span_count"])},
        last_activity_us = max(coalesce(last_activity_us, 0), coalesce(excluded.last_activity_us, 0))`,
  };
  return Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, db.prepare(text)])) as Record<
    keyof typeof statements,
    StatementSync
  >;
}
