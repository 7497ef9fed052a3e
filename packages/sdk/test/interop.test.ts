// Interop with @arizeai/openinference-core, both ways: it shares the context keys with us, so values set by
// one are read by the other, and spans from its OITracer (what every OpenInference instrumentation uses)
// carry ours.
import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { context } from "@opentelemetry/api";
import * as core from "@arizeai/openinference-core";
import * as sdk from "../src/index.ts";
import { captureWarnings, startInMemoryTracing } from "./tracing.ts";

const tracing = startInMemoryTracing();
captureWarnings();
const attrs = (name: string) => tracing.span(name).attributes;

beforeEach(() => tracing.exporter.reset());
after(() => tracing.provider.shutdown());

test("values set with openinference-core are read by our getters and stamped by our processor on plain spans", () => {
  let ctx = context.active();
  ctx = core.setSession(ctx, { sessionId: "core-sess" });
  ctx = core.setUser(ctx, { userId: "core-user" });
  ctx = core.setMetadata(ctx, { source: "core" });
  ctx = core.setTags(ctx, ["core-tag"]);
  ctx = core.setPromptTemplate(ctx, { template: "Hi {name}", variables: { name: "Ada" }, version: "v2" });
  ctx = core.setAttributes(ctx, { "app.flag": true });

  assert.deepEqual(sdk.getSession(ctx), { sessionId: "core-sess" });
  assert.deepEqual(sdk.getUser(ctx), { userId: "core-user" });
  assert.deepEqual(sdk.getMetadata(ctx), { source: "core" });
  assert.deepEqual(sdk.getTags(ctx), ["core-tag"]);
  assert.deepEqual(sdk.getPromptTemplate(ctx), { template: "Hi {name}", variables: { name: "Ada" }, version: "v2" });

  // A tracer that knows nothing about OpenInference (as HTTP or database instrumentations use).
  context.with(ctx, () => tracing.emit("plain"));
  assert.deepEqual(attrs("plain"), {
    "app.flag": true,
    "session.id": "core-sess",
    "user.id": "core-user",
    metadata: '{"source":"core"}',
    "tag.tags": ["core-tag"],
    "llm.prompt_template.template": "Hi {name}",
    "llm.prompt_template.variables": '{"name":"Ada"}',
    "llm.prompt_template.version": "v2",
  });
});

test("values set with our helpers are read by openinference-core's getters and getAttributesFromContext", () => {
  sdk.withAttributes(
    {
      sessionId: "sdk-sess",
      userId: "sdk-user",
      metadata: { source: "sdk" },
      tags: ["sdk-tag"],
      promptTemplate: { template: "T {x}", variables: { x: 1 }, version: "v9" },
      attributes: { "app.n": 7 },
    },
    () => {
      const ctx = context.active();
      assert.deepEqual(core.getSession(ctx), { sessionId: "sdk-sess" });
      assert.deepEqual(core.getUser(ctx), { userId: "sdk-user" });
      assert.deepEqual(core.getMetadata(ctx), { source: "sdk" });
      assert.deepEqual(core.getTags(ctx), ["sdk-tag"]);
      assert.deepEqual(core.getPromptTemplate(ctx), { template: "T {x}", variables: { x: 1 }, version: "v9" });
      assert.deepEqual(core.getAttributes(ctx), { "app.n": 7 });
      assert.deepEqual(core.getAttributesFromContext(ctx), {
        "app.n": 7,
        "session.id": "sdk-sess",
        "user.id": "sdk-user",
        metadata: '{"source":"sdk"}',
        "tag.tags": '["sdk-tag"]', // openinference-core's own form: a JSON string
        "llm.prompt_template.template": "T {x}",
        "llm.prompt_template.variables": '{"x":1}',
        "llm.prompt_template.version": "v9",
      });
    },
  );
});

test("spans from openinference-core's OITracer, withSpan and traceChain carry our values; tags end as an array", async () => {
  const oiTracer = new core.OITracer({ tracer: tracing.tracer });
  const tracedStep = core.traceChain(async (input: string) => `done: ${input}`, { name: "core-chain", tracer: tracing.tracer });
  await sdk.withAttributes({ sessionId: "oi-sess", userId: "oi-user", tags: ["x", "y"] }, async () => {
    oiTracer.startSpan("oi-span").end();
    await tracedStep("step");
  });
  for (const name of ["oi-span", "core-chain"]) {
    assert.equal(attrs(name)["session.id"], "oi-sess");
    assert.equal(attrs(name)["user.id"], "oi-user");
    // OITracer writes tag.tags as a JSON string over ours; the processor turns it back before the span ends.
    assert.deepEqual(attrs(name)["tag.tags"], ["x", "y"], name);
  }
  assert.equal(attrs("core-chain")["openinference.span.kind"], "CHAIN");
});

test("openinference-core's setters mixed with ours: last one wins, nesting still works", () => {
  sdk.withSession("ours", () => {
    context.with(core.setSession(context.active(), { sessionId: "theirs" }), () => {
      tracing.emit("theirs-inside-ours");
      sdk.withSession("ours-again", () => tracing.emit("ours-inside-theirs"));
    });
  });
  assert.equal(attrs("theirs-inside-ours")["session.id"], "theirs");
  assert.equal(attrs("ours-inside-theirs")["session.id"], "ours-again");
});

test("openinference-core's clearSession removes a session we set", () => {
  sdk.withAttributes({ sessionId: "to-clear", userId: "kept" }, () => {
    context.with(core.clearSession(context.active()), () => tracing.emit("cleared"));
  });
  assert.equal(attrs("cleared")["session.id"], undefined);
  assert.equal(attrs("cleared")["user.id"], "kept");
});
