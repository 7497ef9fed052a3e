// Sessions across services: two real HTTP services (separate processes, each with register() and
// @opentelemetry/instrumentation-http) export to a real Threadline server. The frontend sets the session
// with { propagate: true }; the backend knows nothing of it and still files its spans under it.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { SessionDetail, TraceDetail } from "@threadline/server";

type Service = { url: string; process: ChildProcess };

async function startService(serviceName: string, server: TestServer, extraEnv: Record<string, string> = {}): Promise<Service> {
  const child = spawn(process.execPath, [join(import.meta.dirname, "fixtures/chat-service.ts")], {
    env: { ...process.env, THREADLINE_ENDPOINT: server.url, SERVICE_NAME: serviceName, ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const port = /listening (\d+)/.exec(output)?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, process: child };
  }
  throw new Error(`${serviceName} exited before listening: ${output}`);
}

let server: TestServer;
let frontend: Service;
let backend: Service;
let edgeBackend: Service; // at a trust boundary: ignores inbound baggage
const project = "cross-service";

before(async () => {
  server = await startTestServer();
  [frontend, backend, edgeBackend] = await Promise.all([
    startService("frontend", server),
    startService("backend", server),
    startService("edge-backend", server, { IGNORE_INBOUND_BAGGAGE: "1" }),
  ]);
});
after(async () => {
  for (const service of [frontend, backend, edgeBackend]) {
    if (!service) continue;
    service.process.kill("SIGTERM");
    await once(service.process, "exit");
  }
  await server?.close();
});

async function chat(body: { sessionId: string; userId: string; propagate: boolean; downstream: string }) {
  const response = await fetch(`${frontend.url}/chat`, { method: "POST", body: JSON.stringify({ question: "refund policy", ...body }) });
  assert.equal(response.status, 200);
  const reply = (await response.json()) as { docs: string[]; baggage: string | null };
  await Promise.all([frontend, backend, edgeBackend].map((s) => fetch(`${s.url}/flush`, { method: "POST" })));
  return reply;
}

async function sessionSpans(sessionId: string) {
  const { status, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/${project}/sessions/${sessionId}`);
  assert.equal(status, 200, `session ${sessionId} should exist`);
  assert.equal(session.traceCount, 1);
  const { body: trace } = await getJson<TraceDetail>(`${server.url}/api/v1/projects/${project}/traces/${session.traces[0].traceId}`);
  return { session, spans: trace.spans.map((span) => ({ ...span, service: span.resourceAttributes["service.name"] })) };
}

test("with { propagate: true }, one session holds the spans of both services", async () => {
  const reply = await chat({ sessionId: "sess-shared", userId: "dana@example.com", propagate: true, downstream: backend.url });
  assert.deepEqual(reply.docs, ["doc about refund policy"]);
  assert.match(reply.baggage ?? "", /session\.id=sess-shared/);
  assert.match(reply.baggage ?? "", /user\.id=dana%40example\.com/);

  const { session, spans } = await sessionSpans("sess-shared");
  assert.deepEqual(session.userIds, ["dana@example.com"]);
  assert.deepEqual(new Set(spans.map((s) => s.service)), new Set(["frontend", "backend"]));
  const backendSpans = spans.filter((s) => s.service === "backend");
  assert.deepEqual(backendSpans.map((s) => s.name).sort(), ["GET", "search-docs"]);
  for (const span of backendSpans) {
    assert.equal(span.attributes["session.id"], "sess-shared", span.name);
    assert.equal(span.attributes["user.id"], "dana@example.com", span.name);
  }
  // The frontend's own spans: its agent span and the HTTP client span the instrumentation made inside it.
  const frontendWithSession = spans.filter((s) => s.service === "frontend" && s.attributes["session.id"] === "sess-shared");
  assert.deepEqual(frontendWithSession.map((s) => s.name).sort(), ["GET", "chat-turn"]);
});

test("without propagate (the default) no baggage leaves the service, and the backend's spans have no session", async () => {
  const reply = await chat({ sessionId: "sess-local", userId: "erin", propagate: false, downstream: backend.url });
  assert.equal(reply.baggage, null);
  const { spans } = await sessionSpans("sess-local");
  const backendSpans = spans.filter((s) => s.service === "backend");
  assert.equal(backendSpans.length, 2, "same trace (trace context still propagates)");
  for (const span of backendSpans) assert.equal(span.attributes["session.id"], undefined, span.name);
});

test("a service registered with ignoreInboundBaggage does not take the session from its callers", async () => {
  const reply = await chat({ sessionId: "sess-edge", userId: "mallory", propagate: true, downstream: edgeBackend.url });
  assert.match(reply.baggage ?? "", /session\.id=sess-edge/, "the header did arrive");
  const { spans } = await sessionSpans("sess-edge");
  const edgeSpans = spans.filter((s) => s.service === "edge-backend");
  assert.equal(edgeSpans.length, 2);
  for (const span of edgeSpans) {
    assert.equal(span.attributes["session.id"], undefined, span.name);
    assert.equal(span.attributes["user.id"], undefined, span.name);
  }
});
