// Tags (labels for filtering) and metadata (free-form key/values) from every convention that
// carries them. The scan has already collected the flattened `prefix.key` attributes.
import type { Attributes } from "../otlp/types.ts";
import { arrayValue, objectValue, stringValue } from "./attributes.ts";
import type { Entries, KeyScan } from "./scan.ts";

const TAG_KEYS = [
  "tag.tags", // OpenInference (a string array, or JSON text of one as its SDKs send it)
  "langfuse.trace.tags",
  "ai.telemetry.metadata.tags", // Vercel AI SDK, as Langfuse reads it
  "langfuse.trace.metadata.langfuse_tags", // Langfuse via metadata (LangChain handler, ...)
  "langfuse.observation.metadata.langfuse_tags",
];

/** Union of all tag sources, trimmed, empties dropped, first occurrence kept. */
export function readTags(attributes: Attributes): string[] {
  const tags = new Set<string>();
  for (const key of TAG_KEYS) {
    const value = attributes[key];
    if (value === undefined) continue;
    // A string that is not a JSON array is one tag.
    for (const item of arrayValue(value) ?? [value]) {
      const tag = stringValue(item);
      if (tag !== null) tags.add(tag);
    }
  }
  return [...tags];
}

/**
 * Keys that already became sessionId/userId/tags; repeating them in metadata would only duplicate
 * (the raw attributes keep them anyway).
 */
const LANGFUSE_USED = new Set(["langfuse_session_id", "langfuse_user_id", "langfuse_tags"]);
const TRACELOOP_USED = new Set(["session_id", "user_id"]);
const VERCEL_USED = new Set(["sessionId", "userId", "tags"]);

/**
 * Metadata merged from, in order (a later source overrides an earlier one on the same key):
 * Vercel `ai.telemetry.metadata.*`, OpenLLMetry `traceloop.association.properties.*`, Langfuse
 * trace then observation metadata (JSON object or flattened `.key`s, as Langfuse merges them),
 * then OpenInference `metadata` (JSON object) and flattened `metadata.*`. Flattened keys stay flat:
 * `metadata.a.b` becomes `{ "a.b": ... }`. Values are kept as sent (not JSON-parsed).
 */
export function readMetadata(attributes: Attributes, scan: KeyScan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  addEntries(out, scan.vercelMetadata, VERCEL_USED);
  addEntries(out, scan.traceloopProperties, TRACELOOP_USED);
  addObject(out, attributes["langfuse.trace.metadata"], LANGFUSE_USED);
  addEntries(out, scan.langfuseTraceMetadata, LANGFUSE_USED);
  addObject(out, attributes["langfuse.observation.metadata"], LANGFUSE_USED);
  addEntries(out, scan.langfuseObservationMetadata, LANGFUSE_USED);
  addObject(out, attributes["metadata"]);
  addEntries(out, scan.metadata);
  return out;
}

function addObject(out: Record<string, unknown>, value: unknown, skip?: Set<string>): void {
  if (value === undefined) return;
  const object = objectValue(value);
  if (object) addEntries(out, Object.entries(object), skip);
}

function addEntries(out: Record<string, unknown>, entries: Entries | null, skip?: Set<string>): void {
  if (!entries) return;
  for (const [key, value] of entries) {
    // `__proto__` would replace the object's prototype instead of adding a key.
    if (key === "" || key === "__proto__" || skip?.has(key) || value === undefined) continue;
    out[key] = value;
  }
}
