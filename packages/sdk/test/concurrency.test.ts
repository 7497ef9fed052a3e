// 1,000 conversations at once, each awaiting timers, microtasks and I/O-like callbacks in a different
// order: every span must carry its own conversation's ids and nothing else's.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { setImmediate as yieldMacrotask, setTimeout as sleep } from "node:timers/promises";
import { withAttributes, withSession, withTags, withUser } from "../src/index.ts";
import { startInMemoryTracing } from "./tracing.ts";

const tracing = startInMemoryTracing();
after(() => tracing.provider.shutdown());

const CONVERSATIONS = 1000;
const STEPS = 4;

/** A deterministic mix of waits, so conversations interleave differently at each step. */
async function someWait(i: number, step: number): Promise<void> {
  switch ((i * 7 + step * 3) % 4) {
    case 0: return sleep((i + step) % 5);
    case 1: return void (await yieldMacrotask());
    case 2: return Promise.resolve().then(() => undefined);
    default: return new Promise((resolve) => process.nextTick(resolve));
  }
}

test("1,000 concurrent withSession calls with interleaved awaits never leak into each other", async () => {
  const results = await Promise.all(
    Array.from({ length: CONVERSATIONS }, (_, i) =>
      withSession(`sess-${i}`, async () => {
        for (let step = 0; step < STEPS; step++) {
          await someWait(i, step);
          if (step === 2) {
            // Nested scopes mid-conversation, also interleaved.
            await withUser(`user-${i}`, () => withTags([`t${i % 10}`], async () => {
              await someWait(i, step + 1);
              tracing.emit(`${i}/${step}`);
            }));
          } else {
            tracing.emit(`${i}/${step}`);
          }
        }
        return i;
      }),
    ),
  );
  tracing.emit("after-all");

  assert.deepEqual(results, Array.from({ length: CONVERSATIONS }, (_, i) => i));
  const spans = tracing.exporter.getFinishedSpans();
  assert.equal(spans.length, CONVERSATIONS * STEPS + 1);
  let checked = 0;
  for (const span of spans) {
    if (span.name === "after-all") {
      assert.deepEqual(span.attributes, {});
      continue;
    }
    const [i, step] = span.name.split("/").map(Number);
    assert.equal(span.attributes["session.id"], `sess-${i}`, span.name);
    assert.equal(span.attributes["user.id"], step === 2 ? `user-${i}` : undefined, span.name);
    assert.deepEqual(span.attributes["tag.tags"], step === 2 ? [`t${i % 10}`] : undefined, span.name);
    checked++;
  }
  assert.equal(checked, CONVERSATIONS * STEPS);
});

test("concurrent withAttributes scopes that nest differently keep their own merged metadata", async () => {
  tracing.exporter.reset();
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      withAttributes({ sessionId: `s${i}`, metadata: { conversation: i } }, async () => {
        await someWait(i, 0);
        await withAttributes({ metadata: { turn: i % 3 } }, async () => {
          await someWait(i, 1);
          tracing.emit(`m${i}`);
        });
      }),
    ),
  );
  for (let i = 0; i < 200; i++) {
    const span = tracing.span(`m${i}`);
    assert.equal(span.attributes["session.id"], `s${i}`);
    assert.deepEqual(JSON.parse(String(span.attributes["metadata"])), { conversation: i, turn: i % 3 });
  }
});
