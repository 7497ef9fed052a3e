// The chdb HTTP fixture, driven by the real @clickhouse/client: what the ClickHouse store's
// multi-process tests rely on (inserts, retries deduplicated, typed parameters, formats,
// compression, auth, errors, concurrency) and that bad requests get a 4xx, never a crash.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from "@clickhouse/client";
import { startChdbHttp, type ChdbHttpLogEntry, type ChdbHttpServer } from "../support/chdb-http.ts";

const USER = "threadline";
const PASSWORD = "s3cret pass:word";
let dir: string;
let server: ChdbHttpServer;
const requests: ChdbHttpLogEntry[] = [];
const clients: ClickHouseClient[] = [];

function client(options: ClickHouseClientConfigOptions = {}): ClickHouseClient {
  const made = createClient({ url: server.url, username: USER, password: PASSWORD, log: { level: ClickHouseLogLevel.OFF }, ...options });
  clients.push(made);
  return made;
}

const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
/** A raw HTTP request, for what the client never sends. */
function post(query: string, body: BodyInit | null, headers: Record<string, string> = {}, method = "POST") {
  return fetch(`${server.url}/${query}`, { method, body, headers: { Authorization: basic, ...headers } });
}

async function rejection(promise: Promise<unknown>): Promise<ClickHouseError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ClickHouseError, `expected a ClickHouseError, got ${String(error)}`);
  return error;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "threadline-chdb-http-"));
  server = await startChdbHttp({ path: join(dir, "db"), user: USER, password: PASSWORD, poolSize: 3, log: (entry) => requests.push(entry) });
  const admin = client({ compression: { request: true, response: true } });
  await admin.command({ query: "CREATE DATABASE tl ENGINE = Atomic" });
  await client({ database: "tl" }).command({
    query: `CREATE TABLE spans (project String, span_id String, name String, tokens UInt64, tags Array(String), note Nullable(String))
            ENGINE = MergeTree ORDER BY (project, span_id) SETTINGS non_replicated_deduplication_window = 1000`,
  });
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const HOSTILE = "it's a \"quote\"; back\\slash \\N, tab\there\nnewline, ünïcødé ✓ 🧵, {braces:String}";
const rows = [
  { project: "p1", span_id: "a", name: HOSTILE, tokens: 5, tags: ["x", "it's"], note: null },
  { project: "p1", span_id: "b", name: "root", tokens: 7, tags: [], note: "n" },
];

test("ping, and GET / answers Ok. like a server", async () => {
  assert.deepEqual(await client().ping(), { success: true });
  const response = await fetch(`${server.url}/`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "Ok.\n");
});

test("an insert retried with the same deduplication token is stored once", async () => {
  const tl = client({ database: "tl" });
  const first = await tl.insert({ table: "spans", values: rows, format: "JSONEachRow", clickhouse_settings: { insert_deduplication_token: "batch-1" } });
  assert.equal(first.summary?.written_rows, "2");
  await tl.insert({ table: "spans", values: rows, format: "JSONEachRow", clickhouse_settings: { insert_deduplication_token: "batch-1" } });
  const count = async () => (await (await tl.query({ query: "SELECT count() AS n, sum(tokens) AS t FROM spans", format: "JSONEachRow" })).json<{ n: number; t: number }>())[0];
  assert.deepEqual(await count(), { n: 2, t: 12 });
  // The token was this insert's alone: the same rows under another token are a new batch.
  await tl.insert({ table: "spans", values: rows.map((r) => ({ ...r, project: "p2" })), format: "JSONEachRow", clickhouse_settings: { insert_deduplication_token: "batch-2" } });
  await tl.insert({ table: "spans", values: [], format: "JSONEachRow" });
  assert.deepEqual(await count(), { n: 4, t: 24 });
});

