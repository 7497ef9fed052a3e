// URL search params of the users list (/projects/$project/users?sort=&order=&cursor=&q=
// &annotation=&label=&minSessions=&since=) and of
// a user's page (/projects/$project/users/$userId?sort=&order=&cursor=, for their sessions).
import { USER_SORT_KEYS, type SortOrder, type UserSortKey } from "../../../server/src/api/sort-keys.ts";

export { USER_SORT_KEYS, type UserSortKey };

/** Users with at least minSessions sessions since `since` whose `annotation` has `label`. */
export interface LabelFilter {
  annotation?: string;
  label?: string;
  minSessions?: number;
  /** A time or a duration back from now (7d). */
  since?: string;
}

export interface UsersSearch extends LabelFilter {
  sort?: UserSortKey;
  order?: SortOrder;
  cursor?: string;
  q?: string;
}

export const DEFAULT_USER_SORT: UserSortKey = "lastSeen";

function isUserSort(value: unknown): value is UserSortKey {
  return typeof value === "string" && (USER_SORT_KEYS as readonly string[]).includes(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function validateUsersSearch(raw: Record<string, unknown>): UsersSearch {
  const search: UsersSearch = {};
  if (isUserSort(raw.sort)) search.sort = raw.sort;
  if (raw.order === "asc" || raw.order === "desc") search.order = raw.order;
  const cursor = text(raw.cursor);
  if (cursor !== undefined) search.cursor = cursor;
  const q = text(raw.q);
  if (q !== undefined) search.q = q;
  Object.assign(search, labelFilter(raw));
  return search;
}

function labelFilter(raw: Record<string, unknown>): LabelFilter {
  const filter: LabelFilter = {};
  const annotation = text(raw.annotation);
  if (annotation === undefined) return filter;
  filter.annotation = annotation;
  const label = text(raw.label);
  if (label !== undefined) filter.label = label;
  const min = Number(raw.minSessions);
  if (Number.isInteger(min) && min >= 1) filter.minSessions = min;
  const since = text(raw.since);
  if (since !== undefined) filter.since = since;
  return filter;
}

export interface ResolvedUsersSearch extends LabelFilter {
  sort: UserSortKey;
  order: SortOrder;
  cursor: string | undefined;
  q: string | undefined;
}

export function resolveUsersSearch(search: UsersSearch): ResolvedUsersSearch {
  return {
    sort: search.sort ?? DEFAULT_USER_SORT, order: search.order ?? "desc", cursor: search.cursor, q: search.q?.trim() || undefined,
    ...labelFilter(search as Record<string, unknown>),
  };
}

/** Search params for a link, defaults left out. */
export function usersSearch(params: Partial<ResolvedUsersSearch>): UsersSearch {
  const search: UsersSearch = {};
  const sort = params.sort ?? DEFAULT_USER_SORT;
  const order = params.order ?? "desc";
  if (sort !== DEFAULT_USER_SORT || order !== "desc") {
    search.sort = sort;
    search.order = order;
  }
  if (params.q) search.q = params.q;
  Object.assign(search, labelFilter(params as Record<string, unknown>));
  if (params.cursor) search.cursor = params.cursor;
  return search;
}

/** "Users with two or more frustrated sessions this week". */
export function describeLabelFilter({ annotation, label, minSessions = 1, since = "7d" }: LabelFilter): string {
  const sessions = minSessions === 1 ? "a session" : `${minSessions} or more sessions`;
  const what = label ? `“${label}” by ${annotation}` : `scored by ${annotation}`;
  const when = since === "7d" ? "in the last 7 days" : /^\d+[mhdw]$/.test(since) ? `in the last ${since}` : `since ${since}`;
  return `Users with ${sessions} ${what} ${when}`;
}

export function toggleUserSort(current: ResolvedUsersSearch, key: UserSortKey): UsersSearch {
  const order: SortOrder = current.sort === key ? (current.order === "desc" ? "asc" : "desc") : "desc";
  return usersSearch({ ...current, sort: key, order, cursor: undefined });
}
