// The with*/using* helpers: what ends up on spans created inside, nesting, and what they return.
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { context } from "@opentelemetry/api";
import {
  getAttributesFromContext,
  suppressTracing,
  usingAttributes,
  usingMetadata,
  usingPromptTemplate,
  usingSession,
  usingTags,
  usingUser,
  withAttributes,
  withMetadata,
  withPromptTemplate,
  withSession,
  withTags,
  withUser,
} from "../src/index.ts";
import { captureWarnings, startInMemoryTracing } from "./tracing.ts";

const tracing = startInMemoryTracing();
const warnings = captureWarnings();
const { emit } = tracing;
const attrs = (name: string) => tracing.span(name).attributes;

beforeEach(() => {
  tracing.exporter.reset();
  warnings.length = 0;
});
after(() => tracing.provider.shutdown());

describe("with* helpers", () => {
  test("stamp their values on spans created inside, and nothing outside", () => {
    withSession("sess-1", () => emit("in-session"));
    withUser("alice@example.com", () => emit("in-user"));
    withMetadata({ channel: "web" }, () => emit("in-metadata"));
    withTags(["beta"], () => emit("in-tags"));
    emit("outside");
    assert.equal(attrs("in-session")["session.id"], "sess-1");
    assert.equal(attrs("in-user")["user.id"], "alice@example.com");
    assert.equal(attrs("in-metadata")["metadata"], '{"channel":"web"}');
    assert.deepEqual(attrs("in-tags")["tag.tags"], ["beta"]);
    assert.deepEqual(Object.keys(attrs("outside")), []);
  });

  test("withAttributes stamps session, user, metadata, tags (a real array), prompt template and attributes", () => {
    withAttributes(
      {
        sessionId: "sess-2",
        userId: "bob",
        metadata: { plan: "pro", seats: 3 },
        tags: ["beta", "web"],
        promptTemplate: { template: "Weather in {city}?", variables: { city: "Oslo" }, version: "v1" },
        attributes: { "app.release": "2024.6", "app.canary": true },
      },
      () => emit("all"),
    );
    assert.deepEqual(attrs("all"), {
      "session.id": "sess-2",
      "user.id": "bob",
      metadata: '{"plan":"pro","seats":3}',
      "tag.tags": ["beta", "web"],
      "llm.prompt_template.template": "Weather in {city}?",
      "llm.prompt_template.variables": '{"city":"Oslo"}',
      "llm.prompt_template.version": "v1",
      "app.release": "2024.6",
      "app.canary": true,
    });
  });

  test("withPromptTemplate takes the template alone too", () => {
    withPromptTemplate({ template: "Summarize: {text}" }, () => emit("template-only"));
    assert.equal(attrs("template-only")["llm.prompt_template.template"], "Summarize: {text}");
    assert.equal(attrs("template-only")["llm.prompt_template.variables"], undefined);
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

  test("a span's own attributes win over the context", () => {
    withAttributes({ sessionId: "from-context", tags: ["ctx"] }, () => {
      tracing.tracer.startSpan("explicit", { attributes: { "session.id": "explicit", "tag.tags": ["own"] } }).end();
    });
    assert.equal(attrs("explicit")["session.id"], "explicit");
    assert.deepEqual(attrs("explicit")["tag.tags"], ["own"]);
  });

  test("the parent context a span is started with counts, not only the active one", () => {
    const parent = withSession("captured", () => context.active());
    tracing.tracer.startSpan("with-parent", {}, parent).end();
    assert.equal(attrs("with-parent")["session.id"], "captured");
  });
});

describe("nesting", () => {
  test("inner ids replace outer ones; outer values come back after", () => {
    withAttributes({ sessionId: "outer", userId: "alice" }, () => {
      withSession("inner", () => emit("inner"));
      withUser("bob", () => emit("inner-user"));
      emit("outer-again");
    });
    assert.equal(attrs("inner")["session.id"], "inner");
    assert.equal(attrs("inner")["user.id"], "alice");
    assert.equal(attrs("inner-user")["user.id"], "bob");
    assert.equal(attrs("inner-user")["session.id"], "outer");
    assert.equal(attrs("outer-again")["session.id"], "outer");
  });

  test("metadata and attributes merge shallowly, inner keys winning", () => {
    withAttributes({ metadata: { channel: "web", plan: "free", nested: { a: 1 } }, attributes: { "app.a": 1, "app.b": 2 } }, () =>
      withAttributes({ metadata: { plan: "pro", nested: { b: 2 } }, attributes: { "app.b": 3 } }, () => emit("merged")),
    );
    assert.deepEqual(JSON.parse(String(attrs("merged")["metadata"])), { channel: "web", plan: "pro", nested: { b: 2 } });
    assert.equal(attrs("merged")["app.a"], 1);
    assert.equal(attrs("merged")["app.b"], 3);
  });

  test("tags are unioned, in order, without duplicates", () => {
    withTags(["outer", "shared"], () => withAttributes({ tags: ["shared", "inner"] }, () => emit("union")));
    assert.deepEqual(attrs("union")["tag.tags"], ["outer", "shared", "inner"]);
  });

  test("an inner prompt template replaces the outer one whole (no stale variables or version)", () => {
    withPromptTemplate({ template: "outer {x}", variables: { x: 1 }, version: "v1" }, () =>
      withPromptTemplate({ template: "inner" }, () => emit("inner-template")),
    );
    const stamped = attrs("inner-template");
    assert.equal(stamped["llm.prompt_template.template"], "inner");
    assert.equal(stamped["llm.prompt_template.variables"], undefined);
    assert.equal(stamped["llm.prompt_template.version"], undefined);
  });
});

describe("using* wrappers", () => {
  test("run the wrapped function in the scope on every call, with its arguments and result", async () => {
    const answer = usingAttributes({ sessionId: "sess-wrap", userId: "carol" })(async (question: string) => {
      await sleep(1);
      emit(`answer:${question}`);
      return question.toUpperCase();
    });
    assert.equal(await answer("hi"), "HI");
    assert.equal(await answer("again"), "AGAIN");
    assert.equal(attrs("answer:hi")["session.id"], "sess-wrap");
    assert.equal(attrs("answer:again")["user.id"], "carol");
  });

  test("compose, keep `this`, and keep the function's name", () => {
    const bot = {
      prefix: "re: ",
      reply(text: string) {
        emit("reply");
        return this.prefix + text;
      },
    };
    bot.reply = usingSession("s")(usingUser("u")(usingMetadata({ k: "v" })(usingTags(["t"])(usingPromptTemplate({ template: "T" })(bot.reply)))));
    assert.equal(bot.reply("x"), "re: x");
    assert.equal(bot.reply.name, "reply");
    assert.deepEqual(
      [attrs("reply")["session.id"], attrs("reply")["user.id"], attrs("reply")["metadata"], attrs("reply")["tag.tags"]],
      ["s", "u", '{"k":"v"}', ["t"]],
    );
  });

  test("validate once, when wrapping", () => {
    const wrapped = usingSession("")(() => emit("unwrapped"));
    assert.equal(warnings.length, 1);
    wrapped();
    wrapped();
    assert.equal(warnings.length, 1);
    assert.equal(attrs("unwrapped")["session.id"], undefined);
  });
});

test("suppressTracing: no spans inside, the callback's result comes back, tracing resumes after", async () => {
  const result = await withSession("sess-quiet", () =>
    suppressTracing(async () => {
      emit("suppressed");
      await sleep(1);
      emit("still-suppressed");
      return "ok";
    }),
  );
  emit("after");
  assert.equal(result, "ok");
  assert.deepEqual(tracing.exporter.getFinishedSpans().map((s) => s.name), ["after"]);
});

test("getAttributesFromContext returns what the processor stamps", () => {
  const stamped = withAttributes({ sessionId: "s", tags: ["a"], metadata: { m: 1 } }, () => getAttributesFromContext(context.active()));
  assert.deepEqual(stamped, { "session.id": "s", metadata: '{"m":1}', "tag.tags": ["a"] });
  assert.deepEqual(getAttributesFromContext(context.active()), {});
});
