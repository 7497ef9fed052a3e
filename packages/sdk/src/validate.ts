import { diag } from "@opentelemetry/api";

/** Longest session/user id we accept; longer ids are almost always a bug (a payload passed by mistake). */
export const MAX_ID_LENGTH = 1024;

/** Logs why a value was dropped. Observability must never throw into the app, so this is our only signal. */
export function warnDropped(caller: string, argument: string, reason: string): void {
  diag.warn(`threadline: ${caller}: dropped ${argument}: ${reason}`);
}

/** Returns the trimmed id, or undefined (with a warning) when it cannot be used. */
export function cleanId(value: unknown, argument: string, caller: string): string | undefined {
  if (typeof value !== "string") {
    warnDropped(caller, argument, `must be a string, got ${describe(value)}`);
    return undefined;
  }
  const id = value.trim();
  if (id === "") {
    warnDropped(caller, argument, "must not be empty");
    return undefined;
  }
  if (id.length > MAX_ID_LENGTH) {
    warnDropped(caller, argument, `must be at most ${MAX_ID_LENGTH} characters, got ${id.length}`);
    return undefined;
  }
  return id;
}

/** Metadata must be a plain object that survives JSON serialization (it is stored as a JSON string). */
export function cleanMetadata(value: unknown, caller: string): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    warnDropped(caller, "metadata", `must be an object, got ${describe(value)}`);
    return undefined;
  }
  try {
    JSON.stringify(value);
  } catch (error) {
    warnDropped(caller, "metadata", `is not JSON-serializable (${String(error)})`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** Tags must be an array of strings; unusable entries are dropped one by one so the rest still count. */
export function cleanTags(value: unknown, caller: string): string[] | undefined {
  if (!Array.isArray(value)) {
    warnDropped(caller, "tags", `must be an array of strings, got ${describe(value)}`);
    return undefined;
  }
  const tags: string[] = [];
  for (const [index, tag] of value.entries()) {
    const cleaned = typeof tag === "string" ? tag.trim() : "";
    if (cleaned === "") warnDropped(caller, `tags[${index}]`, "must be a non-empty string");
    else tags.push(cleaned);
  }
  return tags;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
