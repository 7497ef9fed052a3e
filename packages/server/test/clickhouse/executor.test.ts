// The chdb executor, the store URLs and the migrations, on the real engine in a temp dir.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ChdbExecutor } from "../../src/store/clickhouse/chdb-executor.ts";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.ts";
import { migrate, migrationStatements } from "../../src/store/clickhouse/migrations.ts";
import { MIGRATIONS } from "../../src/store/clickhouse/migrations/index.ts";
import { parseStoreUrl } from "../../src/store/store-url.ts";

// One engine per process, so one data directory for the whole file.
const PATH = join(mkdtempSync(join(tmpdir(), "tl-ch-exec-")), "chdb");
let ex: ChdbExecutor;
before(async () => {
  ex = await ChdbExecutor.open(PATH);
});
after(() => ex.close());

const HOSTILE = [
  "it's", "back\\slash", "\\'", "tab\there", "new\nline", "carriage\rreturn", "\\N", "NULL", "'; DROP TABLE x; --", "{p:String}",
  "ünïcødé ☃ 😀 中文", "\u0000nul", "\"double\"", "[1,2]", "",
];

test("string parameters arrive exactly as given: quotes, backslashes, tabs, newlines, unicode", async () => {
  for (const value of HOSTILE) {
    const [row] = await ex.query<{ v: string; n: number }>("SELECT {v:String} AS v, lengthUTF8({v:String}) AS n", { v: value });
    assert.equal(row.v, value, JSON.stringify(value));
    assert.equal(Number(row.n), [...value].length, JSON.stringify(value));
  }
});

test("array parameters keep every element exactly, and nothing stays behind on the Session", async () => {
  const [row] = await ex.query<{ a: string[] }>("SELECT {a:Array(String)} AS a", { a: HOSTILE });
  assert.deepEqual(row.a, HOSTILE);
  const [nums] = await ex.query<{ s: number }>("SELECT arraySum({a:Array(Int64)}) AS s", { a: [1, 2, 1_700_000_000_000_000] });
  assert.equal(Number(nums.s), 1_700_000_000_000_003);
  // Each Session of the pool: the parameter is gone once its call is over.
  for (let i = 0; i < 4; i++) await assert.rejects(ex.query("SELECT {v:String} AS v"), /v/);
});

test("inserted strings round-trip, and a retried insert with the same token is dropped", async () => {
  await ex.command("CREATE DATABASE IF NOT EXISTS esc ENGINE = Atomic");
  await ex.command("CREATE TABLE IF NOT EXISTS esc.t (k UInt32, v String) ENGINE = MergeTree ORDER BY k SETTINGS non_replicated_deduplication_window = 100");
  const rows = HOSTILE.map((v, k) => ({ k, v }));
  await ex.insert("esc.t", rows, { insert_deduplication_token: "batch-1" });
  await ex.insert("esc.t", rows, { insert_deduplication_token: "batch-1" });
  const back = await ex.query<{ k: number; v: string }>("SELECT k, v FROM esc.t ORDER BY k");
  assert.deepEqual(back.map((r) => r.v), HOSTILE);
  // The insert's settings were its own: the Session's are as before.
  const [s] = await ex.query<{ t: string }>("SELECT getSetting('insert_deduplication_token') AS t");
  assert.equal(s.t, "");
});

