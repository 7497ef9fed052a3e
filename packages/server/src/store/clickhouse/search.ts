// Search on ClickHouse, as SQLite's reader answers it: sessions, users and (for 4-32 hex digits)
// traces whose id starts with the text, each from its rollup's sorting-key range; then sessions
// where the words were said (the sessions list's text filter, newest first).
import type { SearchRecord } from "../store.ts";
import type { Executor } from "./executor.ts";
import { listSessions } from "./session-list.ts";

export async function search(executor: Executor, db: string, project: string, text: string, limit: number): Promise<SearchRecord> {
  const params = { p: project, t: text, n: limit };
  // startsWith on the sorting key's second column reads only that key range.
  const byId = (await executor.query(`SELECT session_id, user_ids, start_us FROM ${db}.sessions FINAL
      WHERE project = {p:String} AND deleted = 0 AND startsWith(session_id, {t:String}) ORDER BY session_id LIMIT {n:UInt32}`, params))
    .map((row) => ({ sessionId: row.session_id as string, userIds: row.user_ids as string[], startUs: Number(row.start_us), match: "id" as const }));
  const byText = (await listSessions(executor, db, { project, limit, sort: "startTime", order: "desc", after: null, filter: { text } })).rows
    .filter((s) => !byId.some((hit) => hit.sessionId === s.sessionId))
    .map((s) => ({ sessionId: s.sessionId, userIds: s.userIds, startUs: s.startUs, match: "text" as const }));
  const users = (await executor.query(`SELECT user_id, session_count FROM ${db}.users FINAL
      WHERE project = {p:String} AND deleted = 0 AND startsWith(user_id, {t:String}) ORDER BY user_id LIMIT {n:UInt32}`, params))
    .map((row) => ({ userId: row.user_id as string, sessionCount: Number(row.session_count) }));
  const traces = /^[0-9a-f]{4,32}$/i.test(text)
    ? (await executor.query(`SELECT trace_id, session_id, start_us FROM ${db}.trace_index FINAL
        WHERE project = {p:String} AND startsWith(trace_id, {t:String}) ORDER BY trace_id LIMIT {n:UInt32}`, { ...params, t: text.toLowerCase() }))
      .map((row) => ({ traceId: row.trace_id as string, sessionId: (row.session_id as string) || null, startUs: Number(row.start_us) }))
    : [];
  return { sessions: [...byId, ...byText].slice(0, limit), users, traces };
}
