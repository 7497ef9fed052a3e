// What a fuzzer found, each now a clear answer that harms nothing: a far-future time, a value
// nested 10,000 deep, a 15-million-digit number, an oversized body mid-upload, a JSON array for a
// body, a client that hangs up mid-body. The valid rest of a batch is always kept, and every
// page still reads.
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import type { ProjectList, SessionDetail, TraceDetail } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

const MAX_BODY = 1024 * 1024;
let server: TestServer;
before(async () => {
  server = await startTestServer({ maxBodyBytes: MAX_BODY });
});
after(() => server.close());

/** An OTLP/JSON body whose first span gets `edit`ed, next to a valid span. */
function mixed(edit: (span: Record<string, unknown>) => void, session: string) {
  const now = Date.now();
  const good = { traceId: hexId(16), startMs: now, endMs: now + 5, attributes: { "session.id": session, "input.value": "fine" } };
  const bad = { traceId: hexId(16), startMs: now, endMs: now + 5, attributes: { "session.id": session } };
  const body = JSON.parse(otlpJson([bad, good], "hostile"));
  edit(body.resourceSpans[0].scopeSpans[0].spans[0]);
  return { body: JSON.stringify(body), good };
}

test("a span past year 2200 is refused with a reason, the rest kept, and every page still reads; a retry is not a 503", async () => {
  for (const [field, value, reason] of [
    ["startTimeUnixNano", "253402300799000000000", /invalid start time/], // 9999-12-31: more digits than a uint64
    ["startTimeUnixNano", "10413792000000000000", /start time .* is after 2200-01-01/], // 2300
    ["endTimeUnixNano", "18446744073709551615", /end time .* is after 2200-01-01/], // uint64 max
  ] as const) {
    const { body, good } = mixed((span) => (span[field] = value), `far-${value}`);
    for (const attempt of [1, 2]) {
      const answer = await postOtlpJson(server.url, body);
      assert.equal(answer.status, 200, `attempt ${attempt}`);
      const partial = answer.body.partialSuccess as { rejectedSpans: number; errorMessage: string };
      assert.equal(partial.rejectedSpans, 1);
      assert.match(partial.errorMessage, reason);
    }
    assert.equal((await getJson<ProjectList>(`${server.url}/api/v1/projects`)).status, 200);
    const session = await getJson<SessionDetail>(`${server.url}/api/v1/projects/hostile/sessions/far-${value}`);
    assert.equal(session.status, 200);
    assert.deepEqual(session.body.traces.map((t) => t.traceId), [good.traceId]);
  }
});

test("an event time out of range becomes the span's start, and the trace reads", async () => {
  const { body } = mixed((span) => (span.events = [{ timeUnixNano: "99999999999999999999", name: "late" }]), "far-event");
  const answer = await postOtlpJson(server.url, body);
  assert.equal(answer.status, 200);
  const session = await getJson<SessionDetail>(`${server.url}/api/v1/projects/hostile/sessions/far-event`);
  for (const turn of session.body.traces) {
    const trace = await getJson<TraceDetail>(`${server.url}/api/v1/projects/hostile/traces/${turn.traceId}`);
    assert.equal(trace.status, 200);
  }
});

test("a value nested 10,000 deep is a 400 that says so, not a 503 to retry forever", async () => {
  let value = '{"stringValue":"bottom"}';
  for (let i = 0; i < 10_000; i++) value = `{"arrayValue":{"values":[${value}]}}`;
  const { body } = mixed(() => {}, "deep");
  const deep = body.replace('"attributes":[', `"attributes":[{"key":"deep","value":${value}},`);
  const answer = await postOtlpJson(server.url, deep);
  assert.equal(answer.status, 400);
  assert.match(String(answer.body.message), /nested deeper than 32 levels/);
});

