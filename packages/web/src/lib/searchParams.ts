// URL search params as plain strings (?sort=cost&cursor=abc) rather than the
// router's default JSON encoding, which would quote strings that look like
// numbers (?cursor=%2250%22). Non-string values are JSON-encoded.

export function parseSearch(searchStr: string): Record<string, unknown> {
  const params = new URLSearchParams(searchStr.startsWith("?") ? searchStr.slice(1) : searchStr);
  const search: Record<string, unknown> = {};
  for (const [key, value] of params) search[key] = value;
  return search;
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null) continue;
    params.set(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  const str = params.toString();
  return str ? `?${str}` : "";
}
