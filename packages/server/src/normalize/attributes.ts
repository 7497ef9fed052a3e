// Small readers over a span's flat attribute map.
import type { Attributes } from "../otlp/types.ts";

/** The first attribute among `keys` that holds a non-empty string (trimmed), else null. */
export function firstString(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === "string") {
      const trimmed = value.trim();
      if (trimmed) return trimmed;
    } else if (typeof value === "number" && Number.isFinite(value)) {
      return String(value);
    }
  }
  return null;
}

/** The first attribute among `keys` that holds a finite, non-negative number (numeric strings count). */
export function firstNumber(attributes: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = attributes[key];
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n === "number" && Number.isFinite(n) && n >= 0) return n;
  }
  return null;
}

/** Collects `prefix.<i>.<rest>` attributes into an array of `{ rest: value }` objects, ordered by i. */
export function indexedGroups(attributes: Attributes, prefix: string): Array<Record<string, unknown>> {
  const groups: Array<Record<string, unknown>> = [];
  const start = prefix + ".";
  for (const key in attributes) {
    if (!key.startsWith(start)) continue;
    const dot = key.indexOf(".", start.length);
    if (dot < 0) continue;
    const index = Number(key.slice(start.length, dot));
    if (!Number.isInteger(index) || index < 0 || index > 10_000) continue;
    (groups[index] ??= {})[key.slice(dot + 1)] = attributes[key];
  }
  return groups.filter(Boolean);
}
