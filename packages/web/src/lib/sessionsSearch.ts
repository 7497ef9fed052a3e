// URL search params of the sessions list: /projects/$project/sessions?sort=&order=&cursor=
// Kept in the URL so that a link reproduces the exact view.

// The contract's one value export: a plain array, so nothing else of the server is bundled.
import { SESSION_SORT_KEYS, type SessionSortKey, type SortOrder } from "../../../server/src/api/types.ts";

export { SESSION_SORT_KEYS, type SessionSortKey, type SortOrder };

export interface SessionsSearch {
  sort?: SessionSortKey;
  order?: SortOrder;
  cursor?: string;
}

export const DEFAULT_SESSION_SORT: SessionSortKey = "startTime";
export const DEFAULT_SORT_ORDER: SortOrder = "desc";

function isSortKey(value: unknown): value is SessionSortKey {
  return typeof value === "string" && (SESSION_SORT_KEYS as readonly string[]).includes(value);
}

/** Route `validateSearch`: drops unknown or invalid values instead of failing. */
export function validateSessionsSearch(raw: Record<string, unknown>): SessionsSearch {
  const search: SessionsSearch = {};
  if (isSortKey(raw.sort)) search.sort = raw.sort;
  if (raw.order === "asc" || raw.order === "desc") search.order = raw.order;
  if (typeof raw.cursor === "string" && raw.cursor !== "") search.cursor = raw.cursor;
  else if (typeof raw.cursor === "number") search.cursor = String(raw.cursor);
  return search;
}

export interface ResolvedSessionsSearch {
  sort: SessionSortKey;
  order: SortOrder;
  cursor: string | undefined;
}

export function resolveSessionsSearch(search: SessionsSearch): ResolvedSessionsSearch {
  return {
    sort: search.sort ?? DEFAULT_SESSION_SORT,
    order: search.order ?? DEFAULT_SORT_ORDER,
    cursor: search.cursor,
  };
}

/** Builds search params for a link, leaving defaults out so URLs stay short. */
export function sessionsSearch(params: Partial<ResolvedSessionsSearch>): SessionsSearch {
  const search: SessionsSearch = {};
  const sort = params.sort ?? DEFAULT_SESSION_SORT;
  const order = params.order ?? DEFAULT_SORT_ORDER;
  if (sort !== DEFAULT_SESSION_SORT || order !== DEFAULT_SORT_ORDER) {
    search.sort = sort;
    search.order = order;
  }
  if (params.cursor) search.cursor = params.cursor;
  return search;
}

/** Clicking a column header: flip the order of the active column, else sort by it descending. */
export function toggleSort(current: ResolvedSessionsSearch, key: SessionSortKey): SessionsSearch {
  const order: SortOrder = current.sort === key ? (current.order === "desc" ? "asc" : "desc") : "desc";
  return sessionsSearch({ sort: key, order });
}
