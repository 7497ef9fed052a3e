// The hand-written OTLP protobuf reader against messages encoded by protobufjs from the same
// schema: every value kind, int64 extremes, exact times, unknown fields and broken input.
import assert from "node:assert/strict";
import { test } from "node:test";
import protobuf from "protobufjs";
import { decodeProtobufRequest, ProtobufError } from "../src/otlp/protobuf.ts";

const root = protobuf.loadSync(new URL("../src/otlp/trace.proto", import.meta.url).pathname);
const Request = root.lookupType("opentelemetry.proto.ExportTraceServiceRequest");
const encode = (object: Record<string, unknown>) => Buffer.from(Request.encode(Request.fromObject(object)).finish());
const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

const SPAN = {
  traceId: Buffer.from("0102030405060708090a0b0c0d0e0f10", "hex"),
  spanId: Buffer.from("1112131415161718", "hex"),
  parentSpanId: Buffer.from("2122232425262728", "hex"),
  name: "chat gpt-4o ✓",
  kind: 3,
  startTimeUnixNano: "1700000000123456789",
  endTimeUnixNano: "1700000001999999999",
  flags: 257,
  attributes: [
    kv("s", { stringValue: "héllo" }),
    kv("empty", { stringValue: "" }),
    kv("t", { boolValue: true }),
    kv("f", { boolValue: false }),
    kv("zero", { intValue: 0 }),
    kv("neg", { intValue: -5 }),
    kv("big", { intValue: "1152921504606846976" }),
    kv("max", { intValue: "9223372036854775807" }),
    kv("min", { intValue: "-9223372036854775808" }),
    kv("safe", { intValue: "9007199254740991" }),
    kv("d", { doubleValue: 0.1 }),
    kv("bytes", { bytesValue: Buffer.from([0, 255, 1]) }),
    kv("arr", { arrayValue: { values: [{ stringValue: "a" }, { intValue: 2 }, { arrayValue: { values: [{ boolValue: true }] } }] } }),
    kv("obj", { kvlistValue: { values: [kv("x", { doubleValue: 1.5 }), kv("y", { kvlistValue: { values: [kv("z", { stringValue: "deep" })] } })] } }),
    kv("none", {}),
    kv("__proto__", { stringValue: "data" }),
  ],
  events: [{ timeUnixNano: "1700000000500000000", name: "exception", attributes: [kv("exception.message", { stringValue: "boom" })] }],
  links: [{ traceId: Buffer.alloc(16, 9), spanId: Buffer.alloc(8, 9) }],
  status: { code: 2, message: "failed" },
};

test("reads every field and value kind exactly", () => {
  const decoded = decodeProtobufRequest(encode({
    resourceSpans: [{
      resource: { attributes: [kv("service.name", { stringValue: "api" })] },
      scopeSpans: [{ scope: { name: "openinference", version: "1.2" }, spans: [SPAN] }],
    }],
  }));
  const { resource, scopeSpans } = decoded.resourceSpans[0];
  assert.deepEqual(resource, { "service.name": "api" });
  assert.deepEqual(scopeSpans[0].scope, { name: "openinference", version: "1.2" });
  const span = scopeSpans[0].spans[0];
  assert.equal(span.traceId, "0102030405060708090a0b0c0d0e0f10");
  assert.equal(span.spanId, "1112131415161718");
  assert.equal(span.parentSpanId, "2122232425262728");
  assert.equal(span.name, "chat gpt-4o ✓");
  assert.equal(span.kind, 3);
  assert.equal(span.startUs, 1700000000123456);
  assert.equal(span.endUs, 1700000001999999);
  assert.deepEqual(span.status, { code: 2, message: "failed" });
  assert.deepEqual(span.events, [{ timeUs: 1700000000500000, name: "exception", attributes: { "exception.message": "boom" } }]);
  const a = span.attributes;
  assert.deepEqual(
    [a.s, a.empty, a.t, a.f, a.zero, a.neg, a.big, a.max, a.min, a.safe, a.d, a.bytes, a.none],
    ["héllo", "", true, false, 0, -5, "1152921504606846976", "9223372036854775807", "-9223372036854775808", 9007199254740991, 0.1, "AP8B", null],
  );
  assert.deepEqual(a.arr, ["a", 2, [true]]);
  assert.deepEqual(a.obj, { x: 1.5, y: { z: "deep" } });
  assert.equal(Object.getOwnPropertyDescriptor(a, "__proto__")?.value, "data");
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
});

test("skips fields it does not know, so newer senders still work", () => {
  const known = encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...SPAN, attributes: [] }] }] }] });
  // Field 99 (varint), field 98 (length-delimited) and field 97 (fixed32) appended to the request.
  const extra = Buffer.concat([known, Buffer.from([0x98, 0x06, 0x2a, 0x92, 0x06, 0x02, 0x68, 0x69, 0x8d, 0x06, 1, 2, 3, 4])]);
  assert.deepEqual(decodeProtobufRequest(extra), decodeProtobufRequest(known));
  assert.equal(decodeProtobufRequest(extra).resourceSpans[0].scopeSpans[0].spans[0].name, SPAN.name);
});

test("an empty body is an empty request", () => {
  assert.deepEqual(decodeProtobufRequest(Buffer.alloc(0)), { resourceSpans: [] });
});

test("refuses truncated, mistyped and maliciously nested input with a reason", () => {
  const body = encode({ resourceSpans: [{ scopeSpans: [{ spans: [SPAN] }] }] });
  for (const cut of [1, 2, 10, body.length - 1]) {
    assert.throws(() => decodeProtobufRequest(body.subarray(0, cut)), ProtobufError, `cut at ${cut}`);
  }
  assert.throws(() => decodeProtobufRequest(Buffer.from([0x0b])), /wire type 3|resource_spans has wire type/);
  let value: Record<string, unknown> = { stringValue: "bottom" };
  for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
  const deep = encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...SPAN, attributes: [kv("deep", value)] }] }] }] });
  assert.throws(() => decodeProtobufRequest(deep), /nested deeper than 32/);
});
