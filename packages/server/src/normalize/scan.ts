// One pass over a span's attribute keys. Most semantics are direct lookups, but flattened lists
// (`llm.input_messages.3.message.role`) and flattened maps (`metadata.channel`) can only be found
// by prefix; scanning the keys once here keeps every later rule O(its own keys).
import type { Attributes } from "../otlp/types.ts";

/** Index → (the key's rest after the index → value), e.g. 3 → { "message.role" → "user" }. */
export type Indexed = Map<number, Map<string, unknown>>;
/** Flattened map entries: [key after the prefix, value]. */
export type Entries = Array<[string, unknown]>;

export interface KeyScan {
  /** OpenInference `llm.input_messages.{i}.*` / `llm.output_messages.{i}.*`. */
  oiInput: Indexed | null;
  oiOutput: Indexed | null;
  /** OpenLLMetry (older GenAI) `gen_ai.prompt.{i}.*` / `gen_ai.completion.{i}.*`. */
  llPrompt: Indexed | null;
  llCompletion: Indexed | null;
  /** OpenInference flattened `metadata.*`. */
  metadata: Entries | null;
  langfuseTraceMetadata: Entries | null;
  langfuseObservationMetadata: Entries | null;
  traceloopProperties: Entries | null;
  vercelMetadata: Entries | null;
}

/**
 * Indexes past this are treated as malformed and ignored: no real span carries 100,000 messages,
 * and an index like 999999999 must not make us allocate or sort anything large.
 */
export const MAX_INDEX = 100_000;

const OI_INPUT = "llm.input_messages.";
const OI_OUTPUT = "llm.output_messages.";
const LF_TRACE_META = "langfuse.trace.metadata.";
const LF_OBS_META = "langfuse.observation.metadata.";
const LL_PROMPT = "gen_ai.prompt.";
const LL_COMPLETION = "gen_ai.completion.";
const OI_META = "metadata.";
const TL_PROPS = "traceloop.association.properties.";
const AI_META = "ai.telemetry.metadata.";

export function scanKeys(attributes: Attributes): KeyScan {
  const scan: KeyScan = {
    oiInput: null, oiOutput: null, llPrompt: null, llCompletion: null, metadata: null,
    langfuseTraceMetadata: null, langfuseObservationMetadata: null, traceloopProperties: null, vercelMetadata: null,
  };
  for (const key of Object.keys(attributes)) {
    // Dispatch on the first character so most keys cost one comparison.
    switch (key.charCodeAt(0)) {
      case 108: // l
        if (key.startsWith(OI_INPUT)) scan.oiInput = addIndexed(scan.oiInput, key, OI_INPUT.length, attributes[key]);
        else if (key.startsWith(OI_OUTPUT)) scan.oiOutput = addIndexed(scan.oiOutput, key, OI_OUTPUT.length, attributes[key]);
        else if (key.startsWith(LF_TRACE_META)) (scan.langfuseTraceMetadata ??= []).push([key.slice(LF_TRACE_META.length), attributes[key]]);
        else if (key.startsWith(LF_OBS_META)) (scan.langfuseObservationMetadata ??= []).push([key.slice(LF_OBS_META.length), attributes[key]]);
        break;
      case 103: // g
        if (key.startsWith(LL_PROMPT)) scan.llPrompt = addIndexed(scan.llPrompt, key, LL_PROMPT.length, attributes[key]);
        else if (key.startsWith(LL_COMPLETION)) scan.llCompletion = addIndexed(scan.llCompletion, key, LL_COMPLETION.length, attributes[key]);
        break;
      case 109: // m
        if (key.startsWith(OI_META)) (scan.metadata ??= []).push([key.slice(OI_META.length), attributes[key]]);
        break;
      case 116: // t
        if (key.startsWith(TL_PROPS)) (scan.traceloopProperties ??= []).push([key.slice(TL_PROPS.length), attributes[key]]);
        break;
      case 97: // a
        if (key.startsWith(AI_META)) (scan.vercelMetadata ??= []).push([key.slice(AI_META.length), attributes[key]]);
        break;
    }
  }
  return scan;
}

/**
 * Files `key` (whose index starts at `start`, e.g. `3.message.role`) under its index. Keys without
 * a plain decimal index (at most 6 digits, below MAX_INDEX) followed by a non-empty rest are ignored.
 */
export function addIndexed(target: Indexed | null, key: string, start: number, value: unknown): Indexed | null {
  let index = 0;
  let i = start;
  for (; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) break;
    index = index * 10 + (c - 48);
    if (index >= MAX_INDEX || i - start >= 6) return target;
  }
  if (i === start || i + 1 >= key.length || key.charCodeAt(i) !== 46 /* . */) return target;
  const map = target ?? new Map();
  let group = map.get(index);
  if (!group) map.set(index, (group = new Map()));
  group.set(key.slice(i + 1), value);
  return map;
}

/** The groups of an Indexed in index order. */
export function inOrder(indexed: Indexed): Array<Map<string, unknown>> {
  return [...indexed.keys()].sort((a, b) => a - b).map((index) => indexed.get(index)!);
}

/** Sub-lists inside one group, e.g. `message.tool_calls.{k}.tool_call.id` under prefix `message.tool_calls.`. */
export function subIndexed(group: Map<string, unknown>, prefix: string): Indexed | null {
  let out: Indexed | null = null;
  for (const [key, value] of group) {
    if (key.startsWith(prefix)) out = addIndexed(out, key, prefix.length, value);
  }
  return out;
}
