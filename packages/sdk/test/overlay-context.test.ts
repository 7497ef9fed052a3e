// The one-allocation context the with* helpers enter must behave exactly like the API's own context.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { OverlayContext, withValues } from "../src/overlay-context.ts";

const [a, b, c] = ["a", "b", "c"].map((name) => createContextKey(`overlay test ${name}`));

test("reads its own values, then its parent's; setValue and deleteValue return new contexts", () => {
  const parent = ROOT_CONTEXT.setValue(a, "parent-a").setValue(b, "parent-b");
  const overlay = withValues(parent, new Map<symbol, unknown>([[a, "own-a"]]));
  assert.equal(overlay.getValue(a), "own-a");
  assert.equal(overlay.getValue(b), "parent-b");
  assert.equal(overlay.getValue(c), undefined);

  const set = overlay.setValue(c, "c");
  const deletedOwn = overlay.deleteValue(a);
  const deletedParents = overlay.deleteValue(b);
  assert.equal(set.getValue(c), "c");
  assert.equal(overlay.getValue(c), undefined, "the original is unchanged");
  assert.equal(deletedOwn.getValue(a), undefined, "deleting hides the parent's value too");
  assert.equal(deletedParents.getValue(b), undefined);
  assert.equal(overlay.getValue(b), "parent-b");
  assert.equal(deletedParents.setValue(b, "back").getValue(b), "back");
});

test("an undefined value reads as undefined and hides the parent's, like the API's context", () => {
  const parent = ROOT_CONTEXT.setValue(a, "parent-a");
  assert.equal(parent.setValue(a, undefined).getValue(a), undefined);
  assert.equal(withValues(parent, new Map([[a, undefined]])).getValue(a), undefined);
  assert.equal(withValues(parent, new Map()).getValue(a), "parent-a");
});

test("overlays on overlays are flattened: one level above the first non-overlay parent", () => {
  const root = ROOT_CONTEXT.setValue(c, "root-c");
  let ctx = withValues(root, new Map([[a, 1]]));
  for (let i = 0; i < 100; i++) ctx = withValues(ctx, new Map([[b, i]])).setValue(a, i);
  assert.ok(ctx instanceof OverlayContext);
  assert.deepEqual([ctx.getValue(a), ctx.getValue(b), ctx.getValue(c)], [99, 99, "root-c"]);
});
