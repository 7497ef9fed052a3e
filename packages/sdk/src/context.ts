import { context, diag, type Context } from "@opentelemetry/api";
import { setMetadata, setSession, setTags, setUser } from "@arizeai/openinference-core";
import { cleanId, cleanMetadata, cleanTags } from "./validate.ts";

/** What Threadline can attach to every span created inside a `with*` callback. */
export type ThreadlineAttributes = {
  /** Groups traces into a conversation (`session.id`). */
  sessionId?: string;
  /** The end user the conversation belongs to (`user.id`). */
  userId?: string;
  /** Free-form JSON-serializable data (`metadata`, stored as a JSON string). */
  metadata?: Record<string, unknown>;
  /** Labels for filtering (`tag.tags`). */
  tags?: string[];
};

/** Runs `fn` so that every span started inside it (sync or async) carries `session.id`. */
export function withSession<T>(sessionId: string, fn: () => T): T {
  return context.with(safely("withSession", (ctx) => addSession(ctx, sessionId, "withSession")), fn);
}

/** Runs `fn` so that every span started inside it (sync or async) carries `user.id`. */
export function withUser<T>(userId: string, fn: () => T): T {
  return context.with(safely("withUser", (ctx) => addUser(ctx, userId, "withUser")), fn);
}

/**
 * Runs `fn` with any of session, user, metadata and tags set. Fields left undefined keep the
 * value from an enclosing call; fields that are set replace it (metadata and tags are not merged).
 */
export function withAttributes<T>(attributes: ThreadlineAttributes, fn: () => T): T {
  return context.with(safely("withAttributes", (ctx) => addAttributes(ctx, attributes, "withAttributes")), fn);
}

/** Returns `ctx` extended with the valid fields of `attributes`; invalid ones are dropped with a warning. */
function addAttributes(ctx: Context, attributes: ThreadlineAttributes, caller: string): Context {
  if (typeof attributes !== "object" || attributes === null) {
    diag.warn(`threadline: ${caller}: ignored attributes: must be an object`);
    return ctx;
  }
  const { sessionId, userId, metadata, tags } = attributes;
  if (sessionId !== undefined) ctx = addSession(ctx, sessionId, caller);
  if (userId !== undefined) ctx = addUser(ctx, userId, caller);
  if (metadata !== undefined) {
    const cleaned = cleanMetadata(metadata, caller);
    if (cleaned) ctx = setMetadata(ctx, cleaned);
  }
  if (tags !== undefined) {
    const cleaned = cleanTags(tags, caller);
    if (cleaned) ctx = setTags(ctx, cleaned);
  }
  return ctx;
}

function addSession(ctx: Context, sessionId: unknown, caller: string): Context {
  const id = cleanId(sessionId, "sessionId", caller);
  return id === undefined ? ctx : setSession(ctx, { sessionId: id });
}

function addUser(ctx: Context, userId: unknown, caller: string): Context {
  const id = cleanId(userId, "userId", caller);
  return id === undefined ? ctx : setUser(ctx, { userId: id });
}

/** Builds a context from the active one; if that fails for any reason, the app still runs untouched. */
function safely(caller: string, build: (ctx: Context) => Context): Context {
  const active = context.active();
  try {
    return build(active);
  } catch (error) {
    diag.warn(`threadline: ${caller}: could not set attributes`, error);
    return active;
  }
}
