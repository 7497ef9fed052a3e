// The write-ahead log stays bounded under sustained ingest while readers keep reading: the
// writer restarts the log once it passes its limit instead of letting it grow with every commit.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { SessionList } from "../src/api/types.ts";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer } from "./support.ts";

const LIMIT = 16 * 2 ** 20;
const SECONDS = Number(process.env.WAL_TEST_SECONDS ?? 120);

test(`the WAL stays near its limit through ${SECONDS} s of continuous ingest with readers active`, { timeout: (SECONDS + 60) * 1000 }, async () => {
  const server = await startTestServer({ walLimitBytes: LIMIT });
  const wal = join(server.dataDir, "threadline.db-wal");
  const text = "the quick brown fox jumps over the lazy dog ".repeat(40);
  let sent = 0;
  let maxWal = 0;
  let reads = 0;
  let end = Date.now() + SECONDS * 1000;
  try {
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; Date.now() < end; i++) {
        const spans = Array.from({ length: 200 }, (_, k) => ({
          traceId: hexId(16), startMs: Date.now() - 1000, endMs: Date.now(),
          attributes: { "session.id": `w${w}-s${i % 500}`, "user.id": `u${k % 40}`, "input.value": `${text} ${i} ${k}` },
        }));
        const { status, body } = await postOtlpJson(server.url, otlpJson(spans, "wal"));
        if (status !== 200) end = 0; // stop the others too
        assert.equal(status, 200, JSON.stringify(body));
        sent += spans.length;
      }
    });
    const reader = (async () => {
      while (Date.now() < end) {
        const { status } = await getJson<SessionList>(`${server.url}/api/v1/projects/wal/sessions?limit=50${reads % 2 ? "&q=fox" : ""}`);
        if (status === 200) reads++;
        maxWal = Math.max(maxWal, statSync(wal, { throwIfNoEntry: false })?.size ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await Promise.all([...writers, reader]);
    const { body } = await getJson<{ projects: Array<{ name: string; spanCount: number }> }>(`${server.url}/api/v1/projects`);
    assert.equal(body.projects.find((p) => p.name === "wal")?.spanCount, sent, "every acknowledged span is stored");
    assert.ok(sent > 20_000, `only ${sent} spans were sent`);
    assert.ok(reads > 20, `only ${reads} reads completed`);
    assert.ok(!server.logs.some((line) => /checkpoint/.test(line)), server.logs.join("\n"));
    // The log holds at least one whole commit (up to 20,000 spans when the writer falls behind), so
    // it may pass its limit by that much; without the restart it grows with every commit (550 MiB in 30 s).
    assert.ok(maxWal < 4 * LIMIT, `the WAL reached ${(maxWal / 2 ** 20).toFixed(1)} MiB (limit ${LIMIT / 2 ** 20} MiB, ${sent} spans)`);
  } finally {
    await server.close();
  }
});