test("a 15-million-digit time in a small gzip body is refused as an invalid start time", async () => {
  const { body } = mixed((span) => (span.startTimeUnixNano = "9".repeat(15_000_000)), "digits");
  const zipped = gzipSync(body);
  assert.ok(zipped.length < 100_000);
  const response = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: zipped });
  // Larger than the limit once inflated: refused whole, as oversized.
  assert.equal(response.status, 413);
  const small = mixed((span) => (span.startTimeUnixNano = "9".repeat(500_000)), "digits");
  const answer = await postOtlpJson(server.url, small.body);
  assert.equal(answer.status, 200);
  assert.match(String((answer.body.partialSuccess as { errorMessage: string }).errorMessage), /invalid start time/);
  const session = await getJson<SessionDetail>(`${server.url}/api/v1/projects/hostile/sessions/digits`);
  assert.ok(session.body.traces.some((t) => t.traceId === small.good.traceId));
});

test("an oversized body gets its 413 while it is still being sent, not a reset", async () => {
  const url = new URL(`${server.url}/v1/traces`);
  for (const declared of [true, false]) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: "POST", headers: { "content-type": "application/x-protobuf", ...(declared ? { "content-length": String(3 * MAX_BODY) } : {}) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const write = () => {
        while (sent < 3 * MAX_BODY) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });
    assert.equal(status, 413, declared ? "with Content-Length" : "chunked");
  }
});

test("a JSON array is not an export", async () => {
  const answer = await postOtlpJson(server.url, "[]");
  assert.equal(answer.status, 400);
  assert.match(String(answer.body.message), /expected an object with resourceSpans/);
});

test("a client that hangs up mid-body leaves no error in the log, and the server goes on", async () => {
  const { port } = new URL(server.url);
  await new Promise<void>((resolve) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"resourceSpans\":[");
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(!server.logs.some((line) => /export failed|aborted|ECONNRESET/.test(line)), server.logs.join("\n"));
  assert.equal((await getJson(`${server.url}/api/v1/projects`)).status, 200);
});

test("caps: spans past the per-export limit are refused, the rest kept; extra attributes dropped and counted; a long value cut with a marker", async () => {
  const capped = await startTestServer({ caps: { maxSpansPerRequest: 3, maxAttributesPerSpan: 5, maxValueChars: 100 } });
  try {
    const now = Date.now();
    const traceId = hexId(16);
    const attributes: Record<string, string> = { "session.id": "capped", "input.value": "x".repeat(250) };
    for (let i = 0; i < 10; i++) attributes[`extra.${i}`] = `v${i}`;
    const spans = Array.from({ length: 5 }, (_, i) => ({ traceId, startMs: now + i, endMs: now + i + 1, attributes }));
    const answer = await postOtlpJson(capped.url, otlpJson(spans, "caps"));
    assert.equal(answer.status, 200);
    const partial = answer.body.partialSuccess as { rejectedSpans: number; errorMessage: string };
    assert.equal(partial.rejectedSpans, 2);
    assert.match(partial.errorMessage, /2 spans past the 3-span limit of one export were refused/);
    const { body } = await getJson<TraceDetail>(`${capped.url}/api/v1/projects/caps/traces/${traceId}`);
    assert.equal(body.spans.length, 3);
    const span = body.spans[0];
    assert.equal(Object.keys(span.attributes).filter((k) => k !== "threadline.dropped_attributes_count").length, 5);
    assert.equal(span.attributes["threadline.dropped_attributes_count"], 7);
    assert.equal(span.input, `${"x".repeat(100)}…[truncated 150 characters]`);
  } finally {
    await capped.close();
  }
});

test("live event streams are bounded: past the limit a new one gets 503 with Retry-After, and a closed one frees its place", async () => {
  const limited = await startTestServer({ maxSubscribers: 2 });
  try {
    await postOtlpJson(limited.url, otlpJson([{ traceId: hexId(16), startMs: Date.now(), endMs: Date.now() + 1 }], "live"));
    const url = `${limited.url}/api/v1/projects/live/events`;
    const controllers = [new AbortController(), new AbortController()];
    for (const controller of controllers) assert.equal((await fetch(url, { signal: controller.signal })).status, 200);
    const refused = await fetch(url);
    assert.equal(refused.status, 503);
    assert.ok(refused.headers.get("retry-after"));
    controllers[0].abort();
    let status = 503;
    for (let i = 0; i < 50 && status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const controller = new AbortController();
      status = (await fetch(url, { signal: controller.signal })).status;
      controller.abort();
    }
    assert.equal(status, 200);
    controllers[1].abort();
  } finally {
    await limited.close();
  }
});
