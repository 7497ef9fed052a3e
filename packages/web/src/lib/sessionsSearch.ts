// URL search params of the sessions list:
//   /projects/$project/sessions?sort=&order=&cursor=&range=&from=&to=&user=&q=&tag=&metadata=&hasErrors=
//                              &annotation=&label=&scoreMin=&scoreMax=
// Everything the view depends on lives in the URL, so a link reproduces the exact view.

// The contract's one value export: a plain array, so nothing else of the server is bundled.
import { SESSION_SORT_KEYS, type SessionSortKey, type SortOrder } from "../../../server/src/api/sort-keys.ts";
import type { SessionFilterQuery } from "../../../server/src/api/route-schemas.ts";

export { SESSION_SORT_KEYS, type SessionSortKey, type SortOrder };

/** A column sort, or `annotation:<name>` (by that annotation's mean score). */
export type SessionSort = SessionSortKey | `annotation:${string}`;

export const ANNOTATION_SORT_PREFIX = "annotation:";

/** Relative time ranges; resolved to `from` when querying, so a shared link stays "the last 24 hours". */
export const TIME_RANGES = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type TimeRange = keyof typeof TIME_RANGES;

/** The filters as the API takes them (`range` resolved to `from`), as query-string text. */
export type SessionApiFilters = { [K in keyof SessionFilterQuery]?: K extends "hasErrors" ? SessionFilterQuery[K] : string };

/** The filters as they appear in the URL: the API's, and a relative time range. */
export interface SessionFilters extends SessionApiFilters {
  range?: TimeRange;
}

export interface SessionsSearch extends SessionFilters {
  sort?: SessionSort;
  order?: SortOrder;
  cursor?: string;
}

export const DEFAULT_SESSION_SORT: SessionSortKey = "startTime";
export const DEFAULT_SORT_ORDER: SortOrder = "desc";

const TEXT_FILTERS = ["from", "to", "user", "q", "tag", "metadata", "annotation", "label"] as const;

export function isSessionSort(value: unknown): value is SessionSort {
  if (typeof value !== "string") return false;
  if (value.startsWith(ANNOTATION_SORT_PREFIX)) return value.length > ANNOTATION_SORT_PREFIX.length;
  return (SESSION_SORT_KEYS as readonly string[]).includes(value);
}

function isTimeRange(value: unknown): value is TimeRange {
  return typeof value === "string" && Object.hasOwn(TIME_RANGES, value);
}

function isNumeric(value: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) || typeof value === "number";
}

function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The filter part of a raw search object; unknown or invalid values are dropped instead of failing. */
export function validateSessionFilters(raw: Record<string, unknown>): SessionFilters {
  const filters: SessionFilters = {};
  for (const key of TEXT_FILTERS) {
    const value = text(raw[key]);
    if (value !== undefined) filters[key] = value;
  }
  if (isTimeRange(raw.range)) filters.range = raw.range;
  // An absolute range wins over a relative one.
  if (filters.from || filters.to) delete filters.range;
  if (raw.hasErrors === "true" || raw.hasErrors === "false") filters.hasErrors = raw.hasErrors;
  else if (raw.hasErrors === true) filters.hasErrors = "true";
  else if (raw.hasErrors === false) filters.hasErrors = "false";
  if (isNumeric(raw.scoreMin)) filters.scoreMin = String(raw.scoreMin).trim();
  if (isNumeric(raw.scoreMax)) filters.scoreMax = String(raw.scoreMax).trim();
  // A label or a score range only means something for one annotation name.
  if (!filters.annotation) {
    delete filters.label;
    delete filters.scoreMin;
    delete filters.scoreMax;
  }
  return filters;
}

/** Route `validateSearch`: drops unknown or invalid values instead of failing. */
export function validateSessionsSearch(raw: Record<string, unknown>): SessionsSearch {
  const search: SessionsSearch = validateSessionFilters(raw);
  if (isSessionSort(raw.sort)) search.sort = raw.sort;
  if (raw.order === "asc" || raw.order === "desc") search.order = raw.order;
  const cursor = text(raw.cursor);
  if (cursor !== undefined) search.cursor = cursor;
  return search;
}

