// `threadline migrate` from a real server's SQLite data dir to chdb, as a user runs it: the demo
// (evaluated by the built-in evaluators, reviewed and thumbed), a review queue with a review; the
// CLI copies it; a second run refuses without --resume and changes nothing with it; then a server
// on the chdb store answers every read as the SQLite server does, and evaluates nothing again.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { annotateDemo } from "../../../../examples/demo/evaluate.ts";
import { runDemo } from "../../../../examples/demo/run.ts";
import type { SessionList } from "../../src/api/types.ts";
import { eventually, getJson, startTestServer } from "../support.ts";

const BIN = new URL("../../bin/threadline.js", import.meta.url).pathname;
const EVALUATORS = ["user_frustration", "errors", "repetition", "unanswered"];
const P = "demo";
let root: string;
let sqliteDir: string;
let chdbStore: string;

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, "migrate", ...args], { env: { ...process.env, NODE_OPTIONS: "" } })
    .then(({ stdout }) => ({ code: 0, out: stdout }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }));

before(async () => {
  root = await mkdtemp(join(tmpdir(), "tl-migrate-"));
  sqliteDir = join(root, "sqlite");
  chdbStore = `chdb:${join(root, "chdb")}`;
  const server = await startTestServer({ dataDir: sqliteDir, evaluators: EVALUATORS });
  try {
    const demo = await runDemo({ endpoint: server.url, projectName: P, seed: 3, concurrency: 8 });
    const ids = demo.sessions.map((s) => s.sessionId);
    await annotateDemo(server.url, P, ids);
    await eventually(async () => {
      const { body } = await getJson<SessionList>(`${server.url}/api/v1/projects/${P}/sessions?limit=500&annotation=unanswered`);
      assert.equal(body.sessions.length, ids.length, "every session evaluated before the migration");
    }, 60_000);
    const made = await fetch(`${server.url}/api/v1/projects/${P}/review-queues`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "most frustrated", annotation: "user_frustration", sort: "annotation:user_frustration", order: "desc" }),
    });
    assert.equal(made.status, 201, await made.clone().text());
    const queue = (await made.json()) as { id: string };
    const review = await fetch(`${server.url}/api/v1/projects/${P}/review-queues/${queue.id}/items/2/review`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ label: "neutral", score: 0.3, explanation: "fine on reading" }),
    });
    assert.equal(review.status, 200);
  } finally {
    await server.close();
  }
});
after(() => rm(root, { recursive: true, force: true }));

test("migrate copies the demo from SQLite to chdb, refuses a second run without --resume, and changes nothing with it", async () => {
  const first = await cli("--from", sqliteDir, "--to", chdbStore);
  assert.equal(first.code, 0, first.out);
  const totals = /source (.*)\n\s+target (.*)/.exec(first.out);
  assert.ok(totals, first.out);
  assert.equal(totals[2], totals[1], "the totals it compares");
  assert.match(first.out, /1 review queues/);

  const again = await cli("--from", sqliteDir, "--to", chdbStore);
  assert.equal(again.code, 2);
  assert.match(again.out, /already has project "demo" \(\d+ traces\)\. Run again with --resume/);
  const resumed = await cli("--from", sqliteDir, "--to", chdbStore, "--resume");
  assert.equal(resumed.code, 0, resumed.out);
  assert.match(resumed.out, new RegExp(`target ${totals[2]}`), "a resumed run adds nothing");
  assert.match(resumed.out, /0 review queues/);

  const missing = await cli("--from", join(root, "nowhere"), "--to", chdbStore);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /no Threadline data there/);
});

test("a server on the migrated chdb store answers as the SQLite server, and evaluates nothing again", async () => {
  const opts = { evaluators: EVALUATORS, sessionIdleMs: 1, evaluationTickMs: 50 };
  const source = await startTestServer({ dataDir: sqliteDir, ...opts });
  const target = await startTestServer({ dataDir: join(root, "target"), store: chdbStore, ...opts });
  try {
    const api = async (server: typeof source, path: string) => {
      const { status, body } = await getJson(`${server.url}/api/v1/projects/${P}${path}`);
      assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
      return body;
    };
    /**
     * An answer without what each store makes itself (ids of annotations and queues, clock times),
     * sets in sorted order and sums of floats to 10 digits (docs/clickhouse.md, "What differs").
     */
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => {
      if (/^(id|created(Us|At)|updated(Us|At)|reviewed(Us|At))$/.test(key)) return undefined;
      if (/^(userIds|tags|models)$/.test(key) && Array.isArray(v)) return [...v].sort();
      return typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v;
    }));
    const both = async (path: string) => {
      const [a, b] = await Promise.all([api(source, path), api(target, path)]);
      assert.deepEqual(strip(b), strip(a), path);
      return a;
    };
    const list = (await both("/sessions?limit=500&sort=startTime&order=asc")) as SessionList;
    assert.ok(list.sessions.length >= 10);
    await both("/sessions?limit=500&sort=annotation:user_frustration&order=desc");
    await both("/sessions?limit=500&state=closed");
    await both("/users?limit=500&sort=sessionCount&order=desc");
    await both("/session-stats");
    await both("/annotation-names");
    for (const s of list.sessions) {
      await both(`/sessions/${encodeURIComponent(s.sessionId)}`);
      await both(`/sessions/${encodeURIComponent(s.sessionId)}/annotations`);
    }
    const [queueA, queueB] = await Promise.all([api(source, "/review-queues"), api(target, "/review-queues")]) as Array<{ queues: Array<{ id: string }> }>;
    assert.deepEqual(strip(queueB), strip(queueA), "/review-queues");
    assert.equal(queueA.queues.length, 1);
    assert.deepEqual(strip(await api(target, `/review-queues/${queueB.queues[0].id}`)), strip(await api(source, `/review-queues/${queueA.queues[0].id}`)));

    // Both servers' lifecycles and runners tick (every session is quiet): nothing is due on either.
    await sleep(3_000);
    const finished = async (server: typeof source) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return [...text.matchAll(/^threadline_evaluation_jobs_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    assert.deepEqual([await finished(source), await finished(target)], [0, 0], "evaluation jobs run after the migration");
    // Which the metric would show: asked to, the target evaluates every session once more, and only
    // that (had it scheduled the migrated sessions again, the count would pass the sessions').
    const rerun = await fetch(`${target.url}/api/v1/projects/${P}/evaluations`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ filter: {}, evaluators: ["errors"] }),
    });
    assert.equal(rerun.status, 202);
    await eventually(async () => assert.equal(await finished(target), list.sessions.length), 120_000);
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
});
