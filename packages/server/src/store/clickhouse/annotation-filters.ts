// The lists by annotations: the sessions' `annotation` filter and sort by a name's mean score, and
// the users list's `labelled`.
// Both read the per-session summaries (session_scores, kept by annotation-writes.ts), one row per
// session and name, never the annotations themselves.
import { hourOf } from "../buckets.ts";
import type { SessionFilter, UserQuery } from "../store.ts";
import type { Params } from "./executor.ts";

/** Sessions whose summary of the name has the label and/or a mean score in range. */
export function annotationCondition(filter: NonNullable<SessionFilter["annotation"]>, db: string, params: Params): string {
  const where = ["project = {p:String}", "name = {fa_name:String}", "deleted = 0"];
  params.fa_name = filter.name;
  if (filter.label != null) {
    where.push("label = {fa_label:String}");
    params.fa_label = filter.label;
  }
  if (filter.scoreMin != null) {
    where.push("score >= {fa_min:Float64}");
    params.fa_min = filter.scoreMin;
  }
  if (filter.scoreMax != null) {
    where.push("score <= {fa_max:Float64}");
    params.fa_max = filter.scoreMax;
  }
  return `session_id IN (SELECT session_id FROM ${db}.session_scores FINAL WHERE ${where.join(" AND ")})`;
}

/** The sessions that have a mean score of the name, with it as `annotation_score` (what to sort by). */
export function scoredSessions(db: string, name: string, params: Params): string {
  params.sort_name = name;
  return `(SELECT s.*, sc.score AS annotation_score FROM ${db}.sessions AS s FINAL
    INNER JOIN (SELECT session_id, score FROM ${db}.session_scores FINAL
      WHERE project = {p:String} AND name = {sort_name:String} AND deleted = 0 AND score IS NOT NULL) AS sc ON sc.session_id = s.session_id
    WHERE s.project = {p:String})`;
}

/**
 * Users with at least `minSessions` sessions started since `sinceUs`'s hour whose summary of the
 * name has the label (any, without one): from the summaries of that name first (few), then those
 * sessions' users.
 */
export function labelledUsers(db: string, labelled: NonNullable<UserQuery["labelled"]>, params: Params): string {
  const where = ["project = {p:String}", "name = {fl_name:String}", "deleted = 0", "hour_us >= {fl_since:Int64}"];
  params.fl_name = labelled.name;
  params.fl_since = hourOf(labelled.sinceUs);
  params.fl_min = labelled.minSessions;
  if (labelled.label != null) {
    where.push("label = {fl_label:String}");
    params.fl_label = labelled.label;
  }
  return `user_id IN (SELECT arrayJoin(user_ids) AS user_id FROM ${db}.sessions FINAL WHERE project = {p:String} AND deleted = 0
    AND session_id IN (SELECT session_id FROM ${db}.session_scores FINAL WHERE ${where.join(" AND ")})
    GROUP BY user_id HAVING count() >= {fl_min:UInt32})`;
}
