import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { context } from "@opentelemetry/api";
import { withAttributes, withSession, withUser } from "../src/index.ts";
import { captureWarnings, startInMemoryTracing } from "./tracing.ts";

const tracing = startInMemoryTracing();
const warnings = captureWarnings();
const emit = (name: string) => tracing.tracer.startSpan(name).end();
const attrs = (name: string) => tracing.span(name).attributes;

beforeEach(() => {
  tracing.exporter.reset();
  warnings.length = 0;
});
after(() => tracing.provider.shutdown());

describe("withSession / withUser / withAttributes", () => {
  test("stamp session.id and user.id on spans created inside, and nothing outside", () => {
    withSession("sess-1", () => emit("in-session"));
    withUser("alice@example.com", () => emit("in-user"));
    emit("outside");
    assert.equal(attrs("in-session")["session.id"], "sess-1");
    assert.equal(attrs("in-user")["user.id"], "alice@example.com");
    assert.equal(attrs("outside")["session.id"], undefined);
    assert.equal(attrs("outside")["user.id"], undefined);
  });

  test("withAttributes stamps session, user, metadata and tags", () => {
    const attributes = { sessionId: "sess-2", userId: "bob", metadata: { plan: "pro", seats: 3 }, tags: ["beta", "web"] };
    withAttributes(attributes, () => emit("all"));
    const stamped = attrs("all");
    assert.equal(stamped["session.id"], "sess-2");
    assert.equal(stamped["user.id"], "bob");
    // OpenInference stores metadata and tags as JSON strings.
    assert.deepEqual(JSON.parse(String(stamped["metadata"])), { plan: "pro", seats: 3 });
    assert.deepEqual(JSON.parse(String(stamped["tag.tags"])), ["beta", "web"]);
  });

  test("return the callback's result, sync or async, and follow it across awaits", async () => {
    assert.equal(withSession("sess-sync", () => 42), 42);
    const result = await withSession("sess-async", async () => {
      await sleep(5);
      emit("after-await");
      return "done";
    });
    assert.equal(result, "done");
    assert.equal(attrs("after-await")["session.id"], "sess-async");
  });

  test("let the callback's errors through untouched", async () => {
    const boom = new Error("boom");
    assert.throws(() => withSession("s", () => { throw boom; }), boom);
    await assert.rejects(withUser("u", async () => { throw boom; }), boom);
  });

  test("nest: inner values replace outer ones, other fields are kept, outer values come back after", () => {
    withAttributes({ sessionId: "outer", userId: "alice", tags: ["outer"] }, () => {
      withSession("inner", () => emit("inner"));
      withAttributes({ tags: ["inner"] }, () => emit("inner-tags"));
      emit("outer-again");
    });
    assert.equal(attrs("inner")["session.id"], "inner");
    assert.equal(attrs("inner")["user.id"], "alice");
    assert.equal(attrs("inner-tags")["tag.tags"], '["inner"]');
    assert.equal(attrs("inner-tags")["session.id"], "outer");
    assert.equal(attrs("outer-again")["session.id"], "outer");
  });

  test("a span's own attributes win over the context", () => {
    withSession("from-context", () => {
      tracing.tracer.startSpan("explicit", { attributes: { "session.id": "explicit" } }).end();
    });
    assert.equal(attrs("explicit")["session.id"], "explicit");
  });

  test("use the parent context a span is started with, not only the active one", () => {
    const parent = withSession("captured", () => context.active());
    tracing.tracer.startSpan("with-parent", {}, parent).end();
    assert.equal(attrs("with-parent")["session.id"], "captured");
  });
});

describe("invalid input", () => {
  test("ids are trimmed; up to 1024 characters are kept", () => {
    withSession("  sess-trim \n", () => emit("trimmed"));
    withUser("u".repeat(1024), () => emit("longest"));
    assert.equal(attrs("trimmed")["session.id"], "sess-trim");
    assert.equal(attrs("longest")["user.id"], "u".repeat(1024));
    assert.deepEqual(warnings, []);
  });

  for (const [label, bad] of [["empty", ""], ["blank", "   "], ["non-string", 42], ["null", null], ["over-long", "x".repeat(1025)]] as const) {
    test(`${label} ids are dropped with a warning, the callback still runs, the outer id stays`, () => {
      const result = withSession("outer", () =>
        withSession(bad as unknown as string, () => withUser(bad as unknown as string, () => (emit("bad"), "ran"))),
      );
      assert.equal(result, "ran");
      assert.equal(attrs("bad")["session.id"], "outer");
      assert.equal(attrs("bad")["user.id"], undefined);
      assert.equal(warnings.length, 2);
      assert.match(warnings[0], /withSession: dropped sessionId/);
      assert.match(warnings[1], /withUser: dropped userId/);
    });
  }

  test("bad metadata and tags are dropped, good fields still apply", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    withAttributes({ sessionId: "ok", metadata: circular, tags: ["fine", 7 as unknown as string, " "] }, () => emit("partial"));
    withAttributes({ metadata: ["not", "an", "object"] as unknown as Record<string, unknown> }, () => emit("array-metadata"));
    assert.equal(attrs("partial")["session.id"], "ok");
    assert.equal(attrs("partial")["metadata"], undefined);
    assert.equal(attrs("partial")["tag.tags"], '["fine"]');
    assert.equal(attrs("array-metadata")["metadata"], undefined);
    assert.equal(warnings.filter((w) => /dropped metadata/.test(w)).length, 2);
    assert.equal(warnings.filter((w) => /dropped tags\[\d\]/.test(w)).length, 2);
  });

  test("a non-object attributes argument is ignored", () => {
    assert.equal(withAttributes(null as unknown as object, () => "ran"), "ran");
    assert.match(warnings[0], /withAttributes: ignored attributes/);
  });
});

test("concurrent sessions with interleaved awaits do not leak into each other", async () => {
  const sessions = Array.from({ length: 20 }, (_, i) => `sess-${i}`);
  await Promise.all(
    sessions.map((sessionId, i) =>
      withAttributes({ sessionId, userId: `user-${i % 3}` }, async () => {
        for (let step = 0; step < 3; step++) {
          await sleep((i * 7 + step * 13) % 10); // different timings so the turns interleave
          emit(`${sessionId}/${step}`);
        }
      }),
    ),
  );
  for (const [i, sessionId] of sessions.entries()) {
    for (let step = 0; step < 3; step++) {
      assert.equal(attrs(`${sessionId}/${step}`)["session.id"], sessionId);
      assert.equal(attrs(`${sessionId}/${step}`)["user.id"], `user-${i % 3}`);
    }
  }
});
