// Which conversation (session) and which user a span belongs to. Every convention names them
// differently. Precedence: the span's own attributes, then the keys frameworks put in the span's
// metadata (LangChain and LangGraph run metadata, LangSmith's convention), then the resource's
// attributes (a resource is shared by every span the process sends, so it is the least specific).
import type { Attributes } from "../otlp/types.ts";
import { stringValue } from "./attributes.ts";

/**
 * Longest id we accept. The Threadline SDK documents (and enforces) this limit; a longer "id" is
 * almost always a payload passed by mistake, and would bloat every rollup and URL it lands in.
 */
export const MAX_ID_LENGTH = 1024;

export const SESSION_KEYS = [
  "session.id", // OpenInference, Langfuse SDKs
  "gen_ai.conversation.id", // OpenTelemetry GenAI
  "langfuse.session.id", // Langfuse (older documented mapping)
  "traceloop.association.properties.session_id", // OpenLLMetry
  "ai.telemetry.metadata.sessionId", // Vercel AI SDK (as Langfuse reads it)
  "ai.settings.context.sessionId", // Vercel AI SDK 7: runtimeContext, with includeRuntimeContext
  "langfuse.trace.metadata.langfuse_session_id", // Langfuse via metadata (LangChain handler, ...)
  "langfuse.observation.metadata.langfuse_session_id",
] as const;

export const USER_KEYS = [
  "user.id",
  "enduser.id", // OpenTelemetry general conventions
  "langfuse.user.id",
  "traceloop.association.properties.user_id",
  "ai.telemetry.metadata.userId",
  "ai.settings.context.userId",
  "langfuse.trace.metadata.langfuse_user_id",
  "langfuse.observation.metadata.langfuse_user_id",
] as const;

/** Keys of the span's merged metadata (see tags-metadata.ts) that name the conversation, in order. */
export const METADATA_SESSION_KEYS = ["session_id", "thread_id", "conversation_id"] as const;
export const METADATA_USER_KEYS = ["user_id"] as const;

export function readSessionId(span: Attributes, resource: Attributes, metadata: Attributes = {}): string | null {
  return firstId(span, SESSION_KEYS) ?? firstId(metadata, METADATA_SESSION_KEYS) ?? firstId(resource, SESSION_KEYS);
}

export function readUserId(span: Attributes, resource: Attributes, metadata: Attributes = {}): string | null {
  return firstId(span, USER_KEYS) ?? firstId(metadata, METADATA_USER_KEYS) ?? firstId(resource, USER_KEYS);
}

/** The first usable id among `keys`: trimmed, non-empty, at most MAX_ID_LENGTH; numbers become strings. */
function firstId(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const id = stringValue(attributes[key]);
    if (id !== null && id.length <= MAX_ID_LENGTH) return id;
  }
  return null;
}
