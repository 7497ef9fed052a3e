// What the route schemas (api/route-schemas.ts) cannot check of the query-string parameters:
// times, cursors, sort keys with a name in them, and combinations. A bad one is a 400 that says
// what was wrong.
import type { SessionFilterQuery } from "../api/route-schemas.ts";
import type { SortOrder } from "../api/types.ts";
import type { Cursor, SessionFilter, Store } from "../store/store.ts";

/** A request the API refuses; `status` is the HTTP status to answer with. */
export class QueryError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const DEFAULT_LIMIT = 50;

export function parseSort<K extends string>(value: string | null | undefined, keys: readonly K[], fallback: K): K {
  const sort = (value || fallback) as K;
  if (!keys.includes(sort)) throw new QueryError(400, `unknown sort "${value}"; use one of ${keys.join(", ")}`);
  return sort;
}


/** Cursors are opaque to clients; they carry the sort they belong to so a mismatch is caught. */
export function encodeCursor(cursor: Cursor, sort: string, order: SortOrder): string {
  return Buffer.from(JSON.stringify([sort, order, cursor.value, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string | null | undefined, sort: string, order: SortOrder): Cursor | null {
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || typeof parsed[2] !== "number" || typeof parsed[3] !== "string") {
    throw new QueryError(400, "cursor is not one this API returned");
  }
  if (parsed[0] !== sort || parsed[1] !== order) {
    throw new QueryError(400, `cursor belongs to sort=${parsed[0]}&order=${parsed[1]}, not sort=${sort}&order=${order}`);
  }
  return { value: parsed[2], id: parsed[3] };
}

/** 404 for a project the store does not have. */
export async function requireProject(store: Pick<Store, "hasProject">, project: string): Promise<void> {
  if (!(await store.hasProject(project))) throw new QueryError(404, `no project "${project}"`);
}

const AGO_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A time as ISO-8601, epoch milliseconds or a duration back from now ("7d", "24h"), in microseconds. */
export function parseTime(name: string, value: string, now = Date.now()): number {
  const ago = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(value);
  const ms = ago ? now - Number(ago[1]) * AGO_MS[ago[2]] : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new QueryError(400, `${name} must be an ISO-8601 time, epoch milliseconds or a duration back from now such as 7d, not "${value}"`);
  return ms * 1000;
}

export function parseSessionFilter(params: SessionFilterQuery): SessionFilter {
  const filter: SessionFilter = {};
  if (params.user) filter.userId = params.user;
  if (params.tag) filter.tag = params.tag;
  if (params.q?.trim()) filter.text = params.q.trim();
  if (params.from) filter.fromUs = parseTime("from", params.from);
  if (params.to) filter.toUs = parseTime("to", params.to);
  if (filter.fromUs != null && filter.toUs != null && filter.fromUs > filter.toUs) {
    throw new QueryError(400, "from must not be after to");
  }
  if (params.metadata) {
    const colon = params.metadata.indexOf(":");
    if (colon <= 0) throw new QueryError(400, `metadata must be key:value, not "${params.metadata}"`);
    filter.metadata = { key: params.metadata.slice(0, colon), value: params.metadata.slice(colon + 1) };
  }
  if (params.annotation) {
    filter.annotation = {
      name: params.annotation,
      label: params.label || undefined,
      scoreMin: params.scoreMin,
      scoreMax: params.scoreMax,
    };
  } else if (params.label || params.scoreMin != null || params.scoreMax != null) {
    throw new QueryError(400, "label, scoreMin and scoreMax go with annotation=<name>");
  }
  if (params.hasErrors) filter.hasErrors = params.hasErrors === "true";
  if (params.state) filter.state = params.state;
  return filter;
}
