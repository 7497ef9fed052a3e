import { diag, type AttributeValue, type Attributes } from "@opentelemetry/api";

/** Longest session/user id we accept; longer ids are almost always a bug (a payload passed by mistake). */
export const MAX_ID_LENGTH = 1024;

/** Thrown instead of a warning in strict mode, so tests fail loudly on input production would drop. */
export class ThreadlineValidationError extends TypeError {
  override name = "ThreadlineValidationError";
}

let strictOption: boolean | undefined;

/** Set by `register({ strict })`; `undefined` falls back to the THREADLINE_STRICT environment variable. */
export function setStrictMode(strict: boolean | undefined): void {
  strictOption = strict;
}

/** Read when something is wrong only, so the happy path never touches process.env. */
export function isStrict(): boolean {
  return strictOption ?? /^(1|true|yes|on)$/i.test(process.env.THREADLINE_STRICT?.trim() ?? "");
}

/**
 * Reports unusable input. Observability must never break the app, so outside strict mode this is a
 * `diag` warning and the value is dropped; in strict mode it throws.
 */
export function reject(caller: string, argument: string, reason: string): void {
  const message = `threadline: ${caller}: dropped ${argument}: ${reason}`;
  if (isStrict()) throw new ThreadlineValidationError(message);
  diag.warn(message);
}

/** Why `value` cannot be a session or user id, or undefined when it can (after trimming). */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `must be a string, got ${describe(value)}`;
  const length = value.trim().length;
  if (length === 0) return "must not be empty";
  if (length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters, got ${length}`;
  return undefined;
}

/**
 * True for an id that needs neither trimming nor rejecting: 1 to 1024 characters, starting and ending with
 * a visible ASCII character. Checked on every with* call, so it is kept small enough for the engine to inline.
 */
export function isCleanId(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const length = value.length;
  if (length === 0 || length > MAX_ID_LENGTH) return false;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127;
}

/** Returns the trimmed id, or undefined (reported) when it cannot be used. */
export function cleanId(value: unknown, argument: string, caller: string): string | undefined {
  return isCleanId(value) ? value : cleanIdSlowly(value, argument, caller);
}

function cleanIdSlowly(value: unknown, argument: string, caller: string): string | undefined {
  const problem = idProblem(value);
  if (problem === undefined) return (value as string).trim();
  reject(caller, argument, problem);
  return undefined;
}

/**
 * The JSON of a plain object, or undefined (reported) when `value` is not one or does not serialize.
 * OpenInference stores metadata and variables as JSON strings, so validating by serializing costs nothing extra.
 */
export function objectJson(value: unknown, argument: string, caller: string): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    reject(caller, argument, `must be an object, got ${describe(value)}`);
    return undefined;
  }
  try {
    return JSON.stringify(value);
  } catch (error) {
    reject(caller, argument, `is not JSON-serializable (${String(error)})`);
    return undefined;
  }
}

/** Tags must be strings; unusable entries are dropped one by one so the rest still count. Duplicates go. */
export function cleanTags(value: unknown, caller: string): string[] | undefined {
  if (!Array.isArray(value)) {
    reject(caller, "tags", `must be an array of strings, got ${describe(value)}`);
    return undefined;
  }
  if (value.every(isCleanTag)) return value.slice(); // the usual case, without building a Set
  const tags = new Set<string>();
  for (const [index, tag] of value.entries()) {
    const cleaned = typeof tag === "string" ? tag.trim() : "";
    if (cleaned === "") reject(caller, `tags[${index}]`, "must be a non-empty string");
    else tags.add(cleaned);
  }
  return [...tags];
}

function isCleanTag(tag: unknown, index: number, tags: unknown[]): boolean {
  return typeof tag === "string" && tag !== "" && tag.trim() === tag && tags.indexOf(tag) === index;
}

export type PromptTemplate = {
  /** The template text, e.g. "Describe the weather in {city}". */
  template: string;
  /** The values filled into the template (stored as a JSON string). */
  variables?: Record<string, unknown>;
  /** Your version label for the template, e.g. "v1.0". */
  version?: string;
};

/** The template must be a non-empty string; bad variables or version are dropped alone. */
export function cleanPromptTemplate(value: unknown, caller: string): PromptTemplate | undefined {
  if (typeof value !== "object" || value === null) {
    reject(caller, "promptTemplate", `must be an object with a template, got ${describe(value)}`);
    return undefined;
  }
  const { template, variables, version } = value as Record<string, unknown>;
  if (typeof template !== "string" || template.trim() === "") {
    reject(caller, "promptTemplate.template", "must be a non-empty string");
    return undefined;
  }
  const cleaned: PromptTemplate = { template };
  if (variables !== undefined && objectJson(variables, "promptTemplate.variables", caller) !== undefined) {
    cleaned.variables = variables as Record<string, unknown>;
  }
  if (version !== undefined) {
    if (typeof version === "string" && version.trim() !== "") cleaned.version = version.trim();
    else reject(caller, "promptTemplate.version", "must be a non-empty string");
  }
  return cleaned;
}

/** Keeps the entries that are valid OpenTelemetry attribute values; each bad one is reported. */
export function cleanAttributes(value: unknown, caller: string): Attributes | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    reject(caller, "attributes", `must be an object, got ${describe(value)}`);
    return undefined;
  }
  const attributes: Attributes = {};
  for (const [key, attribute] of Object.entries(value)) {
    if (key.trim() === "") reject(caller, "attributes", "keys must be non-empty");
    else if (!isAttributeValue(attribute)) reject(caller, `attributes["${key}"]`, "must be a string, number, boolean or an array of one of them");
    else attributes[key] = attribute;
  }
  return attributes;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  if (isPrimitive(value)) return true;
  if (!Array.isArray(value)) return false;
  const types = new Set(value.filter((item) => item != null).map((item) => typeof item));
  return types.size <= 1 && value.every((item) => item == null || isPrimitive(item));
}

function isPrimitive(value: unknown): boolean {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
