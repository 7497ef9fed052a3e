// What a batch of span writes changes in session and user rollups, as deltas. Pure; stores
// apply them with additive upserts, so a write never re-reads a session's other traces.
import type { Tokens, TraceRollup } from "./records.ts";
import { addTokens } from "./rollup.ts";

export interface Delta {
  traceCount: number;
  spanCount: number;
  errorCount: number;
  llmCount: number;
  tokens: Tokens;
  cost: number;
  startUs: number;
  endUs: number;
  /** The earliest trace's input seen in this batch, with that trace's start. */
  firstInput: { us: number; text: string } | null;
  /** The latest trace's output seen in this batch, with that trace's end. */
  lastOutput: { us: number; text: string } | null;
  users: Set<string>;
  tags: Set<string>;
  models: Set<string>;
  /** New metadata pairs, as `key\u0000value`. */
  metadata: Set<string>;
}

export const pairKey = ([key, value]: [string, string]) => `${key}\u0000${value}`;

/**
 * How one trace's change (before → after) moves the totals of the session or user it belongs to.
 * A trace that had none before joins with everything it has; one that stays adds the difference.
 */
export function traceDelta(before: TraceRollup | null, after: TraceRollup): Delta {
  const b = before;
  return {
    traceCount: b ? 0 : 1,
    spanCount: after.spanCount - (b?.spanCount ?? 0),
    errorCount: after.errorCount - (b?.errorCount ?? 0),
    llmCount: after.llmCount - (b?.llmCount ?? 0),
    tokens: b ? addTokens(after.tokens, b.tokens, -1) : { ...after.tokens },
    cost: after.cost - (b?.cost ?? 0),
    startUs: after.startUs,
    endUs: after.endUs,
    firstInput: after.input != null ? { us: after.startUs, text: after.input } : null,
    lastOutput: after.output != null ? { us: after.endUs, text: after.output } : null,
    users: new Set(after.userId != null && after.userId !== b?.userId ? [after.userId] : []),
    tags: new Set(after.tags.filter((tag) => !b?.tags.includes(tag))),
    models: new Set(after.models.filter((model) => !b?.models.includes(model))),
    metadata: new Set(after.metadata.map(pairKey).filter((pair) => !b?.metadata.some((old) => pairKey(old) === pair))),
  };
}

/**
 * What a trace's change asks of one dimension (its session, or its user): a delta against
 * what was counted before, or a recount when the trace left one session (user) for another,
 * since totals like first start or distinct users cannot be subtracted.
 */
export function changeFor(
  before: TraceRollup | null,
  after: TraceRollup,
  dimension: "sessionId" | "userId",
): { delta: Delta | null; recount: string[] } {
  const was = before?.[dimension] ?? null;
  const is = after[dimension];
  if (was != null && was !== is) return { delta: null, recount: is == null ? [was] : [was, is] };
  if (is == null) return { delta: null, recount: [] };
  // Joined now (nothing counted it before), or stayed (count the difference).
  return { delta: traceDelta(was == null ? null : before, after), recount: [] };
}

export function mergeDelta(into: Delta | undefined, d: Delta): Delta {
  if (!into) return d;
  into.traceCount += d.traceCount;
  into.spanCount += d.spanCount;
  into.errorCount += d.errorCount;
  into.llmCount += d.llmCount;
  into.tokens = addTokens(into.tokens, d.tokens);
  into.cost += d.cost;
  into.startUs = Math.min(into.startUs, d.startUs);
  into.endUs = Math.max(into.endUs, d.endUs);
  if (d.firstInput && (!into.firstInput || d.firstInput.us <= into.firstInput.us)) into.firstInput = d.firstInput;
  if (d.lastOutput && (!into.lastOutput || d.lastOutput.us >= into.lastOutput.us)) into.lastOutput = d.lastOutput;
  for (const user of d.users) into.users.add(user);
  for (const tag of d.tags) into.tags.add(tag);
  for (const model of d.models) into.models.add(model);
  for (const pair of d.metadata) into.metadata.add(pair);
  return into;
}
