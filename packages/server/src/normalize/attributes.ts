// Small, never-throwing readers over attribute values. Every attribute can hold anything
// (string, number, boolean, array, nested object), so each reader checks the type it needs.
import type { Attributes } from "../otlp/types.ts";

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first attribute among `keys` that holds a non-empty string (trimmed), else null. Finite numbers count. */
export function firstString(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const text = stringValue(attributes[key]);
    if (text !== null) return text;
  }
  return null;
}

/** A value as a trimmed, non-empty string (finite numbers accepted), else null. */
export function stringValue(value: unknown): string | null {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed ? trimmed : null;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/** The first attribute among `keys` that holds a finite, non-negative number (numeric strings count). */
export function firstNumber(attributes: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const n = numberValue(attributes[key]);
    if (n !== null) return n;
  }
  return null;
}

/** A finite, non-negative number (numeric strings count), else null. */
export function numberValue(value: unknown): number | null {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * Parses JSON only when the value is a string that can hold an object, array or string (first
 * non-blank character `{`, `[` or `"`), so plain text never pays for a failed parse.
 * Returns undefined when the value is not JSON.
 */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  let i = 0;
  while (i < value.length && value.charCodeAt(i) <= 32) i++;
  const first = value.charCodeAt(i);
  if (first !== 123 /* { */ && first !== 91 /* [ */ && first !== 34 /* " */) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** An array given as a real array or as JSON text of one, else null. */
export function arrayValue(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  const parsed = parseJson(value);
  return Array.isArray(parsed) ? parsed : null;
}

/** An object given as a real (kvlist) object or as JSON text of one, else null. */
export function objectValue(value: unknown): Json | null {
  if (isRecord(value)) return value;
  const parsed = parseJson(value);
  return isRecord(parsed) ? parsed : null;
}

/** Any value as text: strings as they are, everything else as JSON (never throws). */
export function jsonText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
