// Keys: created with the real `threadline keys` command, presented by real OTLP exporters (HTTP
// and gRPC) and by API clients; a key for one project neither writes nor reads another, a viewer
// cannot annotate, a missing, wrong or revoked key gets 401 and nothing is written; and the
// server refuses to run open off loopback, or pages that name another host or origin.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { request } from "node:http";
import { promisify } from "node:util";
import { Metadata } from "@grpc/grpc-js";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { ProjectList, SessionList } from "../src/api/types.ts";
import { startServer } from "../src/server.ts";
import { hexId, otlpJson, startTestServer, type TestServer } from "./support.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;
const run = promisify(execFile);

async function keys(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, "keys", ...args, "--data-dir", dataDir]);
  return stdout.trim();
}

/** Spans the OpenTelemetry SDK made, for a real exporter to send. */
function sdkSpans(project: string, session: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "openinference.project.name": project, "service.name": "auth-test" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("auth-test");
  const span = tracer.startSpan("turn", { attributes: { "session.id": session, "input.value": "hello" } }, ROOT_CONTEXT);
  trace.setSpan(ROOT_CONTEXT, span);
  span.end();
  return memory.getFinishedSpans();
}

function exported(exporter: { export(spans: ReadableSpan[], done: (result: { code: number; error?: Error }) => void): void }, spans: ReadableSpan[]) {
  return new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
}

describe("keys", () => {
  let dataDir: string;
  let server: TestServer;
  let ingestA: string, viewerA: string, annotatorA: string, adminB: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "threadline-auth-"));
    ingestA = await keys(dataDir, "create", "--project", "alpha", "--kind", "ingest", "--name", "checkout app");
    viewerA = await keys(dataDir, "create", "--project", "alpha", "--kind", "api", "--role", "viewer");
    annotatorA = await keys(dataDir, "create", "--project", "alpha", "--kind", "api", "--role", "annotator");
    adminB = await keys(dataDir, "create", "--project", "beta", "--kind", "api", "--role", "admin");
    server = await startTestServer({ dataDir, auth: "required" });
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = (path: string, key?: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers as Record<string, string>) } });

  test("the list shows every key without its secret", async () => {
    const listed = await keys(dataDir, "list");
    assert.equal(listed.split("\n").length, 4);
    assert.match(listed, /ingest .* alpha {2}active {2}checkout app/);
    // The secret is what follows the 16-hex-digit id (it may itself contain "_").
    for (const key of [ingestA, viewerA, annotatorA, adminB]) assert.ok(!listed.includes(/^tl_[a-z]+_[0-9a-f]{16}_(.+)$/.exec(key)![1]), "no secret in the list");
  });

  test("an ingest key sends spans over OTLP/HTTP and gRPC into its project", async () => {
    const http = new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { authorization: `Bearer ${ingestA}` } });
    assert.equal((await exported(http, sdkSpans("alpha", "s-http"))).code, 0);
    const metadata = new Metadata();
    metadata.set("x-api-key", ingestA);
    const grpc = new GrpcExporter({ url: `http://127.0.0.1:${server.grpcPort}`, metadata });
    assert.equal((await exported(grpc, sdkSpans("alpha", "s-grpc"))).code, 0);
    await Promise.all([http.shutdown(), grpc.shutdown()]);
    const { sessions } = (await (await api("/projects/alpha/sessions", viewerA)).json()) as SessionList;
    assert.deepEqual(sessions.map((s) => s.sessionId).sort(), ["s-grpc", "s-http"]);
  });

  test("a missing, malformed, wrong or API key cannot send spans, and nothing is written", async () => {
    const body = otlpJson([{ traceId: hexId(16), startMs: Date.now(), endMs: Date.now() + 5, attributes: { "session.id": "s-refused" } }], "alpha");
    const wrong = ingestA.slice(0, -4) + (ingestA.endsWith("AAAA") ? "BBBB" : "AAAA");
    for (const [headers, status, message] of [
      [{}, 401, /authentication required/],
      [{ authorization: "Bearer not-a-key" }, 401, /not a Threadline key/],
      [{ "x-api-key": wrong }, 401, /unknown or revoked key/],
      [{ authorization: `Bearer ${viewerA}` }, 403, /API key cannot send spans/],
    ] as const) {
      const response = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      assert.equal(response.status, status);
      assert.match(((await response.json()) as { error: string }).error, message);
    }
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${wrong}`);
    const grpc = new GrpcExporter({ url: `http://127.0.0.1:${server.grpcPort}`, metadata });
    const result = await exported(grpc, sdkSpans("alpha", "s-refused"));
    await grpc.shutdown();
    assert.notEqual(result.code, 0);
    assert.match(String(result.error?.message), /unknown or revoked key/);
    const { sessions } = (await (await api("/projects/alpha/sessions", viewerA)).json()) as SessionList;
    assert.ok(!sessions.some((s) => s.sessionId === "s-refused"));
  });

  test("a key for project alpha neither writes nor reads project beta", async () => {
    const http = new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { authorization: `Bearer ${ingestA}` } });
    const result = await exported(http, sdkSpans("beta", "s-foreign"));
    await http.shutdown();
    // Accepted as an export, its spans refused (OTLP partial success): an exporter does not retry it.
    assert.equal(result.code, 0);
    assert.equal((await api("/projects/beta/sessions", adminB)).status, 404, "nothing landed in beta");
    const read = await api("/projects/beta/sessions", viewerA);
    assert.equal(read.status, 403);
    assert.match(((await read.json()) as { error: string }).error, /this key is for project "alpha"/);
    const projects = (await (await api("/projects", viewerA)).json()) as ProjectList;
    assert.deepEqual(projects.projects.map((p) => p.name), ["alpha"]);
  });

  test("a viewer reads but cannot annotate; an annotator can; no key reads nothing", async () => {
    const annotation = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "quality", score: 1 }) };
    const denied = await api("/projects/alpha/sessions/s-http/annotations", viewerA, annotation);
    assert.equal(denied.status, 403);
    assert.match(((await denied.json()) as { error: string }).error, /a viewer key cannot annotate/);
    assert.equal((await api("/projects/alpha/sessions/s-http/annotations", annotatorA, annotation)).status, 201);
    const anonymous = await api("/projects/alpha/sessions");
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get("www-authenticate") ?? "", /Bearer/);
    assert.equal((await api("/projects", ingestA)).status, 403, "an ingest key does not read");
  });

  test("only an admin of the project deletes, and through the CLI too", async () => {
    const del = (key: string) => api("/projects/alpha/sessions/s-http", key, { method: "DELETE" });
    for (const key of [viewerA, annotatorA]) {
      const refused = await del(key);
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as { error: string }).error, /cannot .*admin|admin/);
    }
    assert.equal((await del(adminB)).status, 403, "an admin of another project");
    assert.equal((await api("/projects/alpha/sessions/s-http", viewerA)).status, 200, "nothing was deleted");
    const adminA = await keys(dataDir, "create", "--project", "alpha", "--kind", "api", "--role", "admin");
    const { stdout } = await run(process.execPath, [CLI, "delete", "--project", "alpha", "--session", "s-http", "--url", server.url, "--key", adminA, "--yes"]);
    assert.match(stdout, /Deleted session "s-http": 1 traces/);
    assert.equal((await api("/projects/alpha/sessions/s-http", viewerA)).status, 404);
  });

  test("a revoked key stops working at once", async () => {
    const temporary = await keys(dataDir, "create", "--project", "alpha", "--kind", "api", "--role", "viewer");
    assert.equal((await api("/projects/alpha/sessions", temporary)).status, 200);
    const id = temporary.split("_")[2];
    await keys(dataDir, "revoke", id);
    const response = await api("/projects/alpha/sessions", temporary);
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { error: string }).error, /unknown or revoked key/);
  });

  test("the UI's files and the OpenAPI document need no key", async () => {
    assert.equal((await fetch(`${server.url}/api/openapi.json`)).status, 200);
    assert.notEqual((await fetch(`${server.url}/projects/alpha/sessions`)).status, 401);
  });
});

