// Redaction before anything is stored: spans carrying an email address, a phone number, a card
// number, an API key and a value of the project's own pattern in their attributes, messages,
// events, metadata, tags, resource, user id and session id arrive over real OTLP/HTTP (the
// OpenTelemetry SDK's exporter); no API route a user has, no search and no byte of the data
// folder gives any of them back, while the rest survives and what was replaced is counted.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { zstdDecompressSync } from "node:zlib";
import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { SessionDetail, SessionList, TraceDetail, UserList } from "../src/api/types.ts";
import { ConfigError, loadConfig } from "../src/config.ts";
import { getJson, startTestServer, TEST_STORE, type TestServer } from "./support.ts";

const EMAIL = "zoe.quartermaine@example.org";
const PHONE = "+1 415 555 2671";
const PHONE_ID = "+14155552671"; // the session id: a conversation keyed by the caller's number
const CARD = "4111 1111 1111 1111";
const KEY = "sk-proj-Zq8vN3xK7pL2mR9tW4yB6cD1";
const ORDER = "ORD-55501234";
/** Every form of the secrets that must never come back. */
const SECRETS = [EMAIL, "quartermaine", PHONE, PHONE_ID, "4155552671", CARD, "4111111111111111", KEY, "Zq8vN3xK7pL2mR9tW4yB6cD1", ORDER, "55501234"];
/** Values no rule matches: they must survive everywhere. */
const CANARY = "canary-bluefin-7781";
const KEPT_EMAIL = "kept.visible@example.net"; // in a project that leaves emails alone

const HOUR = 3_600_000;
let server: TestServer;
let dataDir: string;

/** Exports spans made with the OpenTelemetry SDK to the server, as an app would. */
async function sendTurns(project: string, make: (tracer: ReturnType<BasicTracerProvider["getTracer"]>) => void, resource: Attributes = {}) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "openinference.project.name": project, "service.name": "support-bot", ...resource }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces` }))],
  });
  make(provider.getTracer("redaction-test"));
  await provider.forceFlush();
  await provider.shutdown();
}

const api = (project: string, path: string) => `${server.url}/api/v1/projects/${project}${path}`;
const text = async (url: string) => {
  const response = await fetch(url);
  const body = await response.text();
  assert.equal(response.status, 200, `${url}: ${body.slice(0, 300)}`);
  return body;
};

const serverOptions = () => ({
  dataDir,
  evaluators: ["user_frustration", "errors", "repetition", "unanswered"], // they read what was stored, and must find no secret either
  projects: {
    redacted: { redaction: { email: true, phone: true, card: true, patterns: [{ name: "order_id", pattern: "ORD-[0-9]{8}" }] } },
    counted: { redaction: { email: true, phone: true, card: true, patterns: [{ name: "order_id", pattern: "ORD-[0-9]{8}" }] } },
  },
});

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "threadline-redaction-"));
  server = await startTestServer(serverOptions());
  const start = Date.now() - 2 * HOUR; // long quiet: the sessions are idle and get evaluated
  const question = `Hi, I'm ${EMAIL}, call me on ${PHONE}. ${CANARY}: my card ${CARD} was charged twice for ${ORDER}.`;
  const answer = `Sorry about that! I opened a refund for ${ORDER}; your agent key is ${KEY}.`;
  await sendTurns("redacted", (tracer) => {
    const root = tracer.startSpan("turn", {
      startTime: start,
      attributes: {
        "openinference.span.kind": "AGENT", "session.id": PHONE_ID, "user.id": EMAIL, "input.value": question, "output.value": answer,
        metadata: JSON.stringify({ contact: EMAIL, plan: "pro", note: CANARY }), "tag.tags": ["vip", EMAIL],
        "app.customer.phone": PHONE, "http.request.header.authorization": [`Bearer ${KEY}`],
      },
    }, ROOT_CONTEXT);
    const llm = tracer.startSpan("ChatCompletion", {
      startTime: start + 10,
      attributes: {
        "openinference.span.kind": "LLM", "session.id": PHONE_ID, "user.id": EMAIL, "llm.model_name": "gpt-4o-mini",
        "input.value": JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] }), "input.mime_type": "application/json",
        "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": question,
        "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": answer,
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "refund",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": JSON.stringify({ email: EMAIL, card: CARD, order: ORDER }),
        "llm.token_count.prompt": 40, "llm.token_count.completion": 20, "llm.token_count.total": 60,
      },
    }, trace.setSpan(ROOT_CONTEXT, root));
    llm.addEvent("payment.retry", { "payment.card": CARD, "payment.contact": `${EMAIL} / ${PHONE}`, note: CANARY }, start + 20);
    llm.end(start + 900);
    root.setStatus({ code: SpanStatusCode.ERROR, message: `refund failed for card ${CARD}` });
    root.end(start + 1000);
    // A second turn of the same conversation, its JSON written the way Python's json.dumps escapes (\u0040 for @ here).
    const second = tracer.startSpan("turn", {
      startTime: start + 60_000,
      attributes: {
        "openinference.span.kind": "LLM", "session.id": PHONE_ID, "user.id": EMAIL,
        "input.value": `{"messages": [{"role": "user", "content": "Did it go through? Write to zoe.quartermaine\\u0040example.org ${CANARY}"}]}`,
        "input.mime_type": "application/json", "output.value": "Yes, the refund went through.",
      },
    }, ROOT_CONTEXT);
    second.end(start + 61_000);
  }, { "deployment.contact": EMAIL });
  // A project with the defaults: API keys are redacted, emails are not.
  await sendTurns("plain", (tracer) => {
    tracer.startSpan("turn", { startTime: start, attributes: { "session.id": "plain-1", "user.id": KEPT_EMAIL, "input.value": `mail ${KEPT_EMAIL} with ${KEY}` } }, ROOT_CONTEXT).end(start + 5);
  });
  await server.evaluation.runOnce();
});

