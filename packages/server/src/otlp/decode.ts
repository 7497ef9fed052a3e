// Decodes OTLP trace export bodies (protobuf or JSON) into one plain shape, so the
// normalizer never sees wire details: ids become lowercase hex, times become
// microseconds since the epoch, attribute lists become plain objects. Protobuf requests are
// read by protobuf.ts; protobufjs encodes the (small) responses.
import protobuf from "protobufjs";
import { decodeProtobufRequest } from "./protobuf.ts";
import type { Attributes, DecodedRequest, DecodedSpan } from "./types.ts";

const root = protobuf.loadSync(new URL("./trace.proto", import.meta.url).pathname);
export const ExportTraceServiceRequest = root.lookupType("opentelemetry.proto.ExportTraceServiceRequest");
export const ExportTraceServiceResponse = root.lookupType("opentelemetry.proto.ExportTraceServiceResponse");
export const RpcStatus = root.lookupType("opentelemetry.proto.RpcStatus");

/** Thrown for a body that cannot be decoded at all; the receiver answers 400 with its message. */
export class DecodeError extends Error {}

export function decodeProtobuf(body: Uint8Array): DecodedRequest {
  try {
    return decodeProtobufRequest(body);
  } catch (error) {
    throw new DecodeError(`invalid OTLP protobuf body: ${(error as Error).message}`);
  }
}

export function decodeJson(text: string): DecodedRequest {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`invalid OTLP JSON body: ${(error as Error).message}`);
  }
  if (!isObject(message) || Array.isArray(message)) throw new DecodeError("invalid OTLP JSON body: expected an object with resourceSpans");
  return decodeRequest(message);
}

type Obj = Record<string, unknown>;

function decodeRequest(message: unknown): DecodedRequest {
  const resourceSpans = list(field(message, "resourceSpans", "resource_spans"));
  return {
    resourceSpans: resourceSpans.map((rs) => ({
      resource: keyValues(field(field(rs, "resource"), "attributes")),
      scopeSpans: list(field(rs, "scopeSpans", "scope_spans")).map((ss) => {
        const scope = field(ss, "scope");
        return {
          scope: { name: str(field(scope, "name")), version: str(field(scope, "version")) },
          spans: list(field(ss, "spans")).map((span) => decodeSpan(span)),
        };
      }),
    })),
  };
}

function decodeSpan(span: unknown): DecodedSpan {
  const status = field(span, "status");
  return {
    traceId: id(field(span, "traceId", "trace_id")),
    spanId: id(field(span, "spanId", "span_id")),
    parentSpanId: id(field(span, "parentSpanId", "parent_span_id")),
    name: str(field(span, "name")),
    kind: enumValue(field(span, "kind"), SPAN_KINDS),
    startUs: nanosToMicros(field(span, "startTimeUnixNano", "start_time_unix_nano")),
    endUs: nanosToMicros(field(span, "endTimeUnixNano", "end_time_unix_nano")),
    attributes: keyValues(field(span, "attributes")),
    events: list(field(span, "events")).map((event) => ({
      timeUs: nanosToMicros(field(event, "timeUnixNano", "time_unix_nano")),
      name: str(field(event, "name")),
      attributes: keyValues(field(event, "attributes")),
    })),
    status: {
      code: enumValue(field(status, "code"), STATUS_CODES),
      message: str(field(status, "message")),
    },
  };
}

// The readers below are shared with logs-decode.ts, which reads log exports the same way.

const SPAN_KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

/** As the protobuf reader: deeper values are refused (a 10,000-deep one overflowed the stack). */
const MAX_DEPTH = 32;

export function keyValues(value: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  for (const kv of list(value)) {
    const key = str(field(kv, "key"));
    if (!key) continue;
    const value = anyValue(field(kv, "value"), depth + 1);
    // An attribute named "__proto__" is data, not the object's prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

export function anyValue(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new DecodeError(`invalid OTLP JSON body: attribute values nested deeper than ${MAX_DEPTH} levels`);
  if (!isObject(value)) return null;
  for (const key of Object.keys(value)) {
    const inner = value[key];
    switch (key) {
      case "stringValue": case "string_value": return str(inner);
      case "boolValue": case "bool_value": return Boolean(inner);
      case "intValue": case "int_value": return integer(inner);
      case "doubleValue": case "double_value": return Number(inner);
      case "arrayValue": case "array_value": return list(field(inner, "values")).map((v) => anyValue(v, depth + 1));
      case "kvlistValue": case "kvlist_value": return keyValues(field(inner, "values"), depth);
      // OTLP/JSON carries bytes as base64 already.
      case "bytesValue": case "bytes_value": return str(inner);
    }
  }
  return null;
}

/** Trace and span ids: hex strings in OTLP/JSON. Empty string when absent. */
export function id(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : "";
}

export function nanosToMicros(value: unknown): number {
  if (value == null || value === "") return 0;
  if (typeof value === "string") {
    // uint64 has at most 20 digits; BigInt of a 15-million-digit string blocked the server for 5 s.
    if (!/^\d{1,20}$/.test(value)) return Number.NaN;
    return Number(BigInt(value) / 1000n);
  }
  return Math.round(integer(value) as number / 1000);
}

/** int64 as OTLP/JSON writes it (a number or a decimal string); a number when exact, else a string. */
function integer(value: unknown): number | string {
  if (typeof value === "number") return value;
  if (typeof value === "string") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  return Number.NaN;
}

function enumValue(value: unknown, names: string[]): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return Math.max(0, names.indexOf(value));
  return 0;
}

export function field(value: unknown, camel: string, snake?: string): unknown {
  if (!isObject(value)) return undefined;
  return value[camel] ?? (snake ? value[snake] : undefined);
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null;
}