describe("where Threadline listens", () => {
  test("off loopback it refuses to start open, or with no key, unless told --insecure", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "threadline-auth-"));
    try {
      await assert.rejects(startServer({ port: 0, grpcPort: null, host: "0.0.0.0", dataDir, log: () => {} }), /no key or account yet/);
      await assert.rejects(startServer({ port: 0, grpcPort: null, host: "0.0.0.0", auth: "open", dataDir, log: () => {} }), /refusing to listen on 0\.0\.0\.0 with authentication off/);
      const open = await startServer({ port: 0, grpcPort: null, host: "0.0.0.0", insecure: true, dataDir, log: () => {} });
      assert.equal(open.authRequired, false);
      await open.close();
      await keys(dataDir, "create", "--project", "p", "--kind", "ingest");
      const locked = await startServer({ port: 0, grpcPort: null, host: "0.0.0.0", dataDir, log: () => {} });
      assert.equal(locked.authRequired, true);
      assert.equal((await fetch(`${locked.url}/api/v1/projects`)).status, 401);
      await locked.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("open on loopback, it answers only requests that name loopback and come from its own origin", async () => {
    const server = await startTestServer();
    try {
      const port = new URL(server.url).port;
      assert.equal((await fetch(`${server.url}/api/v1/projects`)).status, 200);
      // A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header gives it away.
      const rebound = await getWithHost(`${server.url}/api/v1/projects`, `evil.example:${port}`);
      assert.equal(rebound.status, 403);
      assert.match(rebound.body, /does not answer for host \\"evil\.example/);
      assert.equal((await getWithHost(`${server.url}/api/v1/projects`, `localhost:${port}`)).status, 200);
      const crossOrigin = await fetch(`${server.url}/api/v1/projects/p/sessions/s/annotations`, {
        method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: JSON.stringify({ name: "x", score: 1 }),
      });
      assert.equal(crossOrigin.status, 403);
      assert.equal((await fetch(`${server.url}/api/v1/projects`, { headers: { origin: server.url } })).status, 200);
    } finally {
      await server.close();
    }
  });
});

/** fetch will not set Host; a DNS-rebinding page's request carries its own. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host } }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    }).on("error", reject).end();
  });
}