after(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("no read route and no search gives a redacted value back; ids are stable pseudonyms; the rest survives", async () => {
  const { body: sessions } = await getJson<SessionList>(api("redacted", "/sessions"));
  assert.equal(sessions.sessions.length, 1, "both turns grouped in one session under the pseudonym");
  const session = sessions.sessions[0];
  assert.match(session.sessionId, /^phone:[0-9a-f]{16}$/);
  assert.equal(session.traceCount, 2);
  assert.equal(session.userIds.length, 1);
  const userId = session.userIds[0];
  assert.match(userId, /^email:[0-9a-f]{16}$/);
  const sid = encodeURIComponent(session.sessionId);

  const { body: detail } = await getJson<SessionDetail>(api("redacted", `/sessions/${sid}`));
  const bodies: string[] = [JSON.stringify(sessions), JSON.stringify(detail)];
  const traces = await Promise.all(detail.traces.map(async (t) => (await getJson<TraceDetail>(api("redacted", `/traces/${t.traceId}`))).body));
  const llmTrace = traces.find((t) => t.spans.some((s) => s.name === "ChatCompletion"))!;
  const llm = llmTrace.spans.find((s) => s.name === "ChatCompletion")!;
  // Annotations of each kind, written by a person, read back with the rest.
  const post = (path: string) => fetch(api("redacted", path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "quality", label: "good", annotatorKind: "HUMAN" }) });
  assert.equal((await post(`/sessions/${sid}/annotations`)).status, 201);
  assert.equal((await post(`/traces/${llmTrace.traceId}/annotations`)).status, 201);
  assert.equal((await post(`/traces/${llmTrace.traceId}/spans/${llm.spanId}/annotations`)).status, 201);
  const reads = [
    "", "/sessions?limit=500", "/session-stats", `/sessions/${sid}/traces`, `/sessions/${sid}/conversation`, `/sessions/${sid}/export`,
    `/sessions/${sid}/annotations`, `/traces/${llmTrace.traceId}/annotations`, `/traces/${llmTrace.traceId}/spans/${llm.spanId}/annotations`,
    "/users", `/users/${encodeURIComponent(userId)}`, "/transcripts", "/annotation-names", "/redaction",
    ...detail.traces.map((t) => `/traces/${t.traceId}`),
  ];
  for (const path of reads) bodies.push(await text(path ? api("redacted", path) : `${server.url}/api/v1/projects`));
  const everything = bodies.join("\n");
  for (const secret of SECRETS) assert.ok(!everything.includes(secret), `"${secret}" came back from the API`);

  // What is left reads as the conversation, with each value marked where it was.
  assert.ok(everything.includes(CANARY), "a value no rule matches survives");
  for (const name of ["email", "phone", "card", "api_key", "order_id"]) assert.ok(everything.includes(`[redacted:${name}]`), name);
  assert.equal(detail.firstInput, `Hi, I'm [redacted:email], call me on [redacted:phone]. ${CANARY}: my card [redacted:card] was charged twice for [redacted:order_id].`);
  // A value that is the user's (or session's) id whole becomes the same pseudonym, so it still reads as "this user".
  assert.deepEqual(llm.outputMessages?.[0].toolCalls?.map((c) => JSON.parse(c.arguments)), [{ email: userId, card: "[redacted:card]", order: "[redacted:order_id]" }]);
  assert.equal(llm.events[0].attributes["payment.contact"], "[redacted:email] / [redacted:phone]");
  assert.equal(llm.attributes["session.id"], session.sessionId, "the id attribute carries the same pseudonym");
  const root = traces.flatMap((t) => t.spans).find((s) => s.name === "turn" && s.attributes["tag.tags"])!;
  assert.deepEqual(root.tags, ["vip", userId]);
  assert.deepEqual(root.metadata, { contact: userId, plan: "pro", note: CANARY });
  assert.equal(root.status.message, "refund failed for card [redacted:card]");
  const { body: users } = await getJson<UserList>(api("redacted", "/users"));
  assert.equal(users.users[0].sessionCount, 1);
  const escapedTurn = traces.find((t) => t.spans.some((s) => String(s.attributes["input.value"]).includes("Did it go through")))!;
  assert.match(String(escapedTurn.spans[0].attributes["input.value"]), /Write to \[redacted:email\]/);

  // Searching for any of them finds nothing; the canary is found, so search itself works.
  const found = async (q: string) => {
    const [search, list] = await Promise.all([
      getJson<{ sessions: unknown[]; users: unknown[]; traces: unknown[] }>(api("redacted", `/search?q=${encodeURIComponent(q)}`)),
      getJson<SessionList>(api("redacted", `/sessions?q=${encodeURIComponent(q)}`)),
    ]);
    const users = await getJson<UserList>(api("redacted", `/users?q=${encodeURIComponent(q)}`));
    return search.body.sessions.length + search.body.users.length + search.body.traces.length + list.body.sessions.length + users.body.users.length;
  };
  for (const secret of SECRETS) assert.equal(await found(secret), 0, `search for "${secret}"`);
  assert.ok((await found(CANARY)) > 0);
  assert.ok((await found(session.sessionId)) > 0, "the pseudonym is what search finds");

  // A project with the defaults keeps emails (opt-in) but not API keys (on by default).
  const { body: plain } = await getJson<SessionDetail>(api("plain", "/sessions/plain-1"));
  assert.deepEqual(plain.userIds, [KEPT_EMAIL]);
  assert.equal(plain.firstInput, `mail ${KEPT_EMAIL} with [redacted:api_key]`);
});

