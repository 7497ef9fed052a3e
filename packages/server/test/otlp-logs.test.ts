// OTLP logs: the GenAI message records of a span are joined to it, whichever arrives first and
// however the records are split over exports or retried; other records are acknowledged as not
// stored; a body that cannot be read is a clear 400 that leaves what was stored as it was.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import type { Conversation, SearchResults, SessionDetail, TraceDetail } from "../src/api/types.ts";
import { ExportLogsServiceResponse } from "../src/otlp/logs-decode.ts";
import { LOGS_EXPORT_PATH } from "../src/receivers/otlp-grpc.ts";
import {
  ANSWER_1, ANSWER_2, chatFixture, EXPECTED_CONVERSATION, logsExport, QUESTION_1, spansJson, SYSTEM, WEATHER, type ChatFixture, type LogRecordSpec,
} from "./otlp-logs-fixture.ts";
import { getJson, hexId, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let server: TestServer;
before(async () => (server = await startTestServer({ maxBodyBytes: 256 * 1024 })));
after(() => server.close());

type Answer = { status: number; json: Record<string, unknown> };

async function postLogs(body: string | Uint8Array, wire: "json" | "protobuf" = typeof body === "string" ? "json" : "protobuf", contentType?: string): Promise<Answer> {
  const response = await fetch(`${server.url}/v1/logs`, {
    method: "POST", headers: { "content-type": contentType ?? (wire === "json" ? "application/json" : "application/x-protobuf") }, body: body as BodyInit,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.headers.get("content-type") === "application/json") return { status: response.status, json: JSON.parse(Buffer.from(bytes).toString("utf8")) };
  // Protobuf answers: a partial success, or a google.rpc.Status (code, message) for errors.
  const json = response.status === 200 ? (ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(bytes), { longs: Number }) as Record<string, unknown>) : { raw: Buffer.from(bytes).toString("utf8") };
  return { status: response.status, json };
}

async function postSpans(fixture: ChatFixture, project: string) {
  const { status } = await postOtlpJson(server.url, spansJson(fixture, project));
  assert.equal(status, 200);
}

const all = (fixture: ChatFixture) => fixture.calls.flatMap((call) => [...call.input, call.choice]);
const inputs = (fixture: ChatFixture) => fixture.calls.flatMap((call) => call.input);
const choices = (fixture: ChatFixture) => fixture.calls.map((call) => call.choice);

async function conversationOf(project: string, sessionId: string): Promise<string[][]> {
  const { status, body } = await getJson<Conversation>(`${server.url}/api/v1/projects/${project}/sessions/${sessionId}/conversation`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.turns.map((turn) => turn.messages.map((m) => `${m.role}: ${m.content ?? m.toolCalls?.map((c) => `→ ${c.name}(${c.arguments})`).join("\n")}`));
}

/** What a person checks on the session page, and that search finds what was said. */
async function assertJoined(project: string, sessionId: string, fixture: ChatFixture) {
  const { status, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/${project}/sessions/${sessionId}`);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, ["ana"]);
  assert.equal(session.traceCount, 2, "two turns: the log records add none");
  assert.equal(session.llmCount, 3, "three LLM calls: the log records are none");
  assert.equal(session.tokens.total, fixture.tokens, "tokens counted once, from the spans");
  assert.equal(session.firstInput, QUESTION_1);
  assert.equal(session.lastOutput, ANSWER_2);
  assert.deepEqual(session.traces.map((t) => t.output), [ANSWER_1, ANSWER_2]);
  assert.deepEqual(session.traces.map((t) => t.rootSpanName), ["turn", "turn"]);
  assert.deepEqual(await conversationOf(project, sessionId), EXPECTED_CONVERSATION);
  const { body: found } = await getJson<SearchResults>(`${server.url}/api/v1/projects/${project}/search?q=${encodeURIComponent("sunny 24")}`);
  assert.deepEqual(found.sessions.map((s) => s.sessionId), [sessionId], "the answer's words are searchable");
}

describe("OTLP/HTTP logs: GenAI message records joined to their spans", () => {
  test("JSON, the records before the spans, one export", async () => {
    const fixture = chatFixture("s-logs-first", "ana");
    assert.deepEqual((await postLogs(logsExport(all(fixture), { project: "logs-a", wire: "json" }))), { status: 200, json: {} });
    await postSpans(fixture, "logs-a");
    await assertJoined("logs-a", "s-logs-first", fixture);
  });

  test("protobuf, the spans first, the records in two exports and one retried", async () => {
    const fixture = chatFixture("s-spans-first", "ana");
    await postSpans(fixture, "logs-b");
    const choicesExport = logsExport(choices(fixture), { project: "logs-b", wire: "protobuf", eventNameAs: "attribute" });
    assert.equal((await postLogs(choicesExport)).status, 200);
    assert.deepEqual(await postLogs(logsExport(inputs(fixture), { project: "logs-b", wire: "protobuf", eventNameAs: "attribute" })), { status: 200, json: {} });
    await assertJoined("logs-b", "s-spans-first", fixture);
    const before = (await getJson<SessionDetail>(`${server.url}/api/v1/projects/logs-b/sessions/s-spans-first`)).body;
    // The exporter did not hear back and sends the same export again: nothing is stored twice.
    assert.deepEqual(await postLogs(choicesExport), { status: 200, json: {} });
    const again = (await getJson<SessionDetail>(`${server.url}/api/v1/projects/logs-b/sessions/s-spans-first`)).body;
    assert.equal(again.spanCount, before.spanCount);
    await assertJoined("logs-b", "s-spans-first", fixture);
  });

  test("JSON, a call's records split around its spans, and an export retried with other records beside it", async () => {
    const fixture = chatFixture("s-split", "ana");
    const [first, ...rest] = all(fixture);
    assert.equal((await postLogs(logsExport([first], { project: "logs-c", wire: "json" }))).status, 200);
    await postSpans(fixture, "logs-c");
    // A collector in between re-batched: the first record arrives again, with the others.
    assert.equal((await postLogs(logsExport([first, ...rest], { project: "logs-c", wire: "json" }))).status, 200);
    await assertJoined("logs-c", "s-split", fixture);
  });

  test("each LLM call's messages are in its span view, and the records' spans count no tokens", async () => {
    const fixture = chatFixture("s-span-view", "ana");
    await postLogs(logsExport(all(fixture), { project: "logs-d", wire: "json" }));
    await postSpans(fixture, "logs-d");
    const lastCall = fixture.calls[2].choice;
    const { body: trace } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/logs-d/traces/${lastCall.traceId}`);
    const records = trace.spans.filter((s) => s.parentSpanId === lastCall.spanId);
    assert.equal(records.length, 1, "one span holds the call's records");
    assert.equal(records[0].tokens.total, 0);
    assert.deepEqual(records[0].outputMessages?.map((m) => m.content), [ANSWER_2]);
    assert.equal(records[0].inputMessages?.at(-1)?.content, WEATHER);
  });
});

