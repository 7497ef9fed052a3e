// A seeded fuzzer against a running server: 10,000 mutated OTLP exports, protobuf and JSON, over
// HTTP and gRPC, starting from exports the official OpenTelemetry serializers encoded (events,
// links, kvlist, array and bytes values). Every answer must be a 2xx, a 4xx with a message, or a
// 503 with Retry-After; the server must stay up and every page must still read afterwards; the
// valid part of a mixed batch must be kept; memory must stay bounded.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { Client, credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { ProjectList, SessionList, TraceDetail } from "../src/api/types.ts";
import { TRACE_EXPORT_PATH } from "../src/receivers/otlp-grpc.ts";
import { getJson, hexId, otlpJson, postOtlpJson, rng, startTestServer, TEST_STORE, type TestServer } from "./support.ts";

const SEED = 20261201;
// On ClickHouse a fifth as many: the decoders are the same code either way, what differs is what
// the store makes of the odd values (and the full run takes 3 minutes on chdb).
const PAYLOADS = TEST_STORE === "sqlite" ? { protobufHttp: 4_000, jsonHttp: 3_000, grpc: 3_000 } : { protobufHttp: 800, jsonHttp: 600, grpc: 600 };
const CONCURRENCY = 8;

const random = rng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]) => list[int(list.length)];

/** Spans with every kind of value, made and encoded by the official SDK. */
function officialSpans(session: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "openinference.project.name": "fuzz", "service.name": "fuzzer", "host.tags": ["a", "b"] }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("fuzz", "1.0");
  const root = tracer.startSpan("turn", { kind: SpanKind.SERVER, attributes: { "session.id": session, "user.id": "u", "input.value": "héllo 👋", "tag.tags": ["x", "y"], retries: 3, ratio: 0.5, ok: true } });
  const child = tracer.startSpan("llm", {
    attributes: { "llm.token_count.total": 42, "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "hi", metadata: '{"plan":"pro","n":{"deep":[1,2]}}' },
    links: [{ context: root.spanContext(), attributes: { why: "follows" } }],
  }, trace.setSpan(ROOT_CONTEXT, root));
  child.addEvent("exception", { "exception.message": "boom", "exception.stacktrace": "at x" });
  child.setStatus({ code: 2, message: "failed" });
  child.end();
  root.end();
  return memory.getFinishedSpans();
}

function mutateBytes(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes);
  const kind = int(6);
  if (kind === 0) for (let i = 0; i < 1 + int(8); i++) out[int(out.length)] = int(256); // flip bytes
  if (kind === 1) return out.subarray(0, int(out.length)); // truncate
  if (kind === 2) { // insert random bytes
    const at = int(out.length);
    return Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(16) }, () => int(256))), out.subarray(at)]);
  }
  if (kind === 3) { // a huge varint length
    const at = int(out.length);
    return Buffer.concat([out.subarray(0, at), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), out.subarray(at)]);
  }
  if (kind === 4) return Buffer.concat([out, out.subarray(int(out.length))]); // duplicated tail
  return Buffer.from(Array.from({ length: int(2048) }, () => int(256))); // noise
}

const HOSTILE_VALUES: unknown[] = [
  null, true, -1, 1e308, "", "x".repeat(5000), "18446744073709551616", "99999999999999999999999", "-5", "0x10", "NaN",
  [], {}, [[[]]], { stringValue: 7 }, { arrayValue: { values: "no" } }, { kvlistValue: { values: [{ key: 1 }] } }, "__proto__",
];

/** Mutates a JSON export's structure: a field gets a hostile value, is removed, or is nested. */
function mutateJson(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => (random() < 0.15 ? pick(HOSTILE_VALUES) : mutateJson(v, depth + 1)));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const roll = random();
      if (roll < 0.05) continue;
      out[key] = roll < 0.15 ? pick(HOSTILE_VALUES) : roll < 0.17 && depth < 20 ? { arrayValue: { values: [v] } } : mutateJson(v, depth + 1);
    }
    return out;
  }
  return value;
}