test("none of the data folder's files holds a redacted value, WAL included, nor the compressed span bodies", { skip: TEST_STORE !== "sqlite" && "it reads SQLite's files" }, async () => {
  const files = async () => {
    const names = await readdir(dataDir, { recursive: true });
    const out: Array<[string, Buffer]> = [];
    for (const name of names) if ((await stat(join(dataDir, name))).isFile()) out.push([name, await readFile(join(dataDir, name))]);
    return out;
  };
  const check = async (when: string) => {
    const all = await files();
    assert.ok(all.some(([name]) => name === "threadline.db"), when);
    for (const [name, bytes] of all) for (const secret of SECRETS) assert.ok(!bytes.includes(secret), `${when}: "${secret}" in ${name}`);
    return all;
  };
  const before = await check("with the WAL");
  assert.ok(before.some(([name]) => name.endsWith("-wal")), "the write-ahead log was read too");
  assert.ok(before.some(([, bytes]) => bytes.includes(CANARY)), "what was not redacted is found on disk, so the search can fail");

  const db = new DatabaseSync(join(dataDir, "threadline.db"));
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // Span bodies are zstd-compressed, where bytes cannot be searched: read each block back.
  const pages = db.prepare("SELECT page, data FROM body_pages ORDER BY page").all() as Array<{ page: number; data: Uint8Array }>;
  const stream = Buffer.alloc(pages.length ? (pages.at(-1)!.page + 1) * 4000 : 0);
  for (const { page, data } of pages) stream.set(data, page * 4000);
  const blocks = db.prepare("SELECT DISTINCT body_at, body_len FROM spans").all() as Array<{ body_at: number; body_len: number }>;
  const bodies = blocks.map(({ body_at, body_len }) => zstdDecompressSync(stream.subarray(body_at, body_at + body_len)).toString("utf8")).join("\n");
  const words = (q: string) => (db.prepare("SELECT count(*) AS n FROM spans_fts WHERE spans_fts MATCH ?").get(`"${q}"`) as { n: number }).n;
  assert.ok(words("quartermaine") === 0 && words("4155552671") === 0 && words("Zq8vN3xK7pL2mR9tW4yB6cD1") === 0 && words("55501234") === 0);
  assert.ok(words("bluefin") > 0);
  db.close();
  assert.ok(bodies.includes(CANARY) && bodies.includes("[redacted:card]"), "the blocks were read");
  for (const secret of SECRETS) assert.ok(!bodies.includes(secret), `"${secret}" in a span body`);
  await check("after a checkpoint");

  const key = await stat(join(dataDir, "redaction.key"));
  assert.equal(key.mode & 0o777, 0o600, "the pseudonyms' key is the server's alone");
});