test("typed parameters carry quotes, backslashes, tabs, newlines, unicode, arrays and nulls", async () => {
  const tl = client({ database: "tl" });
  const echoed = await tl.query({
    query: "SELECT {s:String} AS s, {a:Array(String)} AS a, {n:Nullable(String)} AS n, {m:Nullable(String)} AS m, {i:Int64} AS i, {u:Array(UInt32)} AS u",
    query_params: { s: HOSTILE, a: ["a'b", "c\\d", "e\tf", "g\nh", ""], n: null, m: "\\N", i: -42, u: [1, 2, 3] },
    format: "JSONEachRow",
  });
  assert.deepEqual(await echoed.json(), [{ s: HOSTILE, a: ["a'b", "c\\d", "e\tf", "g\nh", ""], n: null, m: "\\N", i: -42, u: [1, 2, 3] }]);
  const found = await tl.query({
    query: "SELECT span_id, note FROM spans WHERE project = {p:String} AND (name = {name:String} OR has({ids:Array(String)}, span_id)) ORDER BY span_id",
    query_params: { p: "p1", name: HOSTILE, ids: ["b"] },
    format: "JSONEachRow",
  });
  assert.deepEqual(await found.json(), [{ span_id: "a", note: null }, { span_id: "b", note: "n" }]);
});

test("JSONEachRow, JSON and TabSeparated come back as the client reads them, with ClickHouse's headers", async () => {
  const tl = client({ database: "tl" });
  const json = await tl.query({ query: "SELECT span_id, tokens FROM spans WHERE project = 'p1' ORDER BY span_id", format: "JSON", query_id: "fmt-json-1" });
  assert.equal(json.query_id, "fmt-json-1");
  assert.equal(json.response_headers["x-clickhouse-query-id"], "fmt-json-1");
  assert.equal(json.response_headers["x-clickhouse-format"], "JSON");
  const body = await json.json<{ span_id: string; tokens: number }>();
  assert.deepEqual(body.data, [{ span_id: "a", tokens: 5 }, { span_id: "b", tokens: 7 }]);
  assert.deepEqual(body.meta?.map((m) => m.name), ["span_id", "tokens"]);
  assert.equal(body.rows, 2);
  const tsv = await tl.query({ query: "SELECT name, tags FROM spans WHERE project = 'p1' ORDER BY span_id", format: "TabSeparated" });
  assert.equal(await tsv.text(), "it\\'s a \"quote\"; back\\\\slash \\\\N, tab\\there\\nnewline, ünïcødé ✓ 🧵, {braces:String}\t['x','it\\'s']\nroot\t[]\n");
  const summary = JSON.parse(String(tsv.response_headers["x-clickhouse-summary"])) as Record<string, string>;
  assert.ok(Number(summary.read_rows) >= 2, `read_rows ${summary.read_rows}`);
  let streamed = 0;
  for await (const batch of (await tl.query({ query: "SELECT number FROM numbers(50000)", format: "JSONEachRow" })).stream()) streamed += batch.length;
  assert.equal(streamed, 50000);
});

test("compression: gzip request bodies are read, and responses are gzipped when asked", async () => {
  const zipped = client({ database: "tl", compression: { request: true, response: true } });
  await zipped.insert({ table: "spans", values: [{ project: "gz", span_id: "z", name: "x".repeat(10_000), tokens: 1, tags: [], note: null }], format: "JSONEachRow" });
  const read = await zipped.query({ query: "SELECT length(name) AS l FROM spans WHERE project = 'gz'", format: "JSONEachRow" });
  assert.equal(read.response_headers["content-encoding"], "gzip");
  assert.deepEqual(await read.json(), [{ l: 10_000 }]);
  const raw = await post("?enable_http_compression=1", gzipSync("SELECT 'zipped' FORMAT TSV"), { "Content-Encoding": "gzip", "Accept-Encoding": "gzip" });
  assert.equal(raw.headers.get("content-encoding"), "gzip");
  assert.equal(await raw.text(), "zipped\n");
  const plain = await post("", "SELECT 'plain' FORMAT TSV", { "Accept-Encoding": "gzip" });
  assert.equal(plain.headers.get("content-encoding"), null, "no compression unless enable_http_compression=1");
});