test("store URLs: ClickHouse over HTTP(S), chdb, the password from the environment, clear refusals", () => {
  assert.deepEqual(parseStoreUrl(undefined), { kind: "sqlite" });
  assert.deepEqual(parseStoreUrl("clickhouse://bob:s%40cret@ch.local:8123/tl", {}), {
    kind: "clickhouse", url: "http://ch.local:8123", username: "bob", password: "s@cret", database: "tl", cluster: null,
  });
  const tls = parseStoreUrl("clickhouses://bob@ch.local/tl?cluster=main", { THREADLINE_CLICKHOUSE_PASSWORD: "from-env" });
  assert.deepEqual(tls, { kind: "clickhouse", url: "https://ch.local:8443", username: "bob", password: "from-env", database: "tl", cluster: "main" });
  assert.deepEqual(parseStoreUrl("chdb:/var/lib/tl"), { kind: "chdb", path: "/var/lib/tl", database: "threadline" });
  assert.deepEqual(parseStoreUrl("chdb:/var/lib/tl?database=team_b"), { kind: "chdb", path: "/var/lib/tl", database: "team_b" });
  assert.throws(() => parseStoreUrl("chdb:/var/lib/tl?database=no-dash"), /database name "no-dash"/);
  assert.throws(() => parseStoreUrl("postgres://x/y"), /unknown kind of store.*clickhouse:\/\//);
  assert.throws(() => parseStoreUrl("clickhouse://h/bad-name"), /database name "bad-name"/);
  assert.throws(() => parseStoreUrl("chdb:"), /needs a directory/);
  assert.throws(() => parseStoreUrl("nonsense"), /not a URL/);
});

test("migrations run once, record each step, and two stores opening together both succeed", async () => {
  const versions = MIGRATIONS.map((m) => m.version);
  assert.deepEqual(await migrate(ex, { database: "mig_a", cluster: null }), versions);
  assert.deepEqual(await migrate(ex, { database: "mig_a", cluster: null }), []);
  // Two stores on one path in this process, opening (migrating) the same empty database at once.
  const [one, two] = await Promise.all([ChdbExecutor.open(PATH), ChdbExecutor.open(PATH)]);
  const [a, b] = await Promise.all([ClickHouseStore.open({ executor: one, database: "mig_b" }), ClickHouseStore.open({ executor: two, database: "mig_b" })]);
  const tables = await ex.query<{ name: string }>("SELECT name FROM system.tables WHERE database = 'mig_b' AND engine != 'MaterializedView' ORDER BY name");
  const defined = MIGRATIONS.flatMap((m) => (m.tables ?? []).map((t) => t.name));
  assert.deepEqual(tables.map((t) => t.name), ["schema_migrations", ...defined].sort());
  const recorded = await ex.query<{ version: number }>("SELECT DISTINCT version FROM mig_b.schema_migrations FINAL ORDER BY version");
  assert.deepEqual(recorded.map((r) => Number(r.version)), versions);
  await Promise.all([a.close(), b.close()]);
});

test("a database of a newer schema is refused with a clear message", async () => {
  await migrate(ex, { database: "mig_new", cluster: null });
  await ex.insert("mig_new.schema_migrations", [{ version: 999, name: "future", applied_us: 0 }]);
  await assert.rejects(migrate(ex, { database: "mig_new", cluster: null }), /schema version 999, newer than this Threadline's/);
});

test("the clustered schema: Replicated local tables ON CLUSTER and Distributed tables in front, which the engine parses", async () => {
  const steps = migrationStatements({ database: "tl", cluster: "main" });
  const sql = steps.flatMap((s) => s.sql);
  const spans = sql.filter((s) => /\btl\.spans(_local)?\b/.test(s));
  assert.equal(spans.length, 2);
  assert.match(spans[0], /^CREATE TABLE IF NOT EXISTS tl\.spans_local ON CLUSTER main \(/);
  assert.match(spans[0], /ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/tl\/spans_local', '\{replica\}'\)/);
  assert.match(spans[1], /^CREATE TABLE IF NOT EXISTS tl\.spans ON CLUSTER main AS tl\.spans_local\nENGINE = Distributed\(main, tl, spans_local, cityHash64\(project, trace_id\)\)$/);
  const sessions = sql.find((s) => s.startsWith("CREATE TABLE IF NOT EXISTS tl.sessions_local"))!;
  assert.match(sessions, /ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/tl\/sessions_local', '\{replica\}', ver, deleted\)/);
  // Every table of the single-server schema has its local and its Distributed twin.
  const creates = (statements: string[]) => statements.filter((s) => s.startsWith("CREATE TABLE")).length;
  const single = migrationStatements({ database: "tl", cluster: null }).flatMap((s) => s.sql);
  assert.equal(creates(sql), creates(single) * 2);
  for (const statement of sql) {
    const [row] = await ex.query<{ f: string }>("SELECT formatQuery({q:String}) AS f", { q: statement });
    // Beside the tables, steps may add views and backfills (006-search.ts) and columns (007-state-by-turns.ts).
    assert.match(row.f, /^(CREATE TABLE|CREATE MATERIALIZED VIEW|INSERT INTO|ALTER TABLE)/, statement);
  }
});

