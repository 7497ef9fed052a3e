// Langfuse's own JS SDK (v5: @langfuse/otel and @langfuse/tracing), configured the way a Langfuse
// user switching over would: LangfuseSpanProcessor with baseUrl pointed at Threadline, keys as
// Basic auth; or with the processor's documented `exporter` option, an OTLP exporter of your own
// to /v1/traces with the ingest key as a Bearer header. Either way its traces must land: the
// session, the user, the turns, the tokens, first input and last output, and the conversation
// with each message once, in order.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import { propagateAttributes, setLangfuseTracerProvider, startActiveObservation, startObservation } from "@langfuse/tracing";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { Conversation, SessionDetail } from "@threadline/server";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../../packages/server/test/support.ts";

const CLI = new URL("../../packages/server/bin/threadline.js", import.meta.url).pathname;
/** A key made the way an operator makes one: `threadline keys create`. */
const createKey = (dataDir: string, project: string, kind: "ingest" | "api") =>
  execFileSync(process.execPath, [CLI, "keys", "create", "--project", project, "--kind", kind, ...(kind === "api" ? ["--role", "viewer"] : []), "--data-dir", dataDir], { encoding: "utf8" }).trim();
const getJson = async <T>(url: string, headers: Record<string, string>) => {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as T };
};

const TURNS: Array<[string, string]> = [
  ["Where is my refund for order 12?", "It was sent on Monday; it takes 3-5 days."],
  ["It is Friday and nothing came.", "I have escalated it: you will hear back within 24 hours."],
];

let server: TestServer;
let ingestKey: string;
let readKey: string;
const dataDir = mkdtempSync(join(tmpdir(), "threadline-langfuse-"));
before(async () => {
  ingestKey = createKey(dataDir, "support", "ingest");
  readKey = createKey(dataDir, "support", "api");
  server = await startTestServer({ dataDir, auth: "required" });
});
after(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One chat turn as Langfuse's docs write it: a span with a generation inside, the ids propagated. */
async function turn(sessionId: string, user: string, answer: string, history: Array<{ role: string; content: string }>) {
  await propagateAttributes({ sessionId, userId: "ana@example.com" }, () =>
    startActiveObservation("chat-turn", async (span) => {
      span.update({ input: user });
      const generation = startObservation("openai.chat", { model: "gpt-4o-mini", input: [...history, { role: "user", content: user }] }, { asType: "generation" });
      generation.update({ output: { role: "assistant", content: answer }, usageDetails: { input: 40, output: 12, total: 52 } }).end();
      span.update({ output: answer });
    }),
  );
}

let registered = false;
async function exportWith(secretKey: string) {
  return use(new LangfuseSpanProcessor({ baseUrl: server.url, publicKey: "pk-lf-switching", secretKey, exportMode: "immediate" }));
}
function use(processor: LangfuseSpanProcessor) {
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  // As NodeSDK.start() does in Langfuse's setup: the context manager that carries the session.
  if (!registered) provider.register();
  registered = true;
  setLangfuseTracerProvider(provider);
  return provider;
}

test("LangfuseSpanProcessor with baseUrl at Threadline: the session, user, turns, tokens and conversation land", async () => {
  const provider = await exportWith(ingestKey);
  const history: Array<{ role: string; content: string }> = [];
  for (const [user, answer] of TURNS) {
    await turn("lf-session-1", user, answer, history);
    history.push({ role: "user", content: user }, { role: "assistant", content: answer });
  }
  await provider.forceFlush();
  await provider.shutdown();
  await assertLanded("lf-session-1");
});

test("LangfuseSpanProcessor with an OTLP exporter of its own to /v1/traces and a Bearer ingest key: the same lands", async () => {
  const exporter = new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { authorization: `Bearer ${ingestKey}` } });
  // No Langfuse behind it to take media uploads, so base64 media stays inline in the spans.
  const provider = use(new LangfuseSpanProcessor({ exporter, mediaUploadEnabled: false }));
  const history: Array<{ role: string; content: string }> = [];
  for (const [user, answer] of TURNS) {
    await turn("lf-session-2", user, answer, history);
    history.push({ role: "user", content: user }, { role: "assistant", content: answer });
  }
  await provider.forceFlush();
  await provider.shutdown();
  await assertLanded("lf-session-2");
});

/** The session in the ingest key's project: its user, two turns, each usage once, each message once. */
async function assertLanded(sessionId: string) {
  const headers = { authorization: `Bearer ${readKey}` };
  const session = await getJson<SessionDetail>(`${server.url}/api/v1/projects/support/sessions/${sessionId}`, headers);
  assert.equal(session.status, 200, `${JSON.stringify(session.body)}\n${server.logs.filter((l) => l.includes("otel") || l.includes("traces")).slice(-5).join("\n")}`);
  assert.deepEqual(session.body.userIds, ["ana@example.com"]);
  assert.equal(session.body.traceCount, 2);
  assert.equal(session.body.tokens.total, 104, "each generation's usage once");
  assert.equal(session.body.firstInput, TURNS[0][0]);
  assert.equal(session.body.lastOutput, TURNS[1][1]);
  const chat = await getJson<Conversation>(`${server.url}/api/v1/projects/support/sessions/${sessionId}/conversation`, headers);
  const messages = chat.body.turns.flatMap((t) => t.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => `${m.role}: ${m.content}`));
  assert.deepEqual(messages, TURNS.flatMap(([user, answer]) => [`user: ${user}`, `assistant: ${answer}`]));
}

test("a secret key that is not a Threadline key is refused, and nothing is stored", async () => {
  const provider = await exportWith("sk-lf-not-a-threadline-key");
  await propagateAttributes({ sessionId: "lf-refused" }, () => startActiveObservation("chat-turn", (span) => span.update({ input: "hi" })));
  await provider.forceFlush().catch(() => {});
  await provider.shutdown().catch(() => {});
  const { status } = await getJson(`${server.url}/api/v1/projects/support/sessions/lf-refused`, { authorization: `Bearer ${readKey}` });
  assert.equal(status, 404);
});
