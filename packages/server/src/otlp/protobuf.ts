// Reads OTLP ExportTraceServiceRequest protobuf straight into the decoded shape (types.ts).
// Written by hand on purpose: decoding through protobufjs built a full message tree with Long
// objects that was then walked again, a quarter of the ingest thread's time plus much of its
// garbage (BENCHMARKS.md). Field numbers are the OTLP specification's (see trace.proto and common.proto).
import type { Attributes, DecodedEvent, DecodedRequest, DecodedSpan } from "./types.ts";

export class ProtobufError extends Error {}

const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
const I32 = 5;
/** AnyValue arrays and key-value lists may nest; deeper than this is refused, not recursed. */
const MAX_DEPTH = 32;

/** Shared with logs-decode.ts, which reads log exports the same way. */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** A varint up to 2^53 as a number (field tags, lengths, enums, bools). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError(`truncated varint at byte ${this.pos}`);
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ProtobufError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A signed int64 varint: a number when exact, else its decimal string. */
  int64(): number | string {
    const start = this.pos;
    const value = this.varint();
    // Up to 7 bytes (< 2^49) the number is exact; longer ones, negatives among them, need BigInt.
    if (this.pos - start <= 7) return value;
    let big = 0n;
    for (let i = start, shift = 0n; i < this.pos; i++, shift += 7n) big |= BigInt(this.buf[i] & 0x7f) << shift;
    const signed = BigInt.asIntN(64, big);
    return Number.isSafeInteger(Number(signed)) ? Number(signed) : signed.toString();
  }

  /** A fixed64 count of nanoseconds, as whole microseconds (exact without BigInt). */
  nanosAsMicros(): number {
    this.need(8);
    const low = this.buf.readUInt32LE(this.pos);
    const high = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    // high * 2^32 = high * 4294967 * 1000 + high * 296, so the division by 1000 stays exact.
    return high * 4294967 + Math.floor((high * 296 + low) / 1000);
  }

  double(): number {
    this.need(8);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** The end of a length-delimited field that starts here. */
  len(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw new ProtobufError(`field of ${length} bytes runs past the end of its message at byte ${this.pos}`);
    return end;
  }

  string(): string {
    const end = this.len();
    const text = this.buf.toString("utf8", this.pos, end);
    this.pos = end;
    return text;
  }

  hex(): string {
    const end = this.len();
    const text = this.buf.toString("hex", this.pos, end);
    this.pos = end;
    return text;
  }

  base64(): string {
    const end = this.len();
    const text = this.buf.toString("base64", this.pos, end);
    this.pos = end;
    return text;
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === LEN) this.pos = this.len();
    else if (wireType === I64 || wireType === I32) {
      const size = wireType === I64 ? 8 : 4;
      this.need(size);
      this.pos += size;
    } else throw new ProtobufError(`unsupported wire type ${wireType} at byte ${this.pos}`);
  }

  need(bytes: number): void {
    if (this.pos + bytes > this.end) throw new ProtobufError(`truncated field at byte ${this.pos}`);
  }

  /** Calls `field` for each field of the message that ends at `end`. */
  fields(end: number, field: (number: number, wireType: number) => void): void {
    while (this.pos < end) {
      const tag = this.varint();
      field(Math.floor(tag / 8), tag & 7);
    }
    if (this.pos !== end) throw new ProtobufError(`message overruns its length at byte ${this.pos}`);
  }
}

export function expect(wireType: number, want: number, what: string): void {
  if (wireType !== want) throw new ProtobufError(`${what} has wire type ${wireType}, expected ${want}`);
}

export function decodeProtobufRequest(body: Uint8Array): DecodedRequest {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const r = new Reader(buf, 0, buf.length);
  const request: DecodedRequest = { resourceSpans: [] };
  r.fields(buf.length, (n, w) => {
    if (n !== 1) return r.skip(w);
    expect(w, LEN, "resource_spans");
    request.resourceSpans.push(resourceSpans(r, r.len()));
  });
  return request;
}

function resourceSpans(r: Reader, end: number): DecodedRequest["resourceSpans"][number] {
  const out: DecodedRequest["resourceSpans"][number] = { resource: {}, scopeSpans: [] };
  r.fields(end, (n, w) => {
    if (n === 1 && w === LEN) {
      const resourceEnd = r.len();
      r.fields(resourceEnd, (rn, rw) => (rn === 1 && rw === LEN ? keyValue(r, r.len(), out.resource, 0) : r.skip(rw)));
    } else if (n === 2 && w === LEN) out.scopeSpans.push(scopeSpans(r, r.len()));
    else r.skip(w);
  });
  return out;
}