/** Now, rounded down to the minute, so a relative range gives the same query key for a minute. */
function nowToTheMinute(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

/** The API's filters for URL filters: the relative range becomes `from`. */
export function apiFilters(filters: SessionFilters, now: number = nowToTheMinute()): SessionApiFilters {
  const out: SessionApiFilters = {};
  for (const key of TEXT_FILTERS) {
    const value = filters[key];
    if (value !== undefined) out[key] = value;
  }
  if (filters.range) out.from = new Date(now - TIME_RANGES[filters.range].ms).toISOString();
  if (filters.hasErrors) out.hasErrors = filters.hasErrors;
  if (filters.scoreMin !== undefined) out.scoreMin = filters.scoreMin;
  if (filters.scoreMax !== undefined) out.scoreMax = filters.scoreMax;
  return out;
}

export function hasActiveFilters(filters: SessionFilters): boolean {
  return Object.values(pickFilters(filters)).some((value) => value !== undefined && value !== "");
}

/** Only the filter fields of a search object. */
export function pickFilters(search: SessionFilters): SessionFilters {
  return validateSessionFilters(search as Record<string, unknown>);
}

export interface ResolvedSessionsSearch {
  sort: SessionSort;
  order: SortOrder;
  cursor: string | undefined;
  filters: SessionApiFilters;
}

export function resolveSessionsSearch(search: SessionsSearch): ResolvedSessionsSearch {
  return {
    sort: search.sort ?? DEFAULT_SESSION_SORT,
    order: search.order ?? DEFAULT_SORT_ORDER,
    cursor: search.cursor,
    filters: apiFilters(search),
  };
}

/** Builds search params for a link, leaving defaults out so URLs stay short. */
export function sessionsSearch(params: {
  sort?: SessionSort;
  order?: SortOrder;
  cursor?: string;
  filters?: SessionFilters;
}): SessionsSearch {
  const search: SessionsSearch = { ...pickFilters(params.filters ?? {}) };
  const sort = params.sort ?? DEFAULT_SESSION_SORT;
  const order = params.order ?? DEFAULT_SORT_ORDER;
  if (sort !== DEFAULT_SESSION_SORT || order !== DEFAULT_SORT_ORDER) {
    search.sort = sort;
    search.order = order;
  }
  if (params.cursor) search.cursor = params.cursor;
  return search;
}

/** Clicking a column header: flip the order of the active column, else sort by it descending. Back to page one. */
export function toggleSort(current: SessionsSearch, key: SessionSort): SessionsSearch {
  const activeSort = current.sort ?? DEFAULT_SESSION_SORT;
  const activeOrder = current.order ?? DEFAULT_SORT_ORDER;
  const order: SortOrder = activeSort === key ? (activeOrder === "desc" ? "asc" : "desc") : "desc";
  return sessionsSearch({ sort: key, order, filters: current });
}

/** New filters: keep the sort, back to page one. A sort by an annotation stays valid only while it is a column. */
export function withFilters(current: SessionsSearch, filters: SessionFilters): SessionsSearch {
  return sessionsSearch({ sort: current.sort, order: current.order, filters });
}

/** "key=value" or "key:value" typed by a person → the API's "key:value" (undefined when not a pair). */
export function parseMetadataInput(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed) return undefined;
  const match = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
  if (!match || !match[1].trim()) return undefined;
  return `${match[1].trim()}:${match[2].trim()}`;
}

/** "key:value" → "key = value" for display. */
export function formatMetadataFilter(value: string | undefined): string {
  if (!value) return "";
  const index = value.indexOf(":");
  return index < 0 ? value : `${value.slice(0, index)}=${value.slice(index + 1)}`;
}

/** A user's page lists their sessions: only sort, order and cursor are in its URL. */
export interface UserSessionsSearch {
  sort?: SessionSort;
  order?: SortOrder;
  cursor?: string;
}

export function validateUserSessionsSearch(raw: Record<string, unknown>): UserSessionsSearch {
  const { sort, order, cursor } = validateSessionsSearch(raw);
  const search: UserSessionsSearch = {};
  if (sort) search.sort = sort;
  if (order) search.order = order;
  if (cursor) search.cursor = cursor;
  return search;
}

/** The sessions list query of a user's page. */
export function resolveUserSessionsSearch(userId: string, search: UserSessionsSearch): { sort: SessionSort; order: SortOrder; cursor: string | undefined; user: string } {
  return {
    sort: search.sort ?? DEFAULT_SESSION_SORT,
    order: search.order ?? DEFAULT_SORT_ORDER,
    cursor: search.cursor,
    user: userId,
  };
}

/** The sessions list request (flat, as the API takes it) for a resolved search. */
export function sessionsListParams(resolved: ResolvedSessionsSearch): SessionApiFilters & {
  sort: SessionSort;
  order: SortOrder;
  cursor: string | undefined;
} {
  return { ...resolved.filters, sort: resolved.sort, order: resolved.order, cursor: resolved.cursor };
}
