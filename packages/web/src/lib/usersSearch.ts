// URL search params of the users list (/projects/$project/users?sort=&order=&cursor=&q=) and of
// a user's page (/projects/$project/users/$userId?sort=&order=&cursor=, for their sessions).
import { USER_SORT_KEYS, type SortOrder, type UserSortKey } from "../../../server/src/api/sort-keys.ts";

export { USER_SORT_KEYS, type UserSortKey };

export interface UsersSearch {
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
  return search;
}

export interface ResolvedUsersSearch {
  sort: UserSortKey;
  order: SortOrder;
  cursor: string | undefined;
  q: string | undefined;
}

export function resolveUsersSearch(search: UsersSearch): ResolvedUsersSearch {
  return { sort: search.sort ?? DEFAULT_USER_SORT, order: search.order ?? "desc", cursor: search.cursor, q: search.q?.trim() || undefined };
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
  if (params.cursor) search.cursor = params.cursor;
  return search;
}

export function toggleUserSort(current: ResolvedUsersSearch, key: UserSortKey): UsersSearch {
  const order: SortOrder = current.sort === key ? (current.order === "desc" ? "asc" : "desc") : "desc";
  return usersSearch({ sort: key, order, q: current.q });
}