let server: TestServer;
let protobufBase: Uint8Array;
let jsonBase: unknown;
before(async () => {
  server = await startTestServer({ maxBodyBytes: 256 * 1024 });
  protobufBase = ProtobufTraceSerializer.serializeRequest(officialSpans("fuzz-base"))!;
  jsonBase = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(officialSpans("fuzz-base-json"))!).toString("utf8"));
});
after(() => server.close());

async function pool<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

function checkHttp(status: number, headers: Headers, text: string, what: string) {
  if (status === 200) return;
  if (status === 503) return assert.ok(headers.get("retry-after"), `${what}: 503 without Retry-After`);
  assert.ok([400, 413, 415].includes(status), `${what}: status ${status}`);
  assert.ok(text.length > 0, `${what}: ${status} without a message`);
}

test(`${PAYLOADS.protobufHttp + PAYLOADS.jsonHttp + PAYLOADS.grpc} mutated exports: every answer is clean, the server stays up, every page reads`, async (t) => {
  const rssBefore = process.memoryUsage().rss;
  const tally = new Map<string, number>();
  const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

  const protobuf = Array.from({ length: PAYLOADS.protobufHttp }, () => {
    const bytes = mutateBytes(protobufBase);
    return random() < 0.1 ? { bytes: gzipSync(bytes), gzip: true } : { bytes, gzip: random() < 0.02 };
  });
  await pool(protobuf, async ({ bytes, gzip }) => {
    const response = await fetch(`${server.url}/v1/traces`, {
      method: "POST", body: Buffer.from(bytes),
      headers: { "content-type": pick(["application/x-protobuf", "application/x-protobuf", "application/protobuf", "text/plain"]), ...(gzip ? { "content-encoding": "gzip" } : {}) },
    });
    const text = Buffer.from(await response.arrayBuffer()).toString("latin1");
    checkHttp(response.status, response.headers, text, "protobuf");
    count(`http ${response.status}`);
  });

  const json = Array.from({ length: PAYLOADS.jsonHttp }, () => {
    const roll = random();
    if (roll < 0.1) return JSON.stringify(jsonBase).slice(0, int(2000)); // cut short
    if (roll < 0.15) return pick(["[]", "null", "1", '"x"', "{", "{\"resourceSpans\":{}}", "{\"resourceSpans\":[null,1,\"a\"]}"]);
    return JSON.stringify(mutateJson(jsonBase));
  });
  await pool(json, async (body) => {
    const response = await fetch(`${server.url}/v1/traces`, { method: "POST", body, headers: { "content-type": "application/json" } });
    const text = await response.text();
    checkHttp(response.status, response.headers, text, "json");
    if (response.status === 400) assert.match(text, /"message":"[^"]+/);
    count(`http ${response.status}`);
  });

  const client = new Client(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
  const grpcPayloads = Array.from({ length: PAYLOADS.grpc }, () => mutateBytes(protobufBase));
  await pool(grpcPayloads, async (bytes) => {
    const error = await new Promise<ServiceError | null>((resolve) => {
      client.makeUnaryRequest(TRACE_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(bytes), new Metadata(), { deadline: Date.now() + 30_000 }, (e) => resolve(e));
    });
    const code = error?.code ?? status.OK;
    assert.ok([status.OK, status.INVALID_ARGUMENT, status.RESOURCE_EXHAUSTED, status.UNAVAILABLE].includes(code), `grpc: ${code} ${error?.details}`);
    if (code === status.INVALID_ARGUMENT) assert.ok(error!.details.length > 0);
    count(`grpc ${status[code]}`);
  });
  client.close();

  // Still up, and nothing stored poisons a read: every project, its sessions and their traces.
  assert.equal((await getJson(`${server.url}/healthz`)).status, 200);
  const { status: projectsStatus, body: projects } = await getJson<ProjectList>(`${server.url}/api/v1/projects`);
  assert.equal(projectsStatus, 200);
  for (const project of projects.projects) {
    const p = encodeURIComponent(project.name);
    const { status: listStatus, body: list } = await getJson<SessionList>(`${server.url}/api/v1/projects/${p}/sessions?limit=100`);
    assert.equal(listStatus, 200, project.name);
    for (const path of ["users", "session-stats", "annotation-names"]) assert.equal((await getJson(`${server.url}/api/v1/projects/${p}/${path}`)).status, 200, path);
    for (const session of list.sessions.slice(0, 20)) {
      const s = encodeURIComponent(session.sessionId);
      for (const path of [`sessions/${s}`, `sessions/${s}/conversation`, `sessions/${s}/traces`]) {
        assert.equal((await getJson(`${server.url}/api/v1/projects/${p}/${path}`)).status, 200, path);
      }
    }
  }
  const growth = process.memoryUsage().rss - rssBefore;
  t.diagnostic(`answers: ${[...tally].sort().map(([k, n]) => `${k} ×${n}`).join(", ")}; RSS +${Math.round(growth / 2 ** 20)} MiB`);
  assert.ok(growth < 512 * 2 ** 20, `RSS grew ${Math.round(growth / 2 ** 20)} MiB`);
  // Some of each kind of answer, or the fuzzer is not reaching the code it means to.
  for (const key of ["http 200", "http 400", "grpc OK", "grpc INVALID_ARGUMENT"]) assert.ok((tally.get(key) ?? 0) > 0, `${key}: ${JSON.stringify([...tally])}`);
});

