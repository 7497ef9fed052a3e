// Invalid input is dropped with a diag warning naming the argument and the reason, and never throws
// into the app; in strict mode (THREADLINE_STRICT=1 or register({ strict: true })) it throws a TypeError.
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { context } from "@opentelemetry/api";
import {
  setSession,
  setUser,
  ThreadlineValidationError,
  usingSession,
  withAttributes,
  withMetadata,
  withPromptTemplate,
  withSession,
  withTags,
  withUser,
} from "../src/index.ts";
import { captureWarnings, startInMemoryTracing, strictly } from "./tracing.ts";

const tracing = startInMemoryTracing();
const warnings = captureWarnings();
const { emit } = tracing;
const attrs = (name: string) => tracing.span(name).attributes;

beforeEach(() => {
  tracing.exporter.reset();
  warnings.length = 0;
});
after(() => tracing.provider.shutdown());

const badIds = [
  ["empty", "", /must not be empty/],
  ["blank", " \t\n", /must not be empty/],
  ["a number", 42, /must be a string, got number/],
  ["null", null, /must be a string, got null/],
  ["an object", { id: "x" }, /must be a string, got object/],
  ["1025 characters", "x".repeat(1025), /must be at most 1024 characters, got 1025/],
] as const;

describe("session and user ids", () => {
  test("are trimmed; up to 1024 characters (after trimming) are kept", () => {
    withSession("  sess-trim \n", () => emit("trimmed"));
    withUser(` ${"u".repeat(1024)} `, () => emit("longest"));
    assert.equal(attrs("trimmed")["session.id"], "sess-trim");
    assert.equal(attrs("longest")["user.id"], "u".repeat(1024));
    assert.deepEqual(warnings, []);
  });

  for (const [label, bad, reason] of badIds) {
    test(`${label}: dropped with a warning naming argument and reason; the callback runs, the outer id stays`, () => {
      const result = withSession("outer", () =>
        withSession(bad as unknown as string, () => withUser(bad as unknown as string, () => (emit("bad"), "ran"))),
      );
      assert.equal(result, "ran");
      assert.equal(attrs("bad")["session.id"], "outer");
      assert.equal(attrs("bad")["user.id"], undefined);
      assert.equal(warnings.length, 2, warnings.join("\n"));
      assert.match(warnings[0], /^threadline: withSession: dropped sessionId: /);
      assert.match(warnings[0], reason);
      assert.match(warnings[1], /^threadline: withUser: dropped userId: /);
    });
  }

  test("the openinference-core-style setters validate too", () => {
    const ctx = setUser(setSession(context.active(), { sessionId: "" }), { userId: "x".repeat(2000) });
    context.with(ctx, () => emit("setters"));
    assert.deepEqual(Object.keys(attrs("setters")), []);
    assert.match(warnings[0], /setSession: dropped sessionId: must not be empty/);
    assert.match(warnings[1], /setUser: dropped userId: must be at most 1024 characters/);
  });
});

test("bad metadata, tags, prompt template and attributes are dropped piece by piece; good fields still apply", () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  withAttributes(
    {
      sessionId: "ok",
      metadata: circular,
      tags: ["fine", 7 as unknown as string, " "],
      promptTemplate: { template: "T", version: 3 as unknown as string },
      attributes: { "good": 1, "bad": { nested: true } as unknown as string, "mixed": [1, "a"] as unknown as string[] },
    },
    () => emit("partial"),
  );
  withMetadata(["not", "an", "object"] as unknown as Record<string, unknown>, () => emit("array-metadata"));
  withTags("solo" as unknown as string[], () => emit("string-tags"));
  withPromptTemplate({ template: "" }, () => emit("empty-template"));
  const partial = attrs("partial");
  assert.equal(partial["session.id"], "ok");
  assert.equal(partial["metadata"], undefined);
  assert.deepEqual(partial["tag.tags"], ["fine"]);
  assert.equal(partial["llm.prompt_template.template"], "T");
  assert.equal(partial["llm.prompt_template.version"], undefined);
  assert.equal(partial["good"], 1);
  assert.equal(partial["bad"], undefined);
  assert.equal(partial["mixed"], undefined);
  for (const name of ["array-metadata", "string-tags", "empty-template"]) assert.deepEqual(Object.keys(attrs(name)), []);
  const expected = [
    /withAttributes: dropped metadata: is not JSON-serializable/,
    /withAttributes: dropped tags\[1\]: must be a non-empty string/,
    /withAttributes: dropped tags\[2\]: must be a non-empty string/,
    /withAttributes: dropped promptTemplate.version: must be a non-empty string/,
    /withAttributes: dropped attributes\["bad"\]/,
    /withAttributes: dropped attributes\["mixed"\]/,
    /withMetadata: dropped metadata: must be an object, got array/,
    /withTags: dropped tags: must be an array of strings, got string/,
    /withPromptTemplate: dropped promptTemplate.template: must be a non-empty string/,
  ];
  assert.equal(warnings.length, expected.length, warnings.join("\n"));
  expected.forEach((pattern, i) => assert.match(warnings[i], pattern));
});

test("a non-object attributes argument is reported and the callback still runs", () => {
  assert.equal(withAttributes(null as unknown as object, () => "ran"), "ran");
  assert.match(warnings[0], /withAttributes: dropped attributes: must be an object, got null/);
});

describe("strict mode (THREADLINE_STRICT=1)", () => {
  test("every invalid value throws a TypeError naming the argument, before the callback runs", async () => {
    await strictly(async () => {
      let ran = false;
      const cases: Array<[string, () => unknown, RegExp]> = [
        ["withSession", () => withSession("", () => (ran = true)), /withSession: dropped sessionId: must not be empty/],
        ["withUser", () => withUser("x".repeat(1025), () => (ran = true)), /withUser: dropped userId: must be at most 1024/],
        ["withAttributes", () => withAttributes({ tags: [1 as unknown as string] }, () => (ran = true)), /dropped tags\[0\]/],
        ["usingSession", () => usingSession(" ")(() => (ran = true)), /usingSession: dropped sessionId/],
        ["setSession", () => setSession(context.active(), { sessionId: 5 as unknown as string }), /setSession: dropped sessionId/],
      ];
      for (const [label, call, message] of cases) {
        assert.throws(call, (error: unknown) => error instanceof TypeError && error instanceof ThreadlineValidationError && message.test(error.message), label);
      }
      assert.equal(ran, false);
      assert.deepEqual(warnings, []);
      // Valid input is unaffected.
      assert.equal(withSession("fine", () => "ok"), "ok");
    });
  });

  test("is off again once the variable is unset", () => {
    assert.equal(withSession("", () => "ran"), "ran");
    assert.equal(warnings.length, 1);
  });
});
