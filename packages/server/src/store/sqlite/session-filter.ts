// Turns a session filter into SQL conditions on the `sessions` table, shared by the list and its
// stats. Each link filter picks its plan by how many sessions it keeps: few, and the query starts
// from them (IN); many, and it walks the sort index checking each session (EXISTS), stopping
// after a page. Either plan alone is slow at the other end (BENCHMARKS.md).
import type { SQLInputValue } from "node:sqlite";
import { ftsQuery } from "../search-text.ts";
import type { SessionFilter } from "../store.ts";

/** Past this many matches, a filter checks sessions in sort order instead of starting from its matches. */
export const MANY = 2000;

export interface Conditions {
  where: string[];
  params: SQLInputValue[];
}

/** Conditions for the filter, or null when nothing can match (e.g. a search without words). */
export function sessionConditions(
  project: string,
  filter: SessionFilter,
  atLeastMany: (sql: string, params: SQLInputValue[]) => boolean,
): Conditions | null {
  const where = ["sessions.project = ?"];
  const params: SQLInputValue[] = [project];
  const add = (clause: string, ...values: SQLInputValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  const link = (table: string, column: string, value: string) => {
    const many = atLeastMany(`SELECT 1 FROM ${table} WHERE project = ? AND ${column} = ?`, [project, value]);
    if (many) {
      add(`EXISTS (SELECT 1 FROM ${table} l WHERE l.project = sessions.project AND l.${column} = ? AND l.session_id = sessions.session_id)`, value);
    } else {
      add(`sessions.session_id IN (SELECT session_id FROM ${table} WHERE project = ? AND ${column} = ?)`, project, value);
    }
  };

  if (filter.userId != null) link("user_sessions", "user_id", filter.userId);
  if (filter.tag != null) link("session_tags", "tag", filter.tag);
  if (filter.fromUs != null) add("sessions.end_us >= ?", filter.fromUs);
  if (filter.toUs != null) add("sessions.start_us <= ?", filter.toUs);
  if (filter.hasErrors != null) where.push(filter.hasErrors ? "sessions.error_count > 0" : "sessions.error_count = 0");
  if (filter.annotation) {
    const { name, label, scoreMin, scoreMax } = filter.annotation;
    const checks = ["sc.project = sessions.project", "sc.name = ?", "sc.session_id = sessions.session_id"];
    const values: SQLInputValue[] = [name];
    const check = (clause: string, value: SQLInputValue | undefined) => {
      if (value == null) return;
      checks.push(clause);
      values.push(value);
    };
    check("sc.label = ?", label);
    check("sc.score >= ?", scoreMin);
    check("sc.score <= ?", scoreMax);
    add(`EXISTS (SELECT 1 FROM session_scores sc WHERE ${checks.join(" AND ")})`, ...values);
  }
  if (filter.metadata) {
    // Metadata is read from the spans: no index is kept for it, so this check costs a look at the
    // session's spans (fine for a page, slower than the indexed filters on a large project).
    add(
      `EXISTS (SELECT 1 FROM traces t JOIN spans sp ON sp.trace_key = t.trace_key
        WHERE t.project = sessions.project AND t.session_id = sessions.session_id
          AND CAST(json_extract(sp.metadata, ?) AS TEXT) = ?)`,
      `$."${filter.metadata.key.replace(/["\\]/g, "")}"`,
      filter.metadata.value,
    );
  }
  if (filter.text != null) {
    const match = ftsQuery(filter.text);
    if (match == null) return null;
    const matching = "SELECT rowid FROM spans_fts WHERE spans_fts MATCH ?";
    if (atLeastMany(matching, [match])) {
      add(
        `EXISTS (SELECT 1 FROM traces t JOIN spans sp ON sp.trace_key = t.trace_key
          WHERE t.project = sessions.project AND t.session_id = sessions.session_id AND sp.rowid IN (${matching}))`,
        match,
      );
    } else {
      add(
        `sessions.session_id IN (SELECT t.session_id FROM spans_fts f
          JOIN spans sp ON sp.rowid = f.rowid
          JOIN traces t ON t.trace_key = sp.trace_key
          WHERE spans_fts MATCH ? AND t.project = ? AND t.session_id IS NOT NULL)`,
        match,
        project,
      );
    }
  }
  return { where, params };
}