function scopeSpans(r: Reader, end: number): DecodedRequest["resourceSpans"][number]["scopeSpans"][number] {
  const out = { scope: { name: "", version: "" }, spans: [] as DecodedSpan[] };
  r.fields(end, (n, w) => {
    if (n === 1 && w === LEN) {
      const scopeEnd = r.len();
      r.fields(scopeEnd, (sn, sw) => {
        if (sn === 1 && sw === LEN) out.scope.name = r.string();
        else if (sn === 2 && sw === LEN) out.scope.version = r.string();
        else r.skip(sw);
      });
    } else if (n === 2 && w === LEN) out.spans.push(span(r, r.len()));
    else r.skip(w);
  });
  return out;
}

function span(r: Reader, end: number): DecodedSpan {
  const s: DecodedSpan = {
    traceId: "", spanId: "", parentSpanId: "", name: "", kind: 0, startUs: 0, endUs: 0, attributes: {}, events: [],
    status: { code: 0, message: "" },
  };
  r.fields(end, (n, w) => {
    switch (n) {
      case 1: expect(w, LEN, "trace_id"); s.traceId = r.hex(); break;
      case 2: expect(w, LEN, "span_id"); s.spanId = r.hex(); break;
      case 4: expect(w, LEN, "parent_span_id"); s.parentSpanId = r.hex(); break;
      case 5: expect(w, LEN, "name"); s.name = r.string(); break;
      case 6: expect(w, VARINT, "kind"); s.kind = r.varint(); break;
      case 7: expect(w, I64, "start_time_unix_nano"); s.startUs = r.nanosAsMicros(); break;
      case 8: expect(w, I64, "end_time_unix_nano"); s.endUs = r.nanosAsMicros(); break;
      case 9: expect(w, LEN, "attributes"); keyValue(r, r.len(), s.attributes, 0); break;
      case 11: expect(w, LEN, "events"); s.events.push(event(r, r.len())); break;
      case 15: {
        expect(w, LEN, "status");
        r.fields(r.len(), (sn, sw) => {
          if (sn === 2 && sw === LEN) s.status.message = r.string();
          else if (sn === 3 && sw === VARINT) s.status.code = r.varint();
          else r.skip(sw);
        });
        break;
      }
      default: r.skip(w);
    }
  });
  return s;
}

function event(r: Reader, end: number): DecodedEvent {
  const e: DecodedEvent = { timeUs: 0, name: "", attributes: {} };
  r.fields(end, (n, w) => {
    if (n === 1 && w === I64) e.timeUs = r.nanosAsMicros();
    else if (n === 2 && w === LEN) e.name = r.string();
    else if (n === 3 && w === LEN) keyValue(r, r.len(), e.attributes, 0);
    else r.skip(w);
  });
  return e;
}

/** Reads one KeyValue into `into`. */
export function keyValue(r: Reader, end: number, into: Attributes, depth: number): void {
  let key = "";
  let value: unknown = null;
  r.fields(end, (n, w) => {
    if (n === 1 && w === LEN) key = r.string();
    else if (n === 2 && w === LEN) value = anyValue(r, r.len(), depth + 1);
    else r.skip(w);
  });
  if (!key) return;
  // An attribute named "__proto__" is data, not the object's prototype.
  if (key === "__proto__") Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  else into[key] = value;
}

export function anyValue(r: Reader, end: number, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new ProtobufError(`attribute values nested deeper than ${MAX_DEPTH} levels`);
  let value: unknown = null;
  r.fields(end, (n, w) => {
    if (n === 1 && w === LEN) value = r.string();
    else if (n === 2 && w === VARINT) value = r.varint() !== 0;
    else if (n === 3 && w === VARINT) value = r.int64();
    else if (n === 4 && w === I64) value = r.double();
    else if (n === 5 && w === LEN) {
      const items: unknown[] = [];
      r.fields(r.len(), (an, aw) => (an === 1 && aw === LEN ? items.push(anyValue(r, r.len(), depth + 1)) : r.skip(aw)));
      value = items;
    } else if (n === 6 && w === LEN) {
      const object: Attributes = {};
      r.fields(r.len(), (kn, kw) => (kn === 1 && kw === LEN ? keyValue(r, r.len(), object, depth + 1) : r.skip(kw)));
      value = object;
    } else if (n === 7 && w === LEN) value = r.base64();
    else r.skip(w);
  });
  return value;
}