test("settings in the URL hold for that query only, and parameters do not outlive it", async () => {
  const tl = client({ database: "tl" });
  const threads = async (settings = {}) => (await (await tl.query({ query: "SELECT getSetting('max_threads') AS m", format: "JSONEachRow", clickhouse_settings: settings })).json<{ m: number }>())[0].m;
  assert.equal(await threads({ max_threads: 1 }), 1);
  for (let i = 0; i < 4; i++) assert.notEqual(await threads(), 1, "a setting leaked into a later query");
  await tl.query({ query: "SELECT {leak:String}", query_params: { leak: "x" } });
  const error = await rejection(tl.query({ query: "SELECT {leak:String}" }));
  assert.equal(error.type, "UNKNOWN_QUERY_PARAMETER");
});

test("a session_id keeps its temporary tables across requests", async () => {
  const session = client({ session_id: "chdb-http-session-1" });
  await session.command({ query: "CREATE TEMPORARY TABLE scratch (x UInt8)" });
  await session.command({ query: "INSERT INTO scratch VALUES (1), (2)" });
  const result = await session.query({ query: "SELECT count() AS c FROM scratch", format: "JSONEachRow" });
  assert.deepEqual(await result.json(), [{ c: 2 }]);
  const other = await rejection(client().query({ query: "SELECT count() FROM scratch" }));
  assert.equal(other.type, "UNKNOWN_TABLE");
});

test("wrong credentials are refused with the client's AUTHENTICATION_FAILED; X-ClickHouse-User/Key work too", async () => {
  const error = await rejection(client({ password: "wrong" }).query({ query: "SELECT 1" }));
  assert.equal(error.code, "516");
  assert.equal(error.type, "AUTHENTICATION_FAILED");
  assert.match(error.message, /Authentication failed/);
  await rejection(createClient({ url: server.url, log: { level: ClickHouseLogLevel.OFF } }).query({ query: "SELECT 1" }));
  const headers = { "X-ClickHouse-User": USER, "X-ClickHouse-Key": PASSWORD };
  const ok = await fetch(`${server.url}/?query=SELECT%20'hdr'`, { headers });
  assert.equal(await ok.text(), "hdr\n");
  const denied = await fetch(`${server.url}/?query=SELECT%201`, { headers: { ...headers, "X-ClickHouse-Key": "no" } });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get("x-clickhouse-exception-code"), "516");
});

test("errors are ClickHouse's: code, type, status and message, parsed by the client", async () => {
  const tl = client({ database: "tl" });
  const syntax = await rejection(tl.query({ query: "selec 1" }));
  assert.equal(syntax.code, "62");
  assert.equal(syntax.type, "SYNTAX_ERROR");
  assert.match(syntax.message, /Syntax error/);
  const missing = await rejection(tl.query({ query: "SELECT * FROM no_such_table" }));
  assert.equal(missing.type, "UNKNOWN_TABLE");
  const badRow = await rejection(tl.insert({ table: "spans", values: [{ project: "p", tokens: "many" }], format: "JSONEachRow" }));
  assert.match(badRow.type ?? "", /CANNOT_PARSE|INCORRECT_DATA/);
  const raw = await post("", "SELECT * FROM tl.no_such_table");
  assert.equal(raw.status, 404);
  assert.equal(raw.headers.get("x-clickhouse-exception-code"), "60");
  assert.match(await raw.text(), /^Code: 60\. DB::Exception: .*\(UNKNOWN_TABLE\) \(version [^)]+\)\n$/s);
  const unknownDb = await rejection(client({ database: "nope" }).query({ query: "SELECT 1" }));
  assert.equal(unknownDb.type, "UNKNOWN_DATABASE");
});

test("GET runs reads only, as on a server", async () => {
  const read = await fetch(`${server.url}/?query=${encodeURIComponent("SELECT count() FROM tl.spans")}`, { headers: { Authorization: basic } });
  assert.equal(await read.text(), "5\n");
  const write = await fetch(`${server.url}/?query=${encodeURIComponent("DROP TABLE tl.spans")}`, { headers: { Authorization: basic } });
  assert.equal(write.headers.get("x-clickhouse-exception-code"), "164");
  assert.match(await write.text(), /READONLY/);
});

