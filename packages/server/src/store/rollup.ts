// How a trace is summarized from its spans, one span at a time. Pure, so every store rolls up
// the same way, and incremental: a span that arrives minutes later is merged into the stored
// rollup without reading the trace's other spans again.
import { STATUS_ERROR, STATUS_UNSET, type SpanRecord, type Tokens, type TraceRollup } from "./records.ts";

/** The span fields a trace rollup needs, with its metadata as the pairs the filter indexes. */
export type RollupSpan = Pick<
  SpanRecord,
  | "project" | "traceId" | "spanId" | "parentSpanId" | "name" | "spanKind" | "startUs" | "endUs" | "statusCode"
  | "sessionId" | "userId" | "model" | "input" | "output" | "tokens" | "cost" | "tags"
> & { metadata: Array<[string, string]> };

/**
 * A trace's and a session's input and output are kept as previews of this many characters (the
 * lists show a line of them); the whole text stays in the spans. Traces were a third of the disk.
 */
export const PREVIEW_CHARS = 500;

/** The text, cut to PREVIEW_CHARS with an ellipsis (never inside a surrogate pair). */
export function preview(text: string): string {
  if (text.length <= PREVIEW_CHARS) return text;
  let end = PREVIEW_CHARS - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Metadata values longer than this are not indexed for the metadata filter. */
export const METADATA_VALUE_CHARS = 200;
/** At most this many metadata pairs of a trace are indexed. */
export const METADATA_PAIRS = 32;

/** A metadata value as the filter compares it: strings as they are, anything else as JSON. */
const metadataText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value) ?? "null");

/** The span's top-level metadata pairs that the filter can find. */
export function metadataPairs(metadata: Record<string, unknown>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(metadata)) {
    const text = metadataText(value);
    if (text.length <= METADATA_VALUE_CHARS) pairs.push([key, text]);
    if (pairs.length === METADATA_PAIRS) break;
  }
  return pairs;
}

/**
 * Which span a chosen value came from: the root span beats every other; among the others the
 * earliest start wins (for `output`, the latest end), then the smaller span id, so the result
 * does not depend on arrival order.
 */
export interface Choice {
  root: boolean;
  us: number;
  spanId: string;
}

export interface TracePicks {
  name: Choice | null;
  session: Choice | null;
  user: Choice | null;
  input: Choice | null;
  output: Choice | null;
  /** The root span's own status, once the root has arrived. */
  rootStatus: number | null;
}

export const ZERO_TOKENS: Tokens = { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };

export function addTokens(a: Tokens, b: Tokens, sign = 1): Tokens {
  return {
    prompt: a.prompt + sign * b.prompt,
    completion: a.completion + sign * b.completion,
    total: a.total + sign * b.total,
    cacheRead: a.cacheRead + sign * b.cacheRead,
    cacheWrite: a.cacheWrite + sign * b.cacheWrite,
    reasoning: a.reasoning + sign * b.reasoning,
  };
}

/** True when `candidate` should replace `current`. */
function beats(candidate: Choice, current: Choice | null, latest = false): boolean {
  if (!current) return true;
  if (candidate.root !== current.root) return candidate.root;
  if (candidate.us !== current.us) return latest ? candidate.us > current.us : candidate.us < current.us;
  return candidate.spanId < current.spanId;
}

/**
 * Merges one newly stored span into its trace's rollup (null for a trace seen for the first
 * time). A trace belongs to the session its root span names; until the root arrives (or when it
 * names none), to the earliest span's that does. Every span counts toward the totals.
 */
export function addSpan(trace: TraceRollup | null, picks: TracePicks | null, span: RollupSpan): { trace: TraceRollup; picks: TracePicks } {
  const isRoot = span.parentSpanId == null;
  const p: TracePicks = picks ? { ...picks } : { name: null, session: null, user: null, input: null, output: null, rootStatus: null };
  const t: TraceRollup = trace
    ? { ...trace, tokens: { ...trace.tokens }, tags: [...trace.tags], models: [...trace.models], metadata: [...trace.metadata] }
    : {
        project: span.project, traceId: span.traceId, sessionId: null, userId: null, rootSpanName: null,
        startUs: span.startUs, endUs: span.endUs, spanCount: 0, errorCount: 0, llmCount: 0, statusCode: STATUS_UNSET,
        input: null, output: null, tokens: { ...ZERO_TOKENS }, cost: 0, tags: [], models: [], metadata: [],
      };
  const early: Choice = { root: isRoot, us: span.startUs, spanId: span.spanId };
  const late: Choice = { root: isRoot, us: span.endUs, spanId: span.spanId };

  if (beats(early, p.name)) [p.name, t.rootSpanName] = [early, span.name];
  if (span.sessionId != null && beats(early, p.session)) [p.session, t.sessionId] = [early, span.sessionId];
  if (span.userId != null && beats(early, p.user)) [p.user, t.userId] = [early, span.userId];
  if (span.input != null && beats(early, p.input)) [p.input, t.input] = [early, preview(span.input)];
  if (span.output != null && beats(late, p.output, true)) [p.output, t.output] = [late, preview(span.output)];
  if (isRoot) p.rootStatus = span.statusCode;

  t.startUs = Math.min(t.startUs, span.startUs);
  t.endUs = Math.max(t.endUs, span.endUs);
  t.spanCount++;
  if (span.statusCode === STATUS_ERROR) t.errorCount++;
  if (span.spanKind === "LLM") t.llmCount++;
  t.statusCode = t.errorCount > 0 ? STATUS_ERROR : (p.rootStatus ?? STATUS_UNSET);
  t.tokens = addTokens(t.tokens, span.tokens);
  t.cost += span.cost;
  for (const tag of span.tags) if (!t.tags.includes(tag)) t.tags.push(tag);
  if (span.model && !t.models.includes(span.model)) t.models.push(span.model);
  for (const pair of span.metadata) {
    if (t.metadata.length < METADATA_PAIRS && !t.metadata.some(([k, v]) => k === pair[0] && v === pair[1])) t.metadata.push(pair);
  }
  return { trace: t, picks: p };
}

