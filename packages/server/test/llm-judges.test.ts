// LLM-as-judge evaluators against a local OpenAI-compatible stub driven by the real openai
// client: a verdict is taken only when it is what the judge declared (a malformed or out-of-range
// answer is a recorded failure, never a score), long sessions are cut with the cut stated, and a
// project's daily budget stops the calls, visibly. Two sessions and four judges make 8 calls,
// the two malformed answers' retries 4 more: a budget of 10 runs out on the retries.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startOpenAIStub } from "../../../examples/openai-stub/server.ts";
import { fill } from "../src/evaluate/llm/judge.ts";
import type { Annotation } from "../src/api/types.ts";
import { evaluationJobs, eventually, getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "./support.ts";

let stub: Awaited<ReturnType<typeof startOpenAIStub>>;
let server: TestServer;
const prompts: string[] = [];

before(async () => {
  stub = await startOpenAIStub({
    latencyMs: 0,
    respond: (messages) => {
      const prompt = String(messages.at(-1)?.content ?? "");
      prompts.push(prompt);
      if (prompt.includes("Was the user frustrated")) return JSON.stringify({ label: "frustrated", score: 0.9, explanation: "Asked twice, then for a person.", turn: 2 });
      if (prompt.includes("coherent")) return JSON.stringify({ score: 4, explanation: "Consistent, if unhelpful.", turn: null });
      if (prompt.includes("get what they came for")) return "I think it went fine overall.";
      if (prompt.includes("remember")) return JSON.stringify({ score: 9, explanation: "Remembers all." });
      return null;
    },
  });
  // A data directory of the test's own: the budget test restarts the server on it.
  server = await startTestServer({ dataDir: mkdtempSync(join(tmpdir(), "threadline-judges-")), sessionIdleMs: 300, evaluationTickMs: 100, llm: { baseUrl: stub.baseURL, model: "judge-1", dailyCalls: 10 } });
  const start = Date.now() - 60_000;
  const spans = ["j-1", "j-2"].flatMap((session) => [
    ["Where is my refund?", "We sell blenders."], ["Where is my refund for order 12?", "Blenders are great."], ["I want a real person.", "I can't."],
  ].map(([user, assistant], i) => ({ traceId: hexId(16), startMs: start + i * 1000, endMs: start + i * 1000 + 500, attributes: { "session.id": session, "input.value": user, "output.value": assistant } })));
  assert.equal((await postOtlpJson(server.url, otlpJson(spans, "judged"))).status, 200);
});
after(async () => {
  await server.close();
  await stub.close();
  rmSync(server.dataDir, { recursive: true, force: true });
});

const annotations = async (session: string) =>
  (await getJson<{ annotations: Annotation[] }>(`${server.url}/api/v1/projects/judged/sessions/${session}/annotations`)).body.annotations;

test("a verdict in the declared shape becomes an LLM annotation pointing at its turn; a malformed one is a recorded failure", async () => {
  await eventually(async () => assert.deepEqual((await annotations("j-1")).map((a) => a.name).filter((n) => n === "llm_user_frustration" || n === "coherence").sort(), ["coherence", "llm_user_frustration"]));
  const first = await annotations("j-1");
  const frustration = first.find((a) => a.name === "llm_user_frustration")!;
  assert.deepEqual([frustration.label, frustration.score, frustration.annotatorKind, frustration.metadata?.turn], ["frustrated", 0.9, "LLM", 2]);
  assert.equal(first.find((a) => a.name === "coherence")?.score, 4);
  assert.equal(first.find((a) => a.name === "goal_completion"), undefined, "no score from an answer that is not JSON");
  assert.equal(first.find((a) => a.name === "knowledge_retention"), undefined, "no score outside 1..5");
  await eventually(async () => {
    const errors = (await evaluationJobs(server, "judged", "j-1")).filter((job) => job.error != null).sort((a, b) => (a.evaluator < b.evaluator ? -1 : 1));
    assert.deepEqual(errors.map((e) => e.evaluator), ["goal_completion", "knowledge_retention"]);
    assert.match(String(errors[0].error), /did not answer with JSON/);
    assert.match(String(errors[1].error), /score 9 is not in 1\.\.5/);
  });
  assert.ok(prompts.some((p) => p.includes("Turn 2\nUser: Where is my refund for order 12?")), "the transcript is in the prompt");
});

test("the project's daily budget stops the calls, and says so", async () => {
  await eventually(async () => {
    const { body } = await getJson<{ evaluators: Array<{ name: string; kind: string; budget?: { calls: number; limits: { calls: number } } }> }>(`${server.url}/api/v1/projects/judged/evaluators`);
    const judge = body.evaluators.find((e) => e.name === "coherence")!;
    assert.equal(judge.kind, "LLM");
    assert.deepEqual([judge.budget?.calls, judge.budget?.limits.calls], [10, 10]);
  }, 20_000);
  await eventually(async () => {
    const jobs = [...(await evaluationJobs(server, "judged", "j-1")), ...(await evaluationJobs(server, "judged", "j-2"))];
    const waiting = jobs.filter((job) => job.state === "queued" && /daily LLM budget.*spent/.test(job.error ?? ""));
    assert.ok(waiting.length >= 1, "jobs past the budget wait with the reason recorded");
  }, 20_000);
  assert.ok(prompts.length <= 10, `at most the budget's calls reached the model (${prompts.length})`);

  // A restart does not give the project a new budget: the day's use is in the store.
  const dataDir = server.dataDir;
  await server.close();
  const calls = prompts.length;
  server = await startTestServer({ dataDir, sessionIdleMs: 300, evaluationTickMs: 100, llm: { baseUrl: stub.baseURL, model: "judge-1", dailyCalls: 10 } });
  const { body } = await getJson<{ evaluators: Array<{ name: string; budget?: { calls: number; tokens: number } }> }>(`${server.url}/api/v1/projects/judged/evaluators`);
  const budget = body.evaluators.find((e) => e.name === "coherence")!.budget!;
  assert.equal(budget.calls, 10);
  assert.ok(budget.tokens > 0, "the tokens the stub reported count too");
  await server.evaluation.runOnce();
  assert.equal(prompts.length, calls, "no call after the restart");
});

test("a long session is cut to the token budget, keeping its first and last turns and saying what it left out", () => {
  const turns = Array.from({ length: 200 }, (_, i) => ({ turn: i + 1, traceId: `t${i}`, startTime: "", user: [`question ${i + 1} ${"x".repeat(100)}`], assistant: ["answer"], error: null }));
  const prompt = fill("{{transcript}}", { project: "p", sessionId: "s", turns, omitted: 0 }, 1000);
  assert.ok(prompt.length < 4400);
  assert.match(prompt, /^Turn 1\n/);
  assert.match(prompt, /\[\d+ turns in the middle are left out to fit the length limit\]/);
  assert.match(prompt, /Turn 200\n/);
});
