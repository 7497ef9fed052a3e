// --tls-cert / --tls-key: the API, the UI and OTLP/HTTP over HTTPS and OTLP/gRPC over TLS on
// the server's own ports, with no proxy in front; the session cookie is then Secure.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { credentials, Metadata } from "@grpc/grpc-js";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { generate } from "selfsigned";
import { after, before, test } from "node:test";
import { startTestServer, type TestServer } from "./support.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;
const run = promisify(execFile);

let server: TestServer;
let ca: string;
let key: string;
let dataDir: string;

/** An HTTPS request that trusts only the test's own certificate. */
function https(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const url = new URL(path, server.url);
    const req = request(url, { method: init.method ?? "GET", headers: init.headers, ca }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

before(async () => {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] }],
  });
  ca = pems.cert;
  dataDir = await mkdtemp(join(tmpdir(), "threadline-tls-"));
  await writeFile(join(dataDir, "cert.pem"), pems.cert);
  await writeFile(join(dataDir, "key.pem"), pems.private);
  key = (await run(process.execPath, [CLI, "keys", "create", "--project", "tls", "--kind", "ingest", "--data-dir", dataDir])).stdout.trim();
  await run("sh", ["-c", `echo 'a long enough password' | "${process.execPath}" "${CLI}" users create --login ada --project '*' --role admin --data-dir "${dataDir}"`]);
  server = await startTestServer({ dataDir, auth: "required", tlsCert: join(dataDir, "cert.pem"), tlsKey: join(dataDir, "key.pem") });
});
after(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("HTTPS serves the API and takes OTLP/HTTP; the session cookie is Secure", async () => {
  assert.match(server.url, /^https:\/\//);
  const span = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: "openinference.project.name", value: { stringValue: "tls" } }] }, scopeSpans: [{ spans: [{
    traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", name: "turn", kind: 1,
    startTimeUnixNano: `${BigInt(Date.now() - 2000) * 1_000_000n}`, endTimeUnixNano: `${BigInt(Date.now() - 1000) * 1_000_000n}`,
    attributes: [{ key: "session.id", value: { stringValue: "s-https" } }],
  }] }] }] });
  const exported = await https("/v1/traces", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: span });
  assert.equal(exported.status, 200, exported.body);
  const signedIn = await https("/api/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "ada", password: "a long enough password" }) });
  assert.equal(signedIn.status, 200, signedIn.body);
  const cookie = String(signedIn.headers["set-cookie"]);
  assert.match(cookie, /; Secure/i);
  assert.match(cookie, /SameSite=Strict/i);
  const session = await https("/api/v1/projects/tls/sessions/s-https", { headers: { cookie: cookie.split(";")[0] } });
  assert.equal(session.status, 200, session.body);
  // Plain HTTP on the TLS port gets no answer with data in it.
  const plain = await fetch(server.url.replace("https:", "http:") + "/api/v1/projects").then((r) => r.status, () => "refused");
  assert.ok(plain === "refused" || plain === 400, `plain HTTP: ${plain}`);
});

test("OTLP/gRPC over TLS: a real exporter trusting the certificate delivers its spans", async () => {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${key}`);
  const exporter = new OTLPTraceExporter({ url: `https://localhost:${server.grpcPort}`, credentials: credentials.createSsl(Buffer.from(ca)), metadata });
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "openinference.project.name": "tls" }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer("tls-test");
  tracer.startActiveSpan("grpc turn", { attributes: { "session.id": "s-grpc" } }, (span) => span.end());
  const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
  assert.equal(result.code, 0, result.error?.message);
  await exporter.shutdown();
  const insecure = new OTLPTraceExporter({ url: `http://localhost:${server.grpcPort}`, metadata, timeoutMillis: 3000 });
  const refused = await new Promise<{ code: number }>((resolve) => insecure.export(memory.getFinishedSpans(), resolve));
  assert.notEqual(refused.code, 0, "a plaintext gRPC client is not served");
  await insecure.shutdown();
  const sessions = await https("/api/v1/projects/tls/sessions/s-grpc", { headers: { authorization: `Bearer ${key}` } });
  // An ingest key does not read: the session's existence is checked with an admin's cookie instead.
  assert.equal(sessions.status, 403);
  const signedIn = await https("/api/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "ada", password: "a long enough password" }) });
  const read = await https("/api/v1/projects/tls/sessions/s-grpc", { headers: { cookie: String(signedIn.headers["set-cookie"]).split(";")[0] } });
  assert.equal(read.status, 200, read.body);
});
