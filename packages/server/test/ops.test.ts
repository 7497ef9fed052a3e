// Operations: liveness and readiness, and Prometheus metrics that count what a person running
// Threadline asks about (spans received, kept, refused and why; the queue; latency by route),
// behind an admin key once keys are required.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { hashSecret, newToken } from "../src/auth/tokens.ts";
import { SqliteAuthStore } from "../src/store/sqlite/auth-store.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer } from "./support.ts";

/** The value of a sample line of the exposition text, e.g. metric('x_total{reason="invalid"}'). */
function sample(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

test("health, readiness and metrics of what was received, kept and refused", async () => {
  const server = await startTestServer({ maxBodyBytes: 64 * 1024 });
  try {
    assert.deepEqual((await getJson(`${server.url}/healthz`)).body, { status: "ok" });
    assert.deepEqual((await getJson(`${server.url}/readyz`)).body, { status: "ready" });
    const now = Date.now();
    const body = JSON.parse(otlpJson([0, 1, 2].map((i) => ({ traceId: hexId(16), startMs: now + i, endMs: now + i + 5, attributes: { "session.id": "m" } })), "ops"));
    body.resourceSpans[0].scopeSpans[0].spans[2].traceId = "nope";
    assert.equal((await postOtlpJson(server.url, JSON.stringify(body))).status, 200);
    const big = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(100 * 1024) });
    assert.equal(big.status, 413);
    assert.equal((await fetch(`${server.url}/api/v1/projects`)).status, 200);

    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /text\/plain/);
    const text = await response.text();
    assert.equal(sample(text, "threadline_spans_received_total"), 3);
    assert.equal(sample(text, "threadline_spans_accepted_total"), 2);
    assert.equal(sample(text, 'threadline_spans_rejected_total{reason="invalid",unit="spans"}'), 1);
    assert.equal(sample(text, 'threadline_spans_rejected_total{reason="too_large",unit="exports"}'), 1);
    assert.equal(sample(text, "threadline_write_queue_spans"), 0);
    assert.equal(sample(text, "threadline_export_commit_seconds_count"), 1);
    assert.ok(sample(text, 'threadline_http_request_seconds_count{route="/api/v1/projects",method="GET",status="200"}') >= 1);
    assert.ok(sample(text, "threadline_process_resident_memory_bytes") > 0);
  } finally {
    await server.close();
  }
});

test("with keys required, metrics need an admin key; health checks need none", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "threadline-ops-"));
  const auth = new SqliteAuthStore(join(dataDir, "auth.db"));
  const tokens: Record<string, string> = {};
  for (const role of ["viewer", "admin"] as const) {
    const { id, token, secret } = newToken("api");
    auth.createKey({ id, kind: "api", project: "ops", role, name: "", hash: await hashSecret(secret), createdUs: Date.now() * 1000, revokedUs: null });
    tokens[role] = token;
  }
  auth.close();
  const server = await startTestServer({ dataDir, auth: "required" });
  try {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${tokens.viewer}` } })).status, 403);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${tokens.admin}` } })).status, 200);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
