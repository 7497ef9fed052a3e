import type { Attributes, Context } from "@opentelemetry/api";
import { ContextAttributes } from "@arizeai/openinference-core";
import { idsFromBaggage } from "./baggage.ts";

// The span attribute names OpenInference defines, spelled out so the hot path reads plain strings.
export const SESSION_ID = "session.id";
export const USER_ID = "user.id";
export const METADATA = "metadata";
export const TAG_TAGS = "tag.tags";
export const PROMPT_TEMPLATE = "llm.prompt_template.template";
export const PROMPT_TEMPLATE_VARIABLES = "llm.prompt_template.variables";
export const PROMPT_TEMPLATE_VERSION = "llm.prompt_template.version";

// openinference-core's own context keys (Symbol.for based), so its setters and ours share the values.
export const SESSION_KEY = ContextAttributes[SESSION_ID];
export const USER_KEY = ContextAttributes[USER_ID];
export const METADATA_KEY = ContextAttributes[METADATA];
export const TAGS_KEY = ContextAttributes[TAG_TAGS];
export const TEMPLATE_KEY = ContextAttributes[PROMPT_TEMPLATE];
export const TEMPLATE_VARIABLES_KEY = ContextAttributes[PROMPT_TEMPLATE_VARIABLES];
export const TEMPLATE_VERSION_KEY = ContextAttributes[PROMPT_TEMPLATE_VERSION];
export const ATTRIBUTES_KEY = ContextAttributes.attributes;

const CACHE_LIMIT = 256;
// Tags and generic attributes live in the context as JSON strings (openinference-core's format). The same
// string is read for every span of a conversation, so each is parsed once. Values are frozen: spans share them.
const parsedTags = new Map<string, readonly string[] | null>();
const parsedAttributes = new Map<string, Readonly<Attributes> | null>();

/**
 * The attributes Threadline stamps on a span started in `ctx`: session, user, metadata (JSON string),
 * tags (a string array), prompt template and generic attributes; session and user fall back to W3C
 * baggage when `readBaggage`. Undefined when there is nothing, the common case, without allocating.
 */
export function readContextAttributes(ctx: Context, readBaggage: boolean): Attributes | undefined {
  let session = ctx.getValue(SESSION_KEY);
  let user = ctx.getValue(USER_KEY);
  const metadata = ctx.getValue(METADATA_KEY);
  const tags = ctx.getValue(TAGS_KEY);
  const template = ctx.getValue(TEMPLATE_KEY);
  const attributes = ctx.getValue(ATTRIBUTES_KEY);
  if (readBaggage && (session === undefined || user === undefined)) {
    const fromBaggage = idsFromBaggage(ctx);
    if (fromBaggage) {
      session ??= fromBaggage.sessionId;
      user ??= fromBaggage.userId;
    }
  }
  if (session === undefined && user === undefined && metadata === undefined && tags === undefined && template === undefined && attributes === undefined) {
    return undefined;
  }

  const result: Attributes = {};
  if (typeof attributes === "string") {
    const parsed = parseAttributes(attributes);
    if (parsed) Object.assign(result, parsed);
  }
  if (typeof session === "string") result[SESSION_ID] = session;
  if (typeof user === "string") result[USER_ID] = user;
  if (typeof metadata === "string") result[METADATA] = metadata;
  if (tags !== undefined) {
    const list = typeof tags === "string" ? parseTags(tags) : isStringArray(tags) ? tags : undefined;
    if (list) result[TAG_TAGS] = list as string[];
  }
  if (typeof template === "string") {
    result[PROMPT_TEMPLATE] = template;
    const variables = ctx.getValue(TEMPLATE_VARIABLES_KEY);
    const version = ctx.getValue(TEMPLATE_VERSION_KEY);
    if (typeof variables === "string") result[PROMPT_TEMPLATE_VARIABLES] = variables;
    if (typeof version === "string") result[PROMPT_TEMPLATE_VERSION] = version;
  }
  return result;
}

/** A JSON string array as a frozen array, or undefined when it is not one. */
export function parseTags(json: string): readonly string[] | undefined {
  let parsed = parsedTags.get(json);
  if (parsed === undefined) {
    const value = safeParse(json);
    parsed = isStringArray(value) ? Object.freeze([...value]) : null;
    remember(parsedTags, json, parsed);
  }
  return parsed ?? undefined;
}

function parseAttributes(json: string): Readonly<Attributes> | undefined {
  let parsed = parsedAttributes.get(json);
  if (parsed === undefined) {
    const value = safeParse(json);
    parsed = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.freeze(value as Attributes) : null;
    remember(parsedAttributes, json, parsed);
  }
  return parsed ?? undefined;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear(); // crude but bounded; a busy app re-parses at most once per key
  cache.set(key, value);
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
