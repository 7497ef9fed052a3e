// Model, token usage and cost, from whichever convention reports them. Each count takes the first
// key that holds a number, in the order the lists below give (most specific convention first).
import type { Attributes } from "../otlp/types.ts";
import type { Tokens } from "../store/records.ts";
import { firstNumber, firstString, isRecord, numberValue, objectValue, type Json } from "./attributes.ts";
import type { PriceTable } from "./prices.ts";

const MODEL_KEYS = [
  "llm.model_name", // OpenInference
  "embedding.model_name", // OpenInference embedding spans
  "langfuse.observation.model.name", // set explicitly by Langfuse SDK users
  "gen_ai.response.model", // the model that answered (often a dated version: better price match)
  "gen_ai.request.model",
  "ai.response.model", // Vercel AI SDK
  "ai.model.id",
];

// Cache reads/writes are part of the prompt count and reasoning part of the completion count in
// all of these (OpenInference, GenAI, OpenLLMetry, Vercel).
const PROMPT_KEYS = ["llm.token_count.prompt", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "ai.usage.inputTokens", "ai.usage.promptTokens", "ai.usage.tokens"];
const COMPLETION_KEYS = ["llm.token_count.completion", "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "ai.usage.outputTokens", "ai.usage.completionTokens"];
const TOTAL_KEYS = ["llm.token_count.total", "gen_ai.usage.total_tokens", "llm.usage.total_tokens", "ai.usage.totalTokens"];
const CACHE_READ_KEYS = [
  "llm.token_count.prompt_details.cache_read",
  "gen_ai.usage.cache_read.input_tokens", // GenAI (current)
  "gen_ai.usage.cache_read_input_tokens", // OpenLLMetry (Anthropic, Bedrock)
  "ai.usage.inputTokenDetails.cacheReadTokens", // AI SDK 6
  "ai.usage.cachedInputTokens",
];
const CACHE_WRITE_KEYS = [
  "llm.token_count.prompt_details.cache_write",
  "gen_ai.usage.cache_creation.input_tokens",
  "gen_ai.usage.cache_creation_input_tokens",
  "ai.usage.inputTokenDetails.cacheWriteTokens",
];
const REASONING_KEYS = [
  "llm.token_count.completion_details.reasoning",
  "gen_ai.usage.reasoning.output_tokens",
  "gen_ai.usage.reasoning_tokens",
  "llm.usage.reasoning_tokens",
  "ai.usage.outputTokenDetails.reasoningTokens",
  "ai.usage.reasoningTokens",
];

export const ZERO_TOKENS: Readonly<Tokens> = Object.freeze({ prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

export function readModel(attributes: Attributes): string | null {
  return firstString(attributes, MODEL_KEYS);
}

/**
 * Counts past these are garbage (a fuzzer's 1e308, a unit mix-up), read as absent: they would
 * overflow the stores' 64-bit sums, and ClickHouse's integer columns refuse 1.5 or 1e308.
 */
const MAX_TOKENS = 1e12;
const MAX_COST_USD = 1e9;

/** Each count a whole number of tokens, or 0 when it is past any real one. */
function wholeTokens(tokens: Tokens): Tokens {
  const whole = (n: number) => (n <= MAX_TOKENS ? Math.round(n) : 0);
  return {
    prompt: whole(tokens.prompt), completion: whole(tokens.completion), total: whole(tokens.total),
    cacheRead: whole(tokens.cacheRead), cacheWrite: whole(tokens.cacheWrite), reasoning: whole(tokens.reasoning),
  };
}

export function readTokens(attributes: Attributes): Tokens {
  return wholeTokens(reportedTokens(attributes));
}

function reportedTokens(attributes: Attributes): Tokens {
  const prompt = firstNumber(attributes, PROMPT_KEYS);
  const completion = firstNumber(attributes, COMPLETION_KEYS);
  const total = firstNumber(attributes, TOTAL_KEYS);
  // Langfuse SDK spans carry their usage only as JSON; parse it only when nothing else is there.
  if (prompt === null && completion === null && total === null) {
    const details = objectValue(attributes["langfuse.observation.usage_details"]);
    if (details) return langfuseTokens(details);
  }
  return {
    prompt: prompt ?? 0,
    completion: completion ?? 0,
    total: total ?? (prompt ?? 0) + (completion ?? 0),
    cacheRead: firstNumber(attributes, CACHE_READ_KEYS) ?? 0,
    cacheWrite: firstNumber(attributes, CACHE_WRITE_KEYS) ?? 0,
    reasoning: firstNumber(attributes, REASONING_KEYS) ?? 0,
  };
}

/**
 * `langfuse.observation.usage_details` holds either Langfuse's own keys ({input, output, total,
 * cache_read_input_tokens, ...}) or a provider's raw usage (OpenAI's {prompt_tokens,
 * prompt_tokens_details: {cached_tokens}}, Anthropic's {input_tokens, cache_read_input_tokens}).
 * Langfuse sums all keys when no total is given, so its top-level cache and `output_*` keys are
 * disjoint from input/output: they are added back so that, as everywhere else, the prompt count
 * includes cached tokens. Nested provider details are already part of the counts.
 */
function langfuseTokens(d: Json): Tokens {
  const pick = (o: unknown, keys: string[]) => {
    if (!isRecord(o)) return null;
    for (const key of keys) {
      const n = numberValue(o[key]);
      if (n !== null) return n;
    }
    return null;
  };
  const topCacheRead = pick(d, ["cache_read_input_tokens", "input_cached_tokens", "input_cache_read"]);
  const topCacheWrite = pick(d, ["cache_creation_input_tokens", "input_cache_creation", "input_cache_write"]);
  const topReasoning = pick(d, ["output_reasoning_tokens", "output_reasoning"]);
  const basePrompt = pick(d, ["input", "prompt_tokens", "input_tokens", "promptTokens", "inputTokens"]) ?? 0;
  const baseCompletion = pick(d, ["output", "completion_tokens", "output_tokens", "completionTokens", "outputTokens"]) ?? 0;
  const prompt = basePrompt + (topCacheRead ?? 0) + (topCacheWrite ?? 0);
  const completion = baseCompletion + (topReasoning ?? 0);
  return {
    prompt,
    completion,
    total: pick(d, ["total", "total_tokens", "totalTokens"]) ?? prompt + completion,
    cacheRead: topCacheRead ?? pick(d.prompt_tokens_details, ["cached_tokens"]) ?? pick(d.input_tokens_details, ["cached_tokens"]) ?? 0,
    cacheWrite: topCacheWrite ?? 0,
    reasoning: topReasoning ?? pick(d.completion_tokens_details, ["reasoning_tokens"]) ?? pick(d.output_tokens_details, ["reasoning_tokens"]) ?? 0,
  };
}

/**
 * USD the span cost: what the producer reported (OpenInference `llm.cost.total`, `gen_ai.usage.cost`
 * as Langfuse maps it, Langfuse's `cost_details`), else the price table's estimate, else 0.
 */
export function readCost(attributes: Attributes, model: string | null, tokens: Tokens, prices: PriceTable): number {
  const reported = firstNumber(attributes, ["llm.cost.total", "gen_ai.usage.cost"]) ?? langfuseCost(attributes["langfuse.observation.cost_details"]);
  if (reported !== null) return reported <= MAX_COST_USD ? reported : 0;
  if (!model || tokens.total <= 0) return 0;
  const estimate = prices.cost(model, tokens);
  return estimate !== null && Number.isFinite(estimate) ? estimate : 0;
}

/** Langfuse cost details: {input, output, total}; without a total, the sum of the parts. */
function langfuseCost(value: unknown): number | null {
  if (value === undefined) return null;
  const details = objectValue(value);
  if (!details) return null;
  const total = numberValue(details.total);
  if (total !== null) return total;
  let sum: number | null = null;
  for (const part of Object.values(details)) {
    const n = numberValue(part);
    if (n !== null) sum = (sum ?? 0) + n;
  }
  return sum;
}
