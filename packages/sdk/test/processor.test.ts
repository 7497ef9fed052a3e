// The span processor on its own: what it stamps, what it leaves alone, and W3C baggage as a fallback.
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";
import { W3CBaggagePropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { ThreadlineSpanProcessor, withAttributes, withSession, withUser } from "../src/index.ts";
import { captureWarnings, startInMemoryTracing } from "./tracing.ts";

const tracing = startInMemoryTracing();
captureWarnings();
const attrs = (name: string) => tracing.span(name).attributes;
beforeEach(() => tracing.exporter.reset());
after(() => tracing.provider.shutdown());

/** The context a server instrumentation builds from an inbound request's headers. */
function inbound(headers: Record<string, string>) {
  return new W3CBaggagePropagator().extract(ROOT_CONTEXT, headers, { get: (h, k) => h[k], keys: (h) => Object.keys(h) });
}

test("leaves spans alone when no context value is set", () => {
  tracing.tracer.startSpan("bare", { attributes: { own: "x" } }).end();
  assert.deepEqual(attrs("bare"), { own: "x" });
});

test("never overwrites an attribute the span was started with", () => {
  withAttributes({ sessionId: "ctx", userId: "ctx-user", metadata: { a: 1 } }, () => {
    tracing.tracer.startSpan("preset", { attributes: { "user.id": "span-user", metadata: "{\"own\":true}" } }).end();
  });
  assert.equal(attrs("preset")["session.id"], "ctx");
  assert.equal(attrs("preset")["user.id"], "span-user");
  assert.equal(attrs("preset")["metadata"], '{"own":true}');
});

test("a tag.tags JSON string set on the span is turned into the array it encodes when the span ends", () => {
  const span = tracing.tracer.startSpan("json-tags");
  span.setAttribute("tag.tags", '["a","b"]');
  span.end();
  const other = tracing.tracer.startSpan("not-tags-json");
  other.setAttribute("tag.tags", "plain label");
  other.end();
  assert.deepEqual(attrs("json-tags")["tag.tags"], ["a", "b"]);
  assert.equal(attrs("not-tags-json")["tag.tags"], "plain label");
});

describe("W3C baggage", () => {
  test("session and user come from inbound baggage when the context has none", () => {
    context.with(inbound({ baggage: "session.id=sess-up,user.id=alice%40example.com,other=1" }), () => tracing.emit("downstream"));
    assert.equal(attrs("downstream")["session.id"], "sess-up");
    assert.equal(attrs("downstream")["user.id"], "alice@example.com");
    assert.equal(attrs("downstream")["other"], undefined);
  });

  test("a local value beats baggage", () => {
    context.with(inbound({ baggage: "session.id=from-baggage,user.id=baggage-user" }), () => withSession("local", () => tracing.emit("local-wins")));
    assert.equal(attrs("local-wins")["session.id"], "local");
    assert.equal(attrs("local-wins")["user.id"], "baggage-user");
  });

  test("ids that would be rejected locally are ignored", () => {
    context.with(inbound({ baggage: `session.id=${"x".repeat(1025)},user.id=%20%20` }), () => tracing.emit("bad-baggage"));
    assert.deepEqual(attrs("bad-baggage"), {});
  });

  test("withAttributes writes baggage only with { propagate: true }", () => {
    const without = withAttributes({ sessionId: "s", userId: "u" }, () => propagation.getBaggage(context.active()));
    const withIt = withAttributes({ sessionId: "s", userId: "u", metadata: { secret: 1 } }, () => propagation.getBaggage(context.active()), { propagate: true });
    assert.equal(without, undefined);
    assert.deepEqual(withIt?.getAllEntries().map(([key, entry]) => [key, entry.value]), [["session.id", "s"], ["user.id", "u"]]);
    const nested = withSession("s2", () => withUser("u2", () => propagation.getBaggage(context.active()), { propagate: true }), { propagate: true });
    assert.deepEqual(nested?.getAllEntries().map(([key, entry]) => [key, entry.value]), [["session.id", "s2"], ["user.id", "u2"]]);
    assert.equal(withSession("s3", () => propagation.getBaggage(context.active())), undefined);
  });

  test("readBaggage: false ignores it (for a service at a trust boundary)", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [new ThreadlineSpanProcessor({ readBaggage: false }), new SimpleSpanProcessor(exporter)],
    });
    context.with(inbound({ baggage: "session.id=spoofed" }), () => provider.getTracer("edge").startSpan("edge").end());
    assert.deepEqual(exporter.getFinishedSpans()[0].attributes, {});
    await provider.shutdown();
  });
});
