import type { Context } from "@opentelemetry/api";

const DELETED = Symbol("deleted");

/**
 * An OpenTelemetry Context made of a parent and a few values of its own, in one allocation. The API's
 * own context copies its whole map on every setValue, so entering a scope with session, user, metadata
 * and tags would copy it four times. setValue and deleteValue here copy only the own values and keep the
 * parent, so lookups never go more than one level up, however many values are set inside.
 */
export class OverlayContext implements Context {
  readonly #parent: Context;
  readonly #own: Map<symbol, unknown>;

  /** `own` is taken over, not copied: the caller must not keep using it. */
  constructor(parent: Context, own: Map<symbol, unknown>) {
    if (parent instanceof OverlayContext) {
      // Flatten: our own values on top of the parent overlay's, over its parent.
      const merged = new Map(parent.#own);
      for (const [key, value] of own) merged.set(key, value);
      this.#parent = parent.#parent;
      this.#own = merged;
    } else {
      this.#parent = parent;
      this.#own = own;
    }
  }

  getValue(key: symbol): unknown {
    const value = this.#own.get(key);
    if (value === undefined) return this.#parent.getValue(key);
    return value === DELETED ? undefined : value;
  }

  setValue(key: symbol, value: unknown): Context {
    // Stored undefined and deleted read the same (undefined), and must both hide the parent's value.
    return new OverlayContext(this.#parent, new Map(this.#own).set(key, value === undefined ? DELETED : value));
  }

  deleteValue(key: symbol): Context {
    return new OverlayContext(this.#parent, new Map(this.#own).set(key, DELETED));
  }
}

/** `parent` with the given values in one step; an undefined value removes the key, as deleteValue does. */
export function withValues(parent: Context, values: Map<symbol, unknown>): Context {
  if (values.size === 0) return parent;
  for (const [key, value] of values) if (value === undefined) values.set(key, DELETED);
  return new OverlayContext(parent, values);
}
