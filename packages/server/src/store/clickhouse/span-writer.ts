// The write path of one batch of spans (docs/clickhouse.md, "Exactness"): (1) announce the batch's
// traces, (2) store its spans, (3) roll each trace up from its distinct spans (from the batch when
// no other batch announced it, else read back), (4) link each trace to the session and user found,
// (5) write the trace and index rows, (6) read every link of these traces, (7) recompute every
// linked session and user. Of all writers of a trace, the one whose spans are stored last reads
// back all of them, so its trace row has the highest version; every session ever linked to the
// trace is recomputed after that, by it or by the writer that linked it; the last recomputation of
// a key saw a superset of what any earlier one saw, so it has the highest version and wins.
import { createHash } from "node:crypto";
import { endsSession, SESSION_END_SPAN, type SpanRecord } from "../records.ts";
import type { RollupSpan } from "../rollup.ts";
import type { Executor, Row } from "./executor.ts";
import { DELETED_BATCH } from "./deletion.ts";
import { recomputeSessions, recomputeUsers } from "./rollup-sql.ts";
import { endedSessions } from "./session-state.ts";
import { ROLLUP_COLUMNS, rollupSpan, spanRow } from "./span-rows.ts";
import { rollUp, traceRow } from "./trace-rows.ts";

/** Keeps IN lists, and so statements, small. */
const CHUNK = 2000;

export class SpanWriter {
  readonly #db: string;
  readonly #ex: Executor;

  /** Closes the sessions a batch ends (session-state.ts), once the batch's turns are in. */
  readonly #endSessions: (project: string, sessionIds: string[]) => Promise<unknown>;

  /** Deletes spans of deleted traces that arrive later (Deletion.dropSpans). */
  readonly #dropDeleted: (project: string, traceIds: string[]) => Promise<void>;

  constructor(
    executor: Executor, database: string, endSessions: (project: string, sessionIds: string[]) => Promise<unknown> = async () => {},
    dropDeleted: (project: string, traceIds: string[]) => Promise<void> = async () => {},
  ) {
    this.#ex = executor;
    this.#db = database;
    this.#endSessions = endSessions;
    this.#dropDeleted = dropDeleted;
  }

  async write(spans: SpanRecord[]): Promise<void> {
    const byProject = new Map<string, SpanRecord[]>();
    for (const span of spans) {
      const list = byProject.get(span.project);
      if (list) list.push(span);
      else byProject.set(span.project, [span]);
    }
    for (const [project, list] of byProject) {
      await this.#writeProject(project, withoutMarkers(list));
      const ended = endedSessions(list);
      if (ended.length) await this.#endSessions(project, ended);
    }
  }

  async #writeProject(project: string, spans: SpanRecord[]): Promise<void> {
    if (spans.length === 0) return;
    const db = this.#db;
    const rows = spans.map(spanRow);
    // A retried request carries the same spans in the same order: the same token, dropped whole.
    const token = createHash("sha256").update(rows.map((r) => JSON.stringify(r)).join("\n")).digest("hex");
    const traceIds = [...new Set(spans.map((s) => s.traceId))];

    // 1-2. Announce, then store.
    await this.#ex.insert(`${db}.trace_seen`, traceIds.map((id) => ({ project, trace_id: id, batch: token })), { insert_deduplication_token: `${token}-seen` });
    await this.#ex.insert(`${db}.spans`, rows, { insert_deduplication_token: token });

    // 3. Roll up each trace from its distinct spans. A trace deleted before (a deletion's mark in
    // trace_seen) stays deleted: what this batch stored of it goes again (deletion.ts says why).
    const seen = await this.#chunked<{ trace_id: string; deleted: number }>(
      `SELECT trace_id, max(startsWith(batch, {deleted:String})) AS deleted FROM ${db}.trace_seen
        WHERE project = {p:String} AND trace_id IN {ids:Array(String)} AND batch != {token:String} GROUP BY trace_id`,
      project, traceIds, { token, deleted: DELETED_BATCH },
    );
    const erased = new Set(seen.filter((r) => Number(r.deleted)).map((r) => r.trace_id));
    if (erased.size) await this.#dropDeleted(project, [...erased]);
    const shared = new Set(seen.map((r) => r.trace_id).filter((id) => !erased.has(id)));
    const byTrace = new Map<string, Map<string, RollupSpan>>();
    const add = (span: RollupSpan) => {
      let m = byTrace.get(span.traceId);
      if (!m) byTrace.set(span.traceId, (m = new Map()));
      if (!m.has(span.spanId)) m.set(span.spanId, span);
    };
    for (const row of rows) if (!shared.has(row.trace_id as string) && !erased.has(row.trace_id as string)) add(rollupSpan(row));
    if (shared.size) {
      const stored = await this.#chunked(`SELECT ${ROLLUP_COLUMNS.join(", ")} FROM ${db}.spans FINAL
        WHERE project = {p:String} AND trace_id IN {ids:Array(String)}`, project, [...shared]);
      for (const row of stored) add(rollupSpan(row));
    }
    const traces = [...byTrace.values()].map((m) => traceRow(rollUp([...m.values()])));

    // 4-5. Link, then file and index.
    await this.#ex.insert(`${db}.trace_links`, traces.map((t) => ({ project, trace_id: t.trace_id, session_id: t.session_id, user_id: t.user_id })));
    await Promise.all([
      this.#ex.insert(`${db}.traces`, traces, { input_format_skip_unknown_fields: 1 }),
      this.#ex.insert(`${db}.user_traces`, traces, { input_format_skip_unknown_fields: 1 }),
      this.#ex.insert(`${db}.trace_index`, traces, { input_format_skip_unknown_fields: 1 }),
      this.#ex.insert(`${db}.projects`, [{ name: project, first_seen_us: Math.min(...traces.map((t) => t.start_us as number)) }]),
    ]);

    // 6-7. Every session and user any writer linked these traces to, recomputed.
    const links = await this.#chunked<{ session_id: string; user_id: string }>(
      `SELECT DISTINCT session_id, user_id FROM ${db}.trace_links WHERE project = {p:String} AND trace_id IN {ids:Array(String)}`,
      project, traceIds,
    );
    const sessions = [...new Set(links.map((l) => l.session_id))].filter(Boolean);
    const users = [...new Set(links.map((l) => l.user_id))].filter(Boolean);
    await Promise.all([this.#chunkedCommand(recomputeSessions(db), project, sessions), this.#chunkedCommand(recomputeUsers(db), project, users)]);
  }

  async #chunked<T extends Row = Row>(sql: string, project: string, ids: string[], extra: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await this.#ex.query<T>(sql, { p: project, ids: ids.slice(i, i + CHUNK), ...extra })));
    return out;
  }

  async #chunkedCommand(sql: string, project: string, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) await this.#ex.command(sql, { p: project, ids: ids.slice(i, i + CHUNK) });
  }
}

/**
 * Drops endSession()'s marker traces (one root span named session.end, with the attribute and a
 * session, nothing said): the SQLite store does not keep them as turns either. They close their
 * session (write() above).
 */
function withoutMarkers(spans: SpanRecord[]): SpanRecord[] {
  const count = new Map<string, number>();
  for (const s of spans) count.set(s.traceId, (count.get(s.traceId) ?? 0) + 1);
  return spans.filter((s) => {
    const marker = endsSession(s) && count.get(s.traceId) === 1 && s.name === SESSION_END_SPAN && s.parentSpanId == null && s.sessionId != null && !s.input && !s.output;
    return !marker;
  });
}
