// Decodes OTLP log export bodies (ExportLogsServiceRequest, protobuf or JSON) into the plain shape
// of types.ts, with the trace decoders' readers and rules: ids as lowercase hex, times in
// microseconds, attribute lists and AnyValue bodies as plain values, nesting bounded.
import protobuf from "protobufjs";
import { DecodeError, field, id, isObject, keyValues, anyValue as jsonAnyValue, list, nanosToMicros, str } from "./decode.ts";
import { anyValue, expect, I64, keyValue, LEN, Reader } from "./protobuf.ts";
import type { Attributes, DecodedLogRecord, DecodedLogsRequest } from "./types.ts";

const root = protobuf.loadSync(new URL("./logs.proto", import.meta.url).pathname);
export const ExportLogsServiceRequest = root.lookupType("opentelemetry.proto.logs.ExportLogsServiceRequest");
export const ExportLogsServiceResponse = root.lookupType("opentelemetry.proto.logs.ExportLogsServiceResponse");

/** The attribute that names a log record's event before OTLP 1.5 gave it a field of its own. */
export const EVENT_NAME_ATTRIBUTE = "event.name";

export function decodeLogsProtobuf(body: Uint8Array): DecodedLogsRequest {
  try {
    return readRequest(Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  } catch (error) {
    throw new DecodeError(`invalid OTLP protobuf body: ${(error as Error).message}`);
  }
}

export function decodeLogsJson(text: string): DecodedLogsRequest {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`invalid OTLP JSON body: ${(error as Error).message}`);
  }
  if (!isObject(message) || Array.isArray(message)) throw new DecodeError("invalid OTLP JSON body: expected an object with resourceLogs");
  // A trace export sent here by mistake would otherwise be answered as an empty success.
  if (field(message, "resourceLogs", "resource_logs") === undefined && field(message, "resourceSpans", "resource_spans") !== undefined) {
    throw new DecodeError("this is an OTLP trace export (resourceSpans): send it to /v1/traces");
  }
  return {
    resourceLogs: list(field(message, "resourceLogs", "resource_logs")).map((rl) => ({
      resource: keyValues(field(field(rl, "resource"), "attributes")),
      scopeLogs: list(field(rl, "scopeLogs", "scope_logs")).map((sl) => {
        const scope = field(sl, "scope");
        return {
          scope: { name: str(field(scope, "name")), version: str(field(scope, "version")) },
          logRecords: list(field(sl, "logRecords", "log_records")).map(jsonRecord),
        };
      }),
    })),
  };
}

function jsonRecord(record: unknown): DecodedLogRecord {
  const attributes = keyValues(field(record, "attributes"));
  const time = nanosToMicros(field(record, "timeUnixNano", "time_unix_nano"));
  const body = field(record, "body");
  return {
    timeUs: time || nanosToMicros(field(record, "observedTimeUnixNano", "observed_time_unix_nano")),
    traceId: id(field(record, "traceId", "trace_id")),
    spanId: id(field(record, "spanId", "span_id")),
    eventName: str(field(record, "eventName", "event_name")) || eventNameAttribute(attributes),
    attributes,
    body: body === undefined ? null : jsonAnyValue(body, 0),
  };
}

function eventNameAttribute(attributes: Attributes): string {
  const name = attributes[EVENT_NAME_ATTRIBUTE];
  return typeof name === "string" ? name : "";
}

// Protobuf, field numbers as in logs.proto.

function readRequest(buf: Buffer): DecodedLogsRequest {
  const r = new Reader(buf, 0, buf.length);
  const request: DecodedLogsRequest = { resourceLogs: [] };
  r.fields(buf.length, (n, w) => {
    if (n !== 1) return r.skip(w);
    expect(w, LEN, "resource_logs");
    request.resourceLogs.push(resourceLogs(r, r.len()));
  });
  return request;
}

function resourceLogs(r: Reader, end: number): DecodedLogsRequest["resourceLogs"][number] {
  const out: DecodedLogsRequest["resourceLogs"][number] = { resource: {}, scopeLogs: [] };
  r.fields(end, (n, w) => {
    if (n === 1 && w === LEN) {
      r.fields(r.len(), (rn, rw) => (rn === 1 && rw === LEN ? keyValue(r, r.len(), out.resource, 0) : r.skip(rw)));
    } else if (n === 2 && w === LEN) out.scopeLogs.push(scopeLogs(r, r.len()));
    else r.skip(w);
  });
  return out;
}

function scopeLogs(r: Reader, end: number): DecodedLogsRequest["resourceLogs"][number]["scopeLogs"][number] {
  const out = { scope: { name: "", version: "" }, logRecords: [] as DecodedLogRecord[] };
  r.fields(end, (n, w) => {
    if (n === 1 && w === LEN) {
      r.fields(r.len(), (sn, sw) => {
        if (sn === 1 && sw === LEN) out.scope.name = r.string();
        else if (sn === 2 && sw === LEN) out.scope.version = r.string();
        else r.skip(sw);
      });
    } else if (n === 2 && w === LEN) out.logRecords.push(logRecord(r, r.len()));
    else r.skip(w);
  });
  return out;
}

function logRecord(r: Reader, end: number): DecodedLogRecord {
  const record: DecodedLogRecord = { timeUs: 0, traceId: "", spanId: "", eventName: "", attributes: {}, body: null };
  let observedUs = 0;
  r.fields(end, (n, w) => {
    switch (n) {
      case 1: expect(w, I64, "time_unix_nano"); record.timeUs = r.nanosAsMicros(); break;
      case 11: expect(w, I64, "observed_time_unix_nano"); observedUs = r.nanosAsMicros(); break;
      case 5: expect(w, LEN, "body"); record.body = anyValue(r, r.len(), 1); break;
      case 6: expect(w, LEN, "attributes"); keyValue(r, r.len(), record.attributes, 0); break;
      case 9: expect(w, LEN, "trace_id"); record.traceId = r.hex(); break;
      case 10: expect(w, LEN, "span_id"); record.spanId = r.hex(); break;
      case 12: expect(w, LEN, "event_name"); record.eventName = r.string(); break;
      default: r.skip(w);
    }
  });
  record.timeUs ||= observedUs;
  record.eventName ||= eventNameAttribute(record.attributes);
  return record;
}
