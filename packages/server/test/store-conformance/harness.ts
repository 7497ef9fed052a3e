// Runs a file's checks against every registered store, then checks that the stores agree.
//
// A check asks a store something (it may write first) and returns the answer; the harness
// normalizes it (normalize below, the only liberties taken), records it, and hands it to the
// check's expectation, computed from the fixture. Once every store has answered, "stores agree"
// compares each store's answers with the first store's, check by check.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { missing, STORES as REGISTERED, type StoreMethod } from "./stores.ts";

/** THREADLINE_CONFORMANCE_STORES=sqlite,clickhouse-chdb runs only those (default: every registered store). */
const only = process.env.THREADLINE_CONFORMANCE_STORES?.split(",").map((name) => name.trim()).filter(Boolean);
const STORES = only ? REGISTERED.filter((factory) => only.includes(factory.name)) : REGISTERED;

/** A store still being built may refuse part of a method (a filter it lacks) with this in its message: the check is skipped, saying so. */
const NOT_YET = /not implemented yet/i;

export interface Step {
  /** The store methods it calls: a store lacking one skips it, and every check of the file. */
  uses: StoreMethod[];
  run(store: Store): Promise<void>;
}

export interface CheckOptions {
  /** Marks a check that fails on a store that should pass it: the reason (node:test `todo`). */
  todo?: string;
}

export type Define = <T>(
  name: string,
  uses: StoreMethod[],
  ask: (store: Store) => Promise<T>,
  expect: (answer: T) => void,
  options?: CheckOptions,
) => void;

interface Check {
  name: string;
  uses: StoreMethod[];
  ask: (store: Store) => Promise<unknown>;
  expect: (answer: unknown) => void;
  options: CheckOptions;
}

/**
 * What a comparison ignores, and nothing else:
 * - sets kept as arrays (a rollup's `userIds`, `tags`, `models` and metadata pairs) in sorted order,
 *   since arrival order (and a recount) decides theirs;
 * - numbers that are not integers to 12 significant digits (a sum of floats depends on its order);
 * - Maps as objects, and properties that are undefined as absent.
 */
export function normalize(value: unknown, key = ""): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (value instanceof Map) return normalize(Object.fromEntries([...value].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))), key);
  if (Array.isArray(value)) {
    const items = value.map((item) => normalize(item));
    if (SETS.has(key)) return items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    return items;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalize(v, k)]));
  }
  return value;
}
const SETS = new Set(["userIds", "tags", "models", "metadata"]);

/** deepEqual after normalizing both sides. */
export function same(actual: unknown, expected: unknown, message?: string): void {
  assert.deepEqual(normalize(actual), normalize(expected), message);
}

/**
 * Declares a file's checks. `prepare` steps run once per store, in order, before its checks;
 * `define` registers the checks (in order: a check may build on what the previous ones wrote).
 */
export function conformance(title: string, prepare: Step[], define: (check: Define) => void): void {
  const checks: Check[] = [];
  define((name, uses, ask, expect, options = {}) => {
    checks.push({ name, uses, ask, expect: expect as (answer: unknown) => void, options });
  });
  const needed = prepare.flatMap((step) => step.uses);
  const answers = new Map<string, Map<string, unknown>>(checks.map((c) => [c.name, new Map()]));

  describe(title, () => {
    for (const factory of STORES) {
      describe(factory.name, () => {
        let dir = "";
        let store: Store | null = null;
        // Bounded, so a store that hangs fails its checks instead of holding the run forever.
        before(async () => {
          dir = await mkdtemp(join(tmpdir(), "threadline-conformance-"));
          store = await factory.open(dir);
          for (const step of prepare) if (missing(factory, step.uses).length === 0) await step.run(store);
        }, { timeout: 120_000 });
        after(async () => {
          await store?.close();
          await rm(dir, { recursive: true, force: true });
        });
        for (const check of checks) {
          const lacking = missing(factory, [...new Set([...needed, ...check.uses])]);
          const skip = lacking.length ? `${factory.name} does not implement ${lacking.join(", ")} yet` : false;
          test(check.name, { skip, todo: check.options.todo, timeout: 60_000 }, async (t) => {
            let answer: unknown;
            try {
              answer = await check.ask(store!);
            } catch (error) {
              if (error instanceof Error && NOT_YET.test(error.message)) return t.skip(`${factory.name}: ${error.message}`);
              throw error;
            }
            answers.get(check.name)!.set(factory.name, normalize(answer));
            check.expect(answer);
          });
        }
      });
    }
    describe("stores agree", () => {
      for (const check of checks) {
        const skip = STORES.length < 2 ? "one store registered" : false;
        test(check.name, { skip }, (t) => {
          const given = [...answers.get(check.name)!];
          if (given.length < 2) return t.skip(`${given.length} store(s) answered`);
          const [firstName, first] = given[0];
          for (const [name, answer] of given.slice(1)) assert.deepEqual(answer, first, `${name} and ${firstName} disagree`);
        });
      }
    });
  });
}
