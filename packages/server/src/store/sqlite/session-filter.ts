// Turns a session filter into SQL conditions on the `sessions` table, shared by the list and its
// stats. Each link filter picks its plan by how many sessions it keeps: few, and the query starts
// from them (IN); many, and it walks the sort index checking each session (EXISTS), stopping
// after a page. Either plan alone is slow at the other end (BENCHMARKS.md).
import type { SQLInputValue } from "node:sqlite";
import { ftsQuery } from "../search-text.ts";
import type { SessionFilter } from "../store.ts";
import { SESSION_STATES, SPANS_PER_TRACE } from "./schema.ts";

/** Past this many matching sessions, a filter checks sessions in sort order instead of starting from its matches. */
export const MANY = 2000;
/**
 * A text search first counts its hits, which costs microseconds each: below this many, it starts
 * from them whatever the sessions (a phrase in 2,600 sessions of 248,000 took 7 s walking the sort
 * index at 5M spans, a few ms from its hits). Past it, it counts the sessions they are in up to
 * MANY: a word said 20,000 times in one session is still a rare filter, a common word is not.
 */
const MANY_HITS = 20_000;

export interface Conditions {
  where: string[];
  params: SQLInputValue[];
}

/** Conditions for the filter, or null when nothing can match (e.g. a search without words). */
export function sessionConditions(
  project: string,
  filter: SessionFilter,
  atLeast: (sql: string, params: SQLInputValue[], n: number) => boolean,
  /** A page stops early, so walking the sort index pays; totals read every match: start from them. */
  paged = true,
): Conditions | null {
  const where = ["sessions.project = ?"];
  const params: SQLInputValue[] = [project];
  const add = (clause: string, ...values: SQLInputValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  /** Sessions linked in `table` to rows whose columns have these values. */
  const link = (table: string, match: Record<string, string>) => {
    const columns = Object.keys(match);
    const values = Object.values(match);
    const many = paged && atLeast(`SELECT 1 FROM ${table} WHERE project = ? AND ${columns.map((c) => `${c} = ?`).join(" AND ")}`, [project, ...values], MANY);
    if (many) {
      add(`EXISTS (SELECT 1 FROM ${table} l WHERE l.project = sessions.project AND ${columns.map((c) => `l.${c} = ?`).join(" AND ")} AND l.session_id = sessions.session_id)`, ...values);
    } else {
      add(`sessions.session_id IN (SELECT session_id FROM ${table} WHERE project = ? AND ${columns.map((c) => `${c} = ?`).join(" AND ")})`, project, ...values);
    }
  };

  if (filter.userId != null) link("user_sessions", { user_id: filter.userId });
  if (filter.tag != null) link("session_tags", { tag: filter.tag });
  if (filter.metadata) link("session_metadata", { key: filter.metadata.key, value: filter.metadata.value });
  if (filter.fromUs != null) add("sessions.end_us >= ?", filter.fromUs);
  if (filter.toUs != null) add("sessions.start_us <= ?", filter.toUs);
  if (filter.hasErrors != null) where.push(filter.hasErrors ? "sessions.error_count > 0" : "sessions.error_count = 0");
  if (filter.state) add("sessions.state = ?", SESSION_STATES.indexOf(filter.state));
  if (filter.annotation) {
    const { name, label, scoreMin, scoreMax } = filter.annotation;
    const checks = ["sc.project = ?", "sc.name = ?"];
    const values: SQLInputValue[] = [project, name];
    const check = (clause: string, value: SQLInputValue | undefined) => {
      if (value == null) return;
      checks.push(clause);
      values.push(value);
    };
    check("sc.label = ?", label);
    check("sc.score >= ?", scoreMin);
    check("sc.score <= ?", scoreMax);
    const matching = `SELECT sc.session_id FROM session_scores sc WHERE ${checks.join(" AND ")}`;
    // A label on a few hundred of 250k sessions took 67 ms walking the sort index (BENCHMARKS.md).
    if (paged && atLeast(matching, values, MANY)) {
      add(`EXISTS (${matching} AND sc.session_id = sessions.session_id)`, ...values);
    } else {
      add(`sessions.session_id IN (${matching})`, ...values);
    }
  }
  if (filter.text != null) {
    const match = ftsQuery(filter.text);
    if (match == null) return null;
    // A hit's rowid is its span's key, which names its trace (schema.ts): no join through spans.
    const matching = `SELECT DISTINCT t.session_id FROM spans_fts f JOIN traces t ON t.trace_key = f.rowid / ${SPANS_PER_TRACE}
      WHERE spans_fts MATCH ? AND t.project = ? AND t.session_id IS NOT NULL`;
    const common = paged && atLeast("SELECT 1 FROM spans_fts WHERE spans_fts MATCH ?", [match], MANY_HITS)
      && atLeast(matching, [match, project], MANY);
    if (common) {
      add(
        `EXISTS (SELECT 1 FROM traces t WHERE t.project = sessions.project AND t.session_id = sessions.session_id
          AND EXISTS (SELECT 1 FROM spans_fts WHERE spans_fts MATCH ?
            AND rowid BETWEEN t.trace_key * ${SPANS_PER_TRACE} AND t.trace_key * ${SPANS_PER_TRACE} + ${SPANS_PER_TRACE - 1}))`,
        match,
      );
    } else {
      add(`sessions.session_id IN (${matching})`, match, project);
    }
  }
  return { where, params };
}