test("malformed requests get a 4xx and the server keeps serving", async () => {
  const cases: [string, () => Promise<Response>, number][] = [
    ["broken gzip", () => post("", Buffer.from("not gzip at all"), { "Content-Encoding": "gzip" }), 400],
    ["unknown content encoding", () => post("", "SELECT 1", { "Content-Encoding": "x-nope" }), 400],
    ["empty query", () => post("", ""), 400],
    ["bad setting name", () => post("?bad-name=1", "SELECT 1"), 400],
    ["unknown setting", () => post("?no_such_setting=1", "SELECT 1"), 404],
    ["bad setting value", () => post("?max_threads=lots", "SELECT 1"), 400],
    ["bad percent-encoding", () => post("?query=%ZZ%", null), 400],
    ["bad default_format", () => post("?default_format=../x", "SELECT 1"), 404],
    ["invalid session_timeout", () => post("?session_id=s&session_timeout=-1", "SELECT 1"), 400],
    ["garbage Authorization", () => post("", "SELECT 1", { Authorization: "Basic %%%" }), 403],
    ["unknown path", () => post("nope", "SELECT 1"), 404],
    ["unsupported method", () => post("", "SELECT 1", {}, "PUT"), 405],
  ];
  for (const [name, send, status] of cases) {
    const response = await send();
    assert.equal(response.status, status, `${name}: ${await response.text()}`);
  }
  // A value the engine cannot parse is the query's error, answered as a server does (500, code 457).
  const badParameter = await post("?param_n=abc", "SELECT {n:UInt8}");
  assert.deepEqual([badParameter.status, badParameter.headers.get("x-clickhouse-exception-code")], [500, "457"]);
  // Too large, as sent or once unzipped: a second server on the same engine, with a small limit.
  const small = await startChdbHttp({ path: join(dir, "db"), user: USER, password: PASSWORD, maxBodyBytes: 4096 });
  try {
    const big = await fetch(`${small.url}/`, { method: "POST", body: `SELECT '${"x".repeat(100_000)}'`, headers: { Authorization: basic } });
    assert.deepEqual([big.status, big.headers.get("x-clickhouse-exception-code")], [413, "307"]);
    const bomb = await fetch(`${small.url}/`, { method: "POST", body: gzipSync(" ".repeat(1_000_000)), headers: { Authorization: basic, "Content-Encoding": "gzip" } });
    assert.equal(bomb.status, 400);
    assert.equal(await (await fetch(`${small.url}/?query=SELECT%202`, { headers: { Authorization: basic } })).text(), "2\n");
  } finally {
    await small.close();
  }
  assert.deepEqual(await client().ping(), { success: true });
  assert.ok(requests.some((r) => r.status === 400 && /CANNOT_DECOMPRESS/.test(r.error ?? "")), "the log records what failed");
});

test("a short query is not held up behind a long one (a pool of connections)", async () => {
  const slow = client();
  const fast = client();
  const t0 = performance.now();
  let slowDone = 0;
  const long = slow.query({ query: "SELECT sleep(2) AS s", format: "JSONEachRow" }).then((r) => r.json()).then(() => (slowDone = performance.now() - t0));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const t1 = performance.now();
  await Promise.all([1, 2, 3].map(() => fast.query({ query: "SELECT 1", format: "JSONEachRow" }).then((r) => r.json())));
  const fastMs = performance.now() - t1;
  assert.equal(slowDone, 0, "the long query was still running");
  assert.ok(fastMs < 1000, `short queries took ${fastMs.toFixed(0)} ms behind a 2 s one`);
  await long;
  assert.ok(slowDone >= 1900);
});

test("the CLI serves a data directory as its own process", async () => {
  const script = new URL("../support/chdb-http.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [script, "--path", join(dir, "cli-db"), "--port", "0", "--user", "u", "--password", "p"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const url = line.toString().trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const remote = createClient({ url, username: "u", password: "p", log: { level: ClickHouseLogLevel.OFF } });
    clients.push(remote);
    await remote.command({ query: "CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x" });
    await remote.insert({ table: "t", values: [{ x: 7 }], format: "JSONEachRow" });
    assert.deepEqual(await (await remote.query({ query: "SELECT x FROM t", format: "JSONEachRow" })).json(), [{ x: 7 }]);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
});
