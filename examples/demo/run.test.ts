import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { runDemo } from "./run.ts";

test("the demo plays 20+ sessions from 5 users, one failed turn, and exports them all as OTLP protobuf", async () => {
  const bodies: Buffer[] = [];
  const collector = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === "/v1/traces") bodies.push(Buffer.concat(chunks));
    res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  try {
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const summary = await runDemo({ endpoint, projectName: "demo-test", seed: 1 });

    assert.ok(summary.sessions.length >= 20);
    assert.equal(new Set(summary.sessions.map((s) => s.userId)).size, 5);
    assert.equal(new Set(summary.sessions.map((s) => s.sessionId)).size, summary.sessions.length);
    for (const session of summary.sessions) assert.ok(session.turns >= 3 && session.turns <= 10, session.sessionId);
    assert.deepEqual(summary.sessions.map((s) => s.failedTurns).filter(Boolean), [1]);

    // Same seed, same ids (and runDemo can run twice in one process, e.g. in end-to-end tests).
    const again = await runDemo({ endpoint, projectName: "demo-test", seed: 1, concurrency: 21 });
    assert.deepEqual(again.sessions.map((s) => s.sessionId), summary.sessions.map((s) => s.sessionId));

    const exported = Buffer.concat(bodies).toString("latin1");
    for (const text of ["demo-test", "AGENT", "LLM", "TOOL", ...summary.sessions.map((s) => s.sessionId)]) {
      assert.ok(exported.includes(text), `exported spans should mention ${text}`);
    }
  } finally {
    await new Promise<void>((resolve) => (collector.close(() => resolve()), collector.closeAllConnections()));
  }
});

