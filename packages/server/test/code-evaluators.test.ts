// Evaluators of your own, as modules named in the configuration file: a .ts or .js function from
// the transcript to a result runs like the built-ins in a thread of its own, its result landing as
// a CODE annotation pointing at its turn; a malformed result is a recorded failure naming the
// field; one that hangs times out while the server keeps serving; and a configuration that cannot
// load stops the CLI before it listens, naming the file, the evaluator and the field.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import type { Annotation } from "../src/api/types.ts";
import { loadCodeEvaluators, type CodeEvaluatorSpecs } from "../src/evaluate/code/index.ts";
import { evaluationJobs, eventually, getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;
const FIXTURES = new URL("./fixtures/code-evaluators/", import.meta.url).pathname;
/** Never read: the modules' paths start from its folder, and messages name it. */
const CONFIG = join(FIXTURES, "threadline.json");

function session(id: string, users: string[]) {
  const start = Date.now() - 60_000;
  return users.map((user, i) => ({
    traceId: hexId(16), startMs: start + i * 1000, endMs: start + i * 1000 + 500,
    attributes: { "session.id": id, "input.value": user, "output.value": `answer ${i + 1}` },
  }));
}

const annotationsOf = async (server: TestServer, project: string, id: string) =>
  (await getJson<{ annotations: Annotation[] }>(`${server.url}/api/v1/projects/${project}/sessions/${id}/annotations`)).body.annotations;

/** The recorded errors of the session's jobs, by evaluator, as the API shows them. */
async function jobErrors(server: TestServer, project: string, id: string): Promise<Record<string, string>> {
  return Object.fromEntries((await evaluationJobs(server, project, id)).filter((job) => job.error != null).map((job) => [job.evaluator, job.error!]));
}

describe("code evaluators in a running server", () => {
  let server: TestServer;
  const malformed = ["bad_score", "infinite_score", "past_turn", "unknown_field", "forgot_return", "throws", "metadata_turn", "date_in_metadata"];
  before(async () => {
    const specs: CodeEvaluatorSpecs = {
      turn_count: { module: "./turn-count.ts", description: "How long the session was." },
      politeness: { module: "politeness.js", export: "politeness" },
      ...Object.fromEntries(malformed.map((name) => [name, { module: "./malformed.mjs", export: name.replace(/_(.)/g, (_, c: string) => c.toUpperCase()) }])),
    };
    server = await startTestServer({ codeEvaluators: await loadCodeEvaluators(CONFIG, specs), sessionIdleMs: 300, evaluationTickMs: 100 });
    const spans = [...session("c-1", ["Hi", "Could you please export my invoices?", "Thanks"]), ...session("c-2", ["export invoices"])];
    assert.equal((await postOtlpJson(server.url, otlpJson(spans, "code"))).status, 200);
  });
  after(() => server.close());

  test("a module's result lands as a CODE session annotation pointing at its turn, sync (.ts) or async (.js)", async () => {
    for (const id of ["c-1", "c-2"]) await eventually(async () => assert.deepEqual((await annotationsOf(server, "code", id)).map((a) => a.name).sort(), ["politeness", "turn_count"]));
    const { body: conversation } = await getJson<{ turns: Array<{ traceId: string }> }>(`${server.url}/api/v1/projects/code/sessions/c-1/conversation`);
    const first = await annotationsOf(server, "code", "c-1");
    const count = first.find((a) => a.name === "turn_count")!;
    assert.deepEqual([count.label, count.score, count.explanation, count.annotatorKind], ["long", 3, "3 turns, 8 words from the user.", "CODE"]);
    const { version, ...pointer } = count.metadata!;
    assert.deepEqual(pointer, { turn: 3, traceId: conversation.turns[2].traceId, words: 8 });
    assert.equal(typeof version, "number", "the session's version, as the built-ins' results carry");
    const polite = first.find((a) => a.name === "politeness")!;
    assert.deepEqual([polite.label, polite.score, polite.metadata?.turn, polite.metadata?.traceId], ["polite", 1, 2, conversation.turns[1].traceId]);
    const plain = (await annotationsOf(server, "code", "c-2")).find((a) => a.name === "politeness")!;
    assert.deepEqual([plain.label, plain.score, plain.explanation, Object.keys(plain.metadata!)], ["plain", 0, null, ["version"]]);

    const { body } = await getJson<{ evaluators: Array<{ name: string; kind: string; description: string }> }>(`${server.url}/api/v1/projects/code/evaluators`);
    const listed = body.evaluators.find((e) => e.name === "turn_count")!;
    assert.deepEqual([listed.kind, listed.description], ["CODE", "How long the session was."]);
    assert.match(body.evaluators.find((e) => e.name === "politeness")!.description, /politeness\.js/);
  });

  test("a malformed result is a recorded failure whose reason names the field, never a stored value", async () => {
    await eventually(async () => assert.deepEqual(Object.keys(await jobErrors(server, "code", "c-1")).sort(), [...malformed].sort()));
    const errors = await jobErrors(server, "code", "c-1");
    assert.match(errors.bad_score, /score must be a finite number or null \(got "very"\)/);
    assert.match(errors.infinite_score, /score must be a finite number or null \(got Infinity\)/);
    assert.match(errors.past_turn, /turn 8 is past the session's 3 turns/);
    assert.match(errors.unknown_field, /unknown field verdict/);
    assert.match(errors.forgot_return, /returned undefined: return null/);
    assert.match(errors.throws, /threw: no verdict today/);
    assert.match(errors.metadata_turn, /metadata\.turn is set: the result's turn field/);
    assert.match(errors.date_in_metadata, /metadata holds values JSON cannot carry/);
    const names = (await annotationsOf(server, "code", "c-1")).map((a) => a.name);
    for (const name of malformed) assert.ok(!names.includes(name), `no annotation from ${name}`);
  });
});

test("a module that never returns times out, and the server keeps serving and evaluating", async () => {
  const specs: CodeEvaluatorSpecs = { hangs: { module: "./hang.js", timeoutMs: 1500 }, turn_count: { module: "./turn-count.ts" } };
  const server = await startTestServer({ codeEvaluators: await loadCodeEvaluators(CONFIG, specs), sessionIdleMs: 300, evaluationTickMs: 100 });
  try {
    assert.equal((await postOtlpJson(server.url, otlpJson(session("h-1", ["hello", "again"]), "hang"))).status, 200);
    // Asking all along, through the hang: every answer comes quickly.
    let slowest = 0;
    await eventually(async () => {
      const started = performance.now();
      assert.equal((await fetch(`${server.url}/api/v1/projects`)).status, 200);
      slowest = Math.max(slowest, performance.now() - started);
      assert.match((await jobErrors(server, "hang", "h-1")).hangs ?? "", /^timed out after 1500 ms$/);
    });
    assert.ok(slowest < 1000, `the API answered in ${Math.round(slowest)} ms at worst while the module looped`);
    // The restarted thread runs the others (a call caught in the restart is retried).
    await eventually(async () => assert.equal((await annotationsOf(server, "hang", "h-1")).find((a) => a.name === "turn_count")?.score, 2));
  } finally {
    await server.close();
  }
});

describe("the CLI refuses a configuration it cannot load, before listening", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "threadline-code-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** The CLI with this configuration file in a folder of its own, its modules relative to it. */
  async function serve(name: string, codeEvaluators: Record<string, unknown>) {
    const folder = join(dir, name);
    await mkdir(folder);
    const file = join(folder, "threadline.json");
    await writeFile(file, JSON.stringify({ codeEvaluators }));
    return promisify(execFile)(process.execPath, [CLI, "serve", "--data-dir", join(dir, "data"), "--port", "0", "--no-grpc", "--config", file])
      .then(({ stdout }) => ({ code: 0, stdout, stderr: "" }), (error: { code: number; stdout: string; stderr: string }) => error);
  }
  const fixture = (name: string, file: string) => relative(join(dir, name), join(FIXTURES, file));

  test("each kind of mistake, named by file, evaluator and field", async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ["missing", { my_eval: { module: "./evals/x.ts" } }, /threadline\.json: codeEvaluators\.my_eval\.module: cannot load \.\/evals\/x\.ts: no such file/],
      ["no-export", { my_eval: { module: fixture("no-export", "turn-count.ts"), export: "score" } }, /threadline\.json: codeEvaluators\.my_eval\.export: "score" is not a function exported by \S*turn-count\.ts \(it exports default\)/],
      ["not-function", { my_eval: { module: fixture("not-function", "malformed.mjs"), export: "version" } }, /threadline\.json: codeEvaluators\.my_eval\.export: "version" is not a function exported by/],
      ["throws", { my_eval: { module: fixture("throws", "throws-at-import.js") } }, /threadline\.json: codeEvaluators\.my_eval\.module: cannot load \S*throws-at-import\.js: boom at import/],
      ["hangs", { my_eval: { module: fixture("hangs", "hangs-at-import.js"), timeoutMs: 500 } }, /threadline\.json: codeEvaluators\.my_eval\.module: cannot load \S*hangs-at-import\.js: importing it did not finish within 500 ms/],
      ["bad-field", { my_eval: { module: "x.ts", timeoutMs: "soon" } }, /threadline\.json: codeEvaluators\.my_eval\.timeoutMs must be integer/],
      ["unknown-field", { my_eval: { module: "x.ts", exports: "a" } }, /threadline\.json: unknown field codeEvaluators\.my_eval\.exports/],
      ["no-module", { my_eval: { export: "a" } }, /threadline\.json: codeEvaluators\.my_eval must have required property 'module'/],
      ["bad-name", { "My-Eval": { module: "x.ts" } }, /threadline\.json: codeEvaluators\.My-Eval: the name must match pattern/],
      ["built-in", { errors: { module: fixture("built-in", "turn-count.ts") } }, /threadline\.json: codeEvaluators\.errors: "errors" is the name of a built-in evaluator/],
      ["judge", { coherence: { module: fixture("judge", "turn-count.ts") } }, /threadline\.json: codeEvaluators\.coherence: "coherence" is the name of an LLM judge/],
    ];
    const results = await Promise.all(cases.map(([name, config]) => serve(name, config)));
    for (const [i, { code, stdout, stderr }] of results.entries()) {
      assert.equal(code, 2, `${cases[i][0]}: ${stderr}`);
      assert.match(stderr, cases[i][2]);
      assert.doesNotMatch(stdout, /listening/);
    }
  });

  test("a configuration that loads starts the server with its evaluators", async () => {
    const folder = join(dir, "good");
    await mkdir(folder);
    const file = join(folder, "threadline.json");
    await writeFile(file, JSON.stringify({ evaluators: [], codeEvaluators: { turn_count: { module: relative(folder, join(FIXTURES, "turn-count.ts")) } } }));
    const child = spawn(process.execPath, [CLI, "serve", "--data-dir", join(dir, "data"), "--port", "0", "--no-grpc", "--config", file], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
      await eventually(() => assert.match(stdout, /listening on (\S+)/));
      const url = /listening on (\S+)/.exec(stdout)![1];
      assert.equal((await postOtlpJson(url, otlpJson(session("cli-1", ["hi"]), "cli"))).status, 200);
      const { body } = await getJson<{ evaluators: Array<{ name: string; kind: string }> }>(`${url}/api/v1/projects/cli/evaluators`);
      assert.deepEqual(body.evaluators.map((e) => [e.name, e.kind]), [["turn_count", "CODE"]]);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