test("each replacement is counted per project and detector: in the API and in Prometheus", async () => {
  await sendTurns("counted", (tracer) => {
    tracer.startSpan("turn", {
      attributes: {
        "session.id": "c-1", "user.id": EMAIL, a: `${EMAIL} and ${EMAIL}`, b: CARD, c: KEY, d: ORDER, e: PHONE,
        // Not card numbers: a Luhn failure, epoch milliseconds, an order number of 16 digits starting 9.
        f: "4111 1111 1111 1112", g: "1700000000123", h: "9000000000000007", i: CANARY,
      },
    }, ROOT_CONTEXT).end();
  });
  const { body: status } = await getJson<{ detectors: string[]; patterns: string[]; redacted: Record<string, number>; total: number }>(api("counted", "/redaction"));
  assert.deepEqual(status.detectors, ["api_key", "card", "email", "phone"]);
  assert.deepEqual(status.patterns, ["order_id"]);
  assert.deepEqual(status.redacted, { api_key: 1, card: 1, email: 3, order_id: 1, phone: 1 }, "user.id counts once, as an email");
  assert.equal(status.total, 7);
  const { body: trace } = await getJson<SessionDetail>(api("counted", "/sessions/c-1"));
  const { body: span } = await getJson<TraceDetail>(api("counted", `/traces/${trace.traces[0].traceId}`));
  assert.deepEqual([span.spans[0].attributes.f, span.spans[0].attributes.g, span.spans[0].attributes.h], ["4111 1111 1111 1112", "1700000000123", "9000000000000007"]);
  const metrics = await text(`${server.url}/metrics`);
  assert.match(metrics, /threadline_redactions_total\{project="counted",detector="email"\} 3/);
  assert.match(metrics, /threadline_redactions_total\{project="redacted",detector="card"\} [1-9]/);
  const { body: defaults } = await getJson<{ detectors: string[]; redacted: object }>(api("elsewhere", "/redaction"));
  assert.deepEqual(defaults, { ...defaults, detectors: ["api_key"], redacted: {} });
  // The counts are kept with the data: a restart does not zero them.
  await server.close();
  server = await startTestServer(serverOptions());
  const { body: again } = await getJson<{ redacted: Record<string, number> }>(api("counted", "/redaction"));
  assert.deepEqual(again.redacted, status.redacted);
});

test("a bad pattern refuses the start, naming the field", async () => {
  const dir = await mkdtemp(join(tmpdir(), "threadline-redaction-config-"));
  try {
    const file = join(dir, "threadline.json");
    const refused = async (redaction: unknown, where: "redaction" | "project" = "project") => {
      await writeFile(file, JSON.stringify(where === "redaction" ? { redaction } : { projects: { shop: { redaction } } }));
      try {
        loadConfig(file, {}, {});
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.message;
      }
      return "accepted";
    };
    assert.match(await refused({ patterns: [{ name: "order", pattern: "ORD-(" }] }), /threadline\.json: projects\.shop\.redaction\.patterns\.0\.pattern: not a valid RE2 expression/);
    assert.match(await refused({ patterns: [{ name: "x", pattern: "(?=secret)" }] }, "redaction"), /redaction\.patterns\.0\.pattern: .*lookaround/);
    assert.match(await refused({ patterns: [{ name: "x", pattern: "a*" }] }), /patterns\.0\.pattern: "a\*" matches the empty text/);
    assert.match(await refused({ patterns: [{ name: "email", pattern: "x" }] }), /patterns\.0\.name: "email" is a built-in detector/);
    assert.match(await refused({ patterns: [{ name: "Order", pattern: "x" }] }), /projects\.shop\.redaction\.patterns\.0\.name must match/);
    assert.match(await refused({ emails: true }), /unknown field projects\.shop\.redaction\.emails/);
    assert.equal(await refused({ email: true, api_key: false, patterns: [{ name: "order", pattern: "(?i)ord-[0-9]+" }] }), "accepted");
    // The command refuses to start, with the message.
    await writeFile(file, JSON.stringify({ redaction: { patterns: [{ name: "order", pattern: "[" }] } }));
    const cli = new URL("../bin/threadline.js", import.meta.url).pathname;
    const stderr = await promisify(execFile)(process.execPath, [cli, "serve", "--config", file, "--data-dir", dir, "--port", "0", "--no-grpc"]).then(() => "started", (error: { stderr: string }) => error.stderr);
    assert.match(stderr, /redaction\.patterns\.0\.pattern: not a valid RE2 expression/);
    // And so does startServer, for programs that start it themselves.
    await assert.rejects(startTestServer({ redaction: { patterns: [{ name: "order", pattern: "(" }] } }), /redaction\.patterns\.0\.pattern/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