describe("OTLP/HTTP logs and redaction", () => {
  test("a credential inside a message record is redacted before it is stored, like a span's", async () => {
    const fixture = chatFixture("s-logs-secret", "ana");
    const key = "sk-proj-Hq7vN3xK7pL2mR9tW4yB6cD1";
    const records = all(fixture).map((record, i) => (i === 1 ? { ...record, body: { content: `${QUESTION_1} My key is ${key}` } } : record));
    await postSpans(fixture, "logs-redacted");
    assert.equal((await postLogs(logsExport(records, { project: "logs-redacted", wire: "json" }))).status, 200);
    const said = (await conversationOf("logs-redacted", "s-logs-secret")).flat().join("\n");
    assert.match(said, /My key is \[redacted:api_key\]/);
    assert.ok(!said.includes(key));
    const { body: found } = await getJson<SearchResults>(`${server.url}/api/v1/projects/logs-redacted/search?q=${key}`);
    assert.deepEqual(found.sessions, []);
  });
});

describe("OTLP/HTTP logs in the newer GenAI convention", () => {
  test("inference.operation.details records lend their call gen_ai.input/output.messages (one input, an output per item)", async () => {
    const fixture = chatFixture("s-details", "ana");
    const { spans } = fixture;
    const llms = spans.filter((s) => s.name !== "turn");
    spans.splice(0, spans.length, ...spans.filter((s) => s.name === "turn" || s === llms[0]));
    const text = (role: string, content: string) => ({ role, parts: [{ type: "text", content }] });
    const details = (attributes: Record<string, unknown>, timeMs: number): LogRecordSpec => ({
      traceId: llms[0].traceId, spanId: llms[0].spanId!, event: "gen_ai.client.inference.operation.details", body: null, timeMs, attributes,
    });
    const records = [
      details({ "gen_ai.input.messages": [text("system", SYSTEM), text("user", QUESTION_1)] }, llms[0].startMs + 1),
      details({ "gen_ai.output.messages": [{ ...text("assistant", "Light layers"), finish_reason: "length" }] }, llms[0].endMs - 2),
      details({ "gen_ai.output.messages": JSON.stringify([text("assistant", "and comfortable shoes.")]) }, llms[0].endMs - 1),
    ];
    assert.deepEqual(await postLogs(logsExport(records, { project: "logs-h", wire: "protobuf" })), { status: 200, json: {} });
    await postSpans(fixture, "logs-h");
    assert.deepEqual((await conversationOf("logs-h", "s-details"))[0], [`system: ${SYSTEM}`, `user: ${QUESTION_1}`, "assistant: Light layers", "assistant: and comfortable shoes."]);
    const { body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/logs-h/sessions/s-details`);
    assert.equal(session.firstInput, QUESTION_1);
  });
});

describe("OTLP/HTTP logs that are not GenAI messages, or cannot be read", () => {
  test("other records are acknowledged with how many were not stored and why", async () => {
    const fixture = chatFixture("s-mixed", "ana");
    const [llm] = fixture.spans.filter((s) => s.name !== "turn");
    const other: LogRecordSpec[] = [
      { traceId: llm.traceId, spanId: llm.spanId!, event: "", body: "GET /checkout 200", timeMs: llm.startMs },
      { traceId: llm.traceId, spanId: llm.spanId!, event: "gen_ai.user.message", body: {}, timeMs: llm.startMs },
      { traceId: "", spanId: "", event: "gen_ai.user.message", body: { content: "a message of no span" }, timeMs: llm.startMs },
    ];
    for (const wire of ["json", "protobuf"] as const) {
      const answer = await postLogs(logsExport([...all(fixture), ...other], { project: "logs-e", wire }));
      assert.equal(answer.status, 200);
      const partial = answer.json.partialSuccess as { rejectedLogRecords: number; errorMessage: string };
      assert.equal(partial.rejectedLogRecords, 3, wire);
      assert.match(partial.errorMessage, /1 log record not stored: not a GenAI message event/);
      assert.match(partial.errorMessage, /1 log record not stored: a GenAI message with no content \(is content capture on\?/);
      assert.match(partial.errorMessage, /1 log record not stored: a GenAI message that names no span/);
    }
    await postSpans(fixture, "logs-e");
    assert.deepEqual(await conversationOf("logs-e", "s-mixed"), EXPECTED_CONVERSATION);
  });

  test("malformed bodies are a clear 400 (415 for a wrong type), and what was stored stays as it was", async () => {
    const fixture = chatFixture("s-kept", "ana");
    await postLogs(logsExport(all(fixture), { project: "logs-f", wire: "json" }));
    await postSpans(fixture, "logs-f");
    const deep = (depth: number): unknown => (depth === 0 ? "x" : { inner: deep(depth - 1) });
    const deepBody = JSON.parse(logsExport([{ ...fixture.calls[0].choice, body: deep(40) }], { wire: "json" }) as string);

    const json = async (body: string, pattern: RegExp) => {
      const answer = await postLogs(body, "json");
      assert.equal(answer.status, 400, body.slice(0, 80));
      assert.equal(answer.json.code, 3);
      assert.match(String(answer.json.message), pattern);
    };
    await json("{not json", /invalid OTLP JSON body/);
    await json("[1, 2]", /expected an object with resourceLogs/);
    await json(spansJson(fixture, "logs-f"), /trace export .*send it to \/v1\/traces/);
    await json(JSON.stringify(deepBody), /nested deeper than 32 levels/);
    const truncated = (logsExport(all(fixture), { project: "logs-f", wire: "protobuf" }) as Uint8Array).subarray(0, 50);
    const proto = await postLogs(truncated, "protobuf");
    assert.equal(proto.status, 400);
    assert.match(proto.json.raw as string, /invalid OTLP protobuf body/);
    assert.equal((await postLogs("hello", "json", "text/plain")).status, 415);

    assert.deepEqual(await conversationOf("logs-f", "s-kept"), EXPECTED_CONVERSATION);
    const { body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/logs-f/sessions/s-kept`);
    assert.equal(session.lastOutput, ANSWER_2);
    // And the next good export is read as ever.
    const next = chatFixture("s-after", "ana");
    assert.equal((await postLogs(logsExport(all(next), { project: "logs-f", wire: "protobuf" }))).status, 200);
    await postSpans(next, "logs-f");
    assert.deepEqual(await conversationOf("logs-f", "s-after"), EXPECTED_CONVERSATION);
  });
});