test("in a batch of valid and mutated resources, every valid span is kept", async () => {
  for (let round = 0; round < 50; round++) {
    const now = Date.now();
    const traceId = hexId(16);
    const good = JSON.parse(otlpJson([{ traceId, startMs: now, endMs: now + 5, attributes: { "session.id": `kept-${round}` } }], "fuzz-mixed")).resourceSpans[0];
    const bad = (mutateJson(jsonBase) as { resourceSpans?: unknown[] }).resourceSpans ?? [];
    const resourceSpans = [...(Array.isArray(bad) ? bad : []), good].sort(() => random() - 0.5);
    const answer = await postOtlpJson(server.url, JSON.stringify({ resourceSpans }));
    if (answer.status === 400) continue; // the mutation made the body undecodable: nothing is stored, the exporter is told why
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const { status: traceStatus, body } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/fuzz-mixed/traces/${traceId}`);
    assert.equal(traceStatus, 200, `round ${round}: the valid trace was lost`);
    assert.equal(body.spans.length, 1);
  }
});

test("hostile values in every filter, sort and page parameter get a 200 or a 400 with a reason, and harm nothing", async () => {
  const now = Date.now();
  await postOtlpJson(server.url, otlpJson([{ traceId: hexId(16), startMs: now, endMs: now + 5, attributes: { "session.id": "inj", "user.id": "u1", "input.value": "hello" } }], "fuzz-q"));
  const before = await getJson<SessionList>(`${server.url}/api/v1/projects/fuzz-q/sessions`);
  const hostile = [
    "' OR 1=1 --", "\"; DROP TABLE sessions; --", "x') UNION SELECT * FROM keys --", "%", "_", "\\", "*", "NEAR(a b)", "\"unclosed", "a AND OR NOT",
    "..%2F..%2Fetc%2Fpasswd", "\u0000", "😀".repeat(500), "9".repeat(400), "-1", "1e999", "NaN", "true", "annotation:", "annotation:' OR '1",
  ];
  const params = ["user", "from", "to", "q", "tag", "hasErrors", "metadata", "annotation", "label", "scoreMin", "scoreMax", "limit", "cursor", "sort", "order"];
  for (const path of ["sessions", "session-stats", "users", "search"]) {
    for (const param of params) {
      for (const value of hostile) {
        const url = `${server.url}/api/v1/projects/fuzz-q/${path}?${param}=${encodeURIComponent(value)}${path === "search" && param !== "q" ? "&q=a" : ""}`;
        const response = await fetch(url);
        const body = (await response.json()) as { error?: string };
        assert.ok(response.status === 200 || (response.status === 400 && typeof body.error === "string" && body.error.length > 0), `${path}?${param}=${value}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      }
    }
  }
  const afterwards = await getJson<SessionList>(`${server.url}/api/v1/projects/fuzz-q/sessions`);
  assert.deepEqual(afterwards.body, before.body);
});
