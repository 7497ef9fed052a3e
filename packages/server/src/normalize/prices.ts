// Turns token counts into USD with a per-model price table, for spans that report no cost.
import { readFileSync } from "node:fs";

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface Usage {
  prompt: number;
  completion: number;
  cacheRead: number;
  cacheWrite: number;
}

export class PriceTable {
  readonly #prices = new Map<string, ModelPrice>();
  /** Longest names first, so "gpt-4o-mini-2024-07-18" matches gpt-4o-mini before gpt-4o. */
  #byLength: string[] = [];

  constructor(models: Record<string, ModelPrice> = {}) {
    this.add(models);
  }

  static fromFile(path: string): PriceTable {
    return new PriceTable(readPriceFile(path));
  }

  add(models: Record<string, ModelPrice>): void {
    for (const [name, price] of Object.entries(models)) this.#prices.set(name.toLowerCase(), price);
    this.#byLength = [...this.#prices.keys()].sort((a, b) => b.length - a.length);
  }

  lookup(model: string): ModelPrice | undefined {
    const name = model.toLowerCase().replace(/^(models\/|openai\/|anthropic\/|google\/)/, "");
    return this.#prices.get(name) ?? this.#prices.get(this.#byLength.find((known) => name.startsWith(known)) ?? "");
  }

  /** USD for the usage, or null when the model is unknown. Cached prompt tokens are billed at the cache price. */
  cost(model: string, usage: Usage): number | null {
    const price = this.lookup(model);
    if (!price) return null;
    const cached = Math.min(usage.cacheRead, usage.prompt);
    const uncached = usage.prompt - cached;
    const usd =
      uncached * price.input +
      cached * (price.cacheRead ?? price.input) +
      usage.cacheWrite * (price.cacheWrite ?? 0) +
      usage.completion * price.output;
    return usd / 1_000_000;
  }
}

export function readPriceFile(path: string): Record<string, ModelPrice> {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { models?: Record<string, ModelPrice> };
  if (!parsed.models || typeof parsed.models !== "object") throw new Error(`${path}: expected { "models": { name: { input, output } } }`);
  return parsed.models;
}

export const BUILTIN_PRICES = new URL("../../data/model-prices.json", import.meta.url).pathname;
