// The sessions list: a keyset page of the sessions rollup, never of spans. Each filter is one
// condition with its own parameters (`conditions` below); filters not built on this store yet say so.
import type { SessionSortKey } from "../../api/types.ts";
import type { SessionRollup } from "../records.ts";
import type { Page, SessionFilter, SessionQuery } from "../store.ts";
import type { Executor, Params } from "./executor.ts";
import { annotationCondition, scoredSessions } from "./annotation-filters.ts";
import { keysetPage } from "./keyset.ts";
import { toSession } from "./rollup-rows.ts";
import { addSearchFilters } from "./search-filters.ts";
import { sessionsWithStates, stateColumn, stateCondition } from "./session-state.ts";

export const SESSION_SORT_COLUMNS: Record<SessionSortKey, string> = {
  startTime: "start_us", endTime: "end_us", durationMs: "duration_us", traceCount: "trace_count", spanCount: "span_count",
  errorCount: "error_count", llmCount: "llm_count", promptTokens: "prompt_tokens", completionTokens: "completion_tokens",
  totalTokens: "total_tokens", cost: "cost",
  // Replaced by the lifecycle's stateColumn (session-state.ts), which needs the database.
  state: "0",
};

interface Conditions {
  where: string[];
  params: Params;
}

/** The conditions of the filter; throws for a filter this store does not have yet. */
export function conditions(filter: SessionFilter, db: string): Conditions {
  const where: string[] = [];
  const params: Params = {};
  if (filter.userId != null) {
    where.push("has(user_ids, {f_user:String})");
    params.f_user = filter.userId;
  }
  if (filter.fromUs != null) {
    where.push("end_us >= {f_from:Int64}");
    params.f_from = filter.fromUs;
  }
  if (filter.toUs != null) {
    where.push("start_us <= {f_to:Int64}");
    params.f_to = filter.toUs;
  }
  if (filter.tag != null) {
    where.push("has(tags, {f_tag:String})");
    params.f_tag = filter.tag;
  }
  if (filter.hasErrors != null) where.push(filter.hasErrors ? "error_count > 0" : "error_count = 0");
  addSearchFilters(filter, db, where, params);
  if (filter.state != null) where.push(stateCondition(db, filter.state));
  if (filter.annotation != null) where.push(annotationCondition(filter.annotation, db, params));
  return { where, params };
}

export function listSessions(executor: Executor, db: string, query: SessionQuery): Promise<Page<SessionRollup>> {
  const filter = conditions(query.filter, db);
  const params: Params = { p: query.project, ...filter.params };
  const sort = query.sort;
  return keysetPage(executor, {
    from: typeof sort === "object" ? scoredSessions(db, sort.annotation, params) : `${db}.sessions FINAL`,
    column: typeof sort === "object" ? "annotation_score" : sort === "state" ? stateColumn(db) : SESSION_SORT_COLUMNS[sort], id: "session_id",
    where: ["project = {p:String}", "deleted = 0", ...filter.where], params,
    limit: query.limit, order: query.order, after: query.after,
    rows: (ids) => executor.query(sessionsWithStates(db), { p: query.project, ids }),
  }, toSession);
}
