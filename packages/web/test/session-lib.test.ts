// The session page's pure helpers: idle gaps, tool names, span trees, previews.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConversationTurn, SpanView } from "../src/api/types.ts";
import { formatIdleGap, idleGapBefore, IDLE_GAP_MS, toolNamesById, visibleMessages } from "../src/lib/conversation.ts";
import { buildSpanTree, defaultSpanId, flattenSpanTree, traceFigures } from "../src/lib/spanTree.ts";
import { prettyJson, previewText } from "../src/lib/text.ts";
import { upsertAnnotation } from "../src/api/annotations.ts";

const turn = (startTime: string, durationMs: number, messages: ConversationTurn["messages"] = []): ConversationTurn => ({
  traceId: startTime,
  startTime,
  durationMs,
  status: "OK",
  tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  cost: { total: 0 },
  error: null,
  messages,
  annotations: [],
});

test("idle gaps count from the end of the previous turn and show past the threshold", () => {
  const a = turn("2026-01-01T10:00:00.000Z", 60_000);
  assert.equal(idleGapBefore(undefined, a), null);
  assert.equal(idleGapBefore(a, turn(new Date(Date.parse(a.startTime) + 60_000 + IDLE_GAP_MS).toISOString(), 1)), null);
  assert.equal(idleGapBefore(a, turn("2026-01-01T10:13:00.000Z", 1)), 12 * 60_000);
  assert.equal(formatIdleGap(12 * 60_000 + 20_000), "12 min later");
  assert.equal(formatIdleGap(2 * 3_600_000 + 5 * 60_000), "2 h 5 min later");
  assert.equal(formatIdleGap(3 * 86_400_000), "3 d later");
});

test("tool results find their tool's name by call id; system prompts hide unless asked", () => {
  const t = turn("2026-01-01T10:00:00.000Z", 1, [
    { role: "system", content: "be nice", spanId: null },
    { role: "user", content: "weather?", spanId: null },
    { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "get_weather", arguments: "{}" }], spanId: null },
    { role: "tool", content: "sunny", toolCallId: "c1", spanId: null },
  ]);
  assert.equal(toolNamesById([t]).get("c1"), "get_weather");
  assert.deepEqual(visibleMessages(t.messages, false).map((m) => m.role), ["user", "assistant", "tool"]);
  assert.equal(visibleMessages(t.messages, true).length, 4);
});

const span = (spanId: string, parentSpanId: string | null, startMs: number, durationMs: number, extra: Partial<SpanView> = {}): SpanView =>
  ({
    spanId,
    parentSpanId,
    name: spanId,
    kind: "INTERNAL",
    spanKind: null,
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(startMs + durationMs).toISOString(),
    durationMs,
    status: { code: "OK", message: null },
    tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    cost: { total: 0 },
    events: [],
    ...extra,
  }) as SpanView;

test("span trees: children in start order, orphans and cycles become roots without looping, collapse hides a subtree", () => {
  const spans = [
    span("root", null, 1000, 100),
    span("b", "root", 1050, 10),
    span("a", "root", 1010, 10),
    span("a1", "a", 1011, 2),
    span("orphan", "missing", 1200, 5),
    span("x", "y", 1300, 1),
    span("y", "x", 1301, 1),
  ];
  const tree = buildSpanTree(spans);
  assert.deepEqual(tree.roots.map((n) => n.span.spanId), ["root", "orphan", "x"]);
  assert.deepEqual(
    flattenSpanTree(tree.roots, new Set()).map((r) => `${r.depth}:${r.node.span.spanId}`),
    ["0:root", "1:a", "2:a1", "1:b", "0:orphan", "0:x", "1:y"],
  );
  assert.deepEqual(flattenSpanTree(tree.roots, new Set(["a"])).map((r) => r.node.span.spanId), ["root", "a", "b", "orphan", "x", "y"]);
  assert.equal(tree.startMs, 1000);
  assert.equal(tree.endMs, 1302);
});

test("the failing span is shown first; figures count LLM spans' tokens once", () => {
  const spans = [
    span("root", null, 0, 10, { status: { code: "ERROR", message: null }, tokens: { prompt: 5, completion: 5, total: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 } }),
    span("llm", "root", 1, 5, { spanKind: "LLM", status: { code: "ERROR", message: "rate limited" }, tokens: { prompt: 5, completion: 5, total: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 } }),
  ];
  assert.equal(defaultSpanId(buildSpanTree(spans), spans), "llm");
  const figures = traceFigures(spans);
  assert.deepEqual([figures.tokens.total, figures.llmCount, figures.errorCount], [10, 1, 2]);
});

test("previews cut by characters or lines; JSON is indented only when it is JSON", () => {
  assert.deepEqual(previewText("a\nb\nc\nd", 100, 2), { text: "a\nb", truncated: true });
  assert.deepEqual(previewText("abcdef", 3, 10), { text: "abc", truncated: true });
  assert.deepEqual(previewText("short", 100, 10), { text: "short", truncated: false });
  assert.equal(prettyJson('{"a":[1,2]}'), '{\n  "a": [\n    1,\n    2\n  ]\n}');
  assert.equal(prettyJson("{not json"), null);
  assert.equal(prettyJson("plain"), null);
});

test("an annotation replaces the one with its id or its name and identifier, in place", () => {
  const base = { target: { type: "trace" as const, traceId: "t" }, label: null, score: null, explanation: null, annotatorKind: "HUMAN" as const, identifier: "", metadata: null, createdAt: "", updatedAt: "" };
  const list = [
    { ...base, id: "1", name: "thumbs", label: "up" },
    { ...base, id: "2", name: "quality", score: 1 },
  ];
  assert.deepEqual(upsertAnnotation(list, { ...base, id: "3", name: "thumbs", label: "down" }).map((a) => `${a.id}:${a.label ?? a.score}`), ["3:down", "2:1"]);
  assert.deepEqual(upsertAnnotation(list, null, "1").map((a) => a.id), ["2"]);
  assert.deepEqual(upsertAnnotation(list, { ...base, id: "4", name: "tone" }).map((a) => a.id), ["1", "2", "4"]);
});
