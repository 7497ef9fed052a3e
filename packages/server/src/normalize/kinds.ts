// What kind of step a span is, in OpenInference's vocabulary (LLM, CHAIN, TOOL, AGENT, RETRIEVER,
// EMBEDDING, RERANKER, GUARDRAIL, EVALUATOR), read from whichever convention names it; and whether
// the span is a wrapper that repeats its children's usage.
import type { Attributes } from "../otlp/types.ts";

export type SpanKind = "LLM" | "CHAIN" | "TOOL" | "AGENT" | "RETRIEVER" | "EMBEDDING" | "RERANKER" | "GUARDRAIL" | "EVALUATOR";

const OPENINFERENCE: Record<string, SpanKind> = {
  LLM: "LLM", CHAIN: "CHAIN", TOOL: "TOOL", AGENT: "AGENT", RETRIEVER: "RETRIEVER", EMBEDDING: "EMBEDDING",
  RERANKER: "RERANKER", GUARDRAIL: "GUARDRAIL", EVALUATOR: "EVALUATOR",
  // Newer OpenInference kinds outside our vocabulary are steps of the application.
  PROMPT: "CHAIN", DECISION: "CHAIN",
};

/** Langfuse `langfuse.observation.type`; a plain `span` is a generic step; `event` is no operation. */
const LANGFUSE: Record<string, SpanKind> = {
  generation: "LLM", embedding: "EMBEDDING", agent: "AGENT", tool: "TOOL", chain: "CHAIN", retriever: "RETRIEVER",
  evaluator: "EVALUATOR", guardrail: "GUARDRAIL", span: "CHAIN",
};

/** OpenLLMetry `traceloop.span.kind`, set by its @workflow/@task/@agent/@tool decorators. */
const TRACELOOP: Record<string, SpanKind> = { workflow: "CHAIN", task: "CHAIN", agent: "AGENT", tool: "TOOL" };

/** OpenTelemetry GenAI `gen_ai.operation.name` (plus Semantic Kernel's older dotted names). */
const GENAI: Record<string, SpanKind> = {
  chat: "LLM", text_completion: "LLM", generate_content: "LLM", embeddings: "EMBEDDING", execute_tool: "TOOL",
  invoke_agent: "AGENT", create_agent: "AGENT", invoke_workflow: "CHAIN", retrieval: "RETRIEVER",
  "chat.completions": "LLM", "text.completions": "LLM",
};

/** OpenLLMetry `llm.request.type`. */
const REQUEST_TYPE: Record<string, SpanKind> = { chat: "LLM", completion: "LLM", embedding: "EMBEDDING", rerank: "RERANKER" };

/**
 * Vercel AI SDK functions whose span wraps provider calls (`ai.generateText` over
 * `ai.generateText.doGenerate`, ...). They report the summed usage of their children again.
 */
const VERCEL_WRAPPERS = new Set([
  "ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject", "ai.embed", "ai.embedMany",
]);

function lookup(table: Record<string, SpanKind>, value: unknown, lower = true): SpanKind | null {
  if (typeof value !== "string") return null;
  const key = lower ? value.trim().toLowerCase() : value.trim().toUpperCase();
  return Object.hasOwn(table, key) ? table[key] : null;
}

export function readSpanKind(attributes: Attributes, spanName: unknown): SpanKind | null {
  return (
    lookup(OPENINFERENCE, attributes["openinference.span.kind"], false) ??
    lookup(LANGFUSE, attributes["langfuse.observation.type"]) ??
    lookup(TRACELOOP, attributes["traceloop.span.kind"]) ??
    lookup(GENAI, attributes["gen_ai.operation.name"]) ??
    lookup(REQUEST_TYPE, attributes["llm.request.type"]) ??
    vercelKind(vercelOperation(attributes, spanName))
  );
}

/** The Vercel AI SDK operation (`ai.operationId`, else a span name starting with `ai.`), or null. */
function vercelOperation(attributes: Attributes, spanName: unknown): string | null {
  const id = attributes["ai.operationId"];
  if (typeof id === "string") return id;
  return typeof spanName === "string" && spanName.startsWith("ai.") ? spanName : null;
}

function vercelKind(operation: string | null): SpanKind | null {
  if (!operation) return null;
  if (operation === "ai.toolCall") return "TOOL";
  if (operation.endsWith(".doEmbed")) return "EMBEDDING";
  if (operation.endsWith(".doGenerate") || operation.endsWith(".doStream")) return "LLM";
  if (VERCEL_WRAPPERS.has(operation)) return "CHAIN";
  return null;
}

/**
 * True for spans whose token counts repeat their children's: tokens and cost are what a span
 * itself consumed, so rollups can add spans up without counting a call twice.
 */
export function isUsageWrapper(attributes: Attributes, spanName: unknown, scopeName = ""): boolean {
  const operation = vercelOperation(attributes, spanName);
  if (operation !== null && VERCEL_WRAPPERS.has(operation)) return true;
  // AI SDK 7 (@ai-sdk/otel, tracer "gen_ai"): its invoke_agent root carries the summed usage of
  // the chat calls under it, which carry theirs too.
  return scopeName === AI_SDK_SCOPE && attributes["gen_ai.operation.name"] === "invoke_agent";
}

/** The tracer name of AI SDK 7's OpenTelemetry integration. */
const AI_SDK_SCOPE = "gen_ai";
