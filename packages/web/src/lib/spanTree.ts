// A trace's spans as a tree (by parentSpanId), flattened into the rows of the waterfall.
import type { SpanView } from "../api/types.ts";

export interface SpanNode {
  span: SpanView;
  children: SpanNode[];
  /** Start and end in epoch milliseconds (sub-millisecond durations kept). */
  startMs: number;
  endMs: number;
}

export interface SpanRow {
  node: SpanNode;
  depth: number;
}

export interface SpanTree {
  roots: SpanNode[];
  byId: Map<string, SpanNode>;
  startMs: number;
  endMs: number;
}

const byStart = (a: SpanNode, b: SpanNode) => a.startMs - b.startMs || a.span.name.localeCompare(b.span.name);

/** Spans whose parent is missing from the trace (not exported, or still in flight) become roots. */
export function buildSpanTree(spans: SpanView[]): SpanTree {
  const byId = new Map<string, SpanNode>();
  for (const span of spans) {
    const startMs = Date.parse(span.startTime);
    byId.set(span.spanId, { span, children: [], startMs, endMs: startMs + Math.max(0, span.durationMs) });
  }
  const roots: SpanNode[] = [];
  for (const node of byId.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId && parentId !== node.span.spanId ? byId.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const node of byId.values()) {
    node.children.sort(byStart);
    startMs = Math.min(startMs, node.startMs);
    endMs = Math.max(endMs, node.endMs);
  }
  roots.sort(byStart);
  // Spans in a parent cycle (bad data) are reachable from no root: the earliest of each cycle becomes one.
  const reached = new Set<string>();
  const reach = (from: SpanNode) => {
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (reached.has(node.span.spanId)) continue;
      reached.add(node.span.spanId);
      stack.push(...node.children);
    }
  };
  roots.forEach(reach);
  if (reached.size < byId.size) {
    for (const node of [...byId.values()].sort(byStart)) {
      if (reached.has(node.span.spanId)) continue;
      roots.push(node);
      reach(node);
    }
  }
  if (!Number.isFinite(startMs)) startMs = endMs = 0;
  return { roots, byId, startMs, endMs };
}

/** Depth-first rows, skipping the children of collapsed spans. Iterative: deep traces do not overflow the stack. */
export function flattenSpanTree(roots: SpanNode[], collapsed: ReadonlySet<string>): SpanRow[] {
  const rows: SpanRow[] = [];
  const stack: SpanRow[] = roots.map((node) => ({ node, depth: 0 })).reverse();
  const seen = new Set<string>();
  while (stack.length > 0) {
    const row = stack.pop()!;
    if (seen.has(row.node.span.spanId)) continue; // a parent cycle in bad data
    seen.add(row.node.span.spanId);
    rows.push(row);
    if (collapsed.has(row.node.span.spanId)) continue;
    for (let i = row.node.children.length - 1; i >= 0; i--) stack.push({ node: row.node.children[i]!, depth: row.depth + 1 });
  }
  return rows;
}

/** The span to show first: the deepest failed span with a message, else the root. */
export function defaultSpanId(tree: SpanTree, spans: SpanView[]): string | null {
  const failed = spans
    .filter((span) => span.status.code === "ERROR")
    .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime));
  const withMessage = failed.find((span) => span.status.message) ?? failed[0];
  if (withMessage) return withMessage.spanId;
  return tree.roots[0]?.span.spanId ?? null;
}

/** Summed figures of a trace. Tokens and cost come from LLM spans only, so wrappers that repeat them are not counted twice. */
export function traceFigures(spans: SpanView[]) {
  const llm = spans.filter((span) => span.spanKind === "LLM");
  const counted = llm.length > 0 ? llm : spans;
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let cost = 0;
  for (const span of counted) {
    prompt += span.tokens.prompt;
    completion += span.tokens.completion;
    total += span.tokens.total;
    cost += span.cost.total;
  }
  return {
    spanCount: spans.length,
    llmCount: llm.length,
    errorCount: spans.filter((span) => span.status.code === "ERROR").length,
    tokens: { prompt, completion, total },
    cost,
  };
}
