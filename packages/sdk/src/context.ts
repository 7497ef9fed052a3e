// The low-level context API: the same functions, signatures and context keys as
// @arizeai/openinference-core (so its setSession and ours see the same values, and every OpenInference
// instrumentation picks ours up), with the validation the OpenInference docs promise added to the setters.
import type { Attributes, Context } from "@opentelemetry/api";
import * as core from "@arizeai/openinference-core";
import { METADATA_KEY, readContextAttributes } from "./attributes.ts";
import { cleanAttributes, cleanId, cleanPromptTemplate, cleanTags, objectJson, type PromptTemplate } from "./validate.ts";

export type { PromptTemplate } from "./validate.ts";

// Getters and clearers need no validation: they are openinference-core's own.
export {
  clearAttributes,
  clearMetadata,
  clearPromptTemplate,
  clearSession,
  clearTags,
  clearUser,
  getAttributes,
  getMetadata,
  getPromptTemplate,
  getSession,
  getTags,
  getUser,
} from "@arizeai/openinference-core";

/** `ctx` with the session id set; an invalid id is dropped with a warning (TypeError in strict mode). */
export function setSession(ctx: Context, session: { sessionId: string }): Context {
  const sessionId = cleanId(session?.sessionId, "sessionId", "setSession");
  return sessionId === undefined ? ctx : core.setSession(ctx, { sessionId });
}

/** `ctx` with the user id set; an invalid id is dropped with a warning (TypeError in strict mode). */
export function setUser(ctx: Context, user: { userId: string }): Context {
  const userId = cleanId(user?.userId, "userId", "setUser");
  return userId === undefined ? ctx : core.setUser(ctx, { userId });
}

/** `ctx` with the metadata set (replacing any; the `with*` helpers merge instead). */
export function setMetadata(ctx: Context, metadata: Record<string, unknown>): Context {
  const json = objectJson(metadata, "metadata", "setMetadata");
  return json === undefined ? ctx : ctx.setValue(METADATA_KEY, json); // what core.setMetadata stores, serialized once
}

/** `ctx` with the tags set (replacing any; the `with*` helpers take the union instead). */
export function setTags(ctx: Context, tags: string[]): Context {
  const cleaned = cleanTags(tags, "setTags");
  return cleaned === undefined ? ctx : core.setTags(ctx, cleaned);
}

/** `ctx` with the prompt template, its variables and version; fields not given are cleared, not inherited. */
export function setPromptTemplate(ctx: Context, promptTemplate: PromptTemplate): Context {
  const cleaned = cleanPromptTemplate(promptTemplate, "setPromptTemplate");
  return cleaned === undefined ? ctx : core.setPromptTemplate(core.clearPromptTemplate(ctx), cleaned);
}

/** `ctx` with extra span attributes for every span inside (replacing any; `withAttributes` merges). */
export function setAttributes(ctx: Context, attributes: Attributes): Context {
  const cleaned = cleanAttributes(attributes, "setAttributes");
  return cleaned === undefined ? ctx : core.setAttributes(ctx, cleaned);
}

/**
 * What the span processor would stamp on a span started in `ctx`. Like openinference-core's function of the
 * same name, except that `tag.tags` is a real string array and session/user fall back to W3C baggage.
 */
export function getAttributesFromContext(ctx: Context, options: { readBaggage?: boolean } = {}): Attributes {
  return { ...readContextAttributes(ctx, options.readBaggage ?? true) };
}