describe("OTLP/gRPC logs", () => {
  const call = (body: Uint8Array) => {
    const client = new Client(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
    return new Promise<{ error: ServiceError | null; response?: Buffer }>((resolve) => {
      client.makeUnaryRequest(LOGS_EXPORT_PATH, (b: Uint8Array) => Buffer.from(b), (b: Buffer) => b, body, new Metadata(), { deadline: Date.now() + 10_000 }, (error, response) => {
        client.close();
        resolve({ error, response });
      });
    });
  };

  test("LogsService/Export joins the records like OTLP/HTTP; garbage is INVALID_ARGUMENT", async () => {
    const fixture = chatFixture("s-grpc-logs", "ana");
    const answer = await call(logsExport([...all(fixture), { traceId: hexId(16), spanId: hexId(8), event: "app.log", body: "hi", timeMs: Date.now() }], { project: "logs-g", wire: "protobuf" }) as Uint8Array);
    assert.equal(answer.error, null);
    const partial = ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(answer.response!), { longs: Number }).partialSuccess;
    assert.equal(partial.rejectedLogRecords, 1);
    await postSpans(fixture, "logs-g");
    await assertJoined("logs-g", "s-grpc-logs", fixture);
    const bad = await call(new Uint8Array([0x0a, 0xff, 0xff]));
    assert.equal(bad.error?.code, status.INVALID_ARGUMENT);
    assert.match(String(bad.error?.details), /invalid OTLP protobuf body/);
  });
});
