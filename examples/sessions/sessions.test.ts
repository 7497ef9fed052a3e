// The session examples, run as a user runs them (their own processes, `--endpoint` pointing at a real
// Threadline), must keep producing the sessions they promise.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { SessionDetail, TraceDetail } from "@threadline/server";

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

type Printed = { project: string; sessions: Array<{ sessionId: string; url: string }> } & Record<string, unknown>;

async function runExample(file: string, session: string): Promise<Printed> {
  const args = [join(import.meta.dirname, file), "--endpoint", server.url, "--project", "examples", "--session", session];
  const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { encoding: "utf8", timeout: 60_000 });
  assert.equal(stderr, "", `${file} wrote to stderr`);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Printed;
}

async function session(sessionId: string) {
  const { status, body } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/examples/sessions/${encodeURIComponent(sessionId)}`);
  assert.equal(status, 200, `session ${sessionId}`);
  const traces = await Promise.all(body.traces.map((t) => getJson<TraceDetail>(`${server.url}/api/v1/projects/examples/traces/${t.traceId}`)));
  return { ...body, spans: traces.flatMap((t) => t.body.spans) };
}

test("two-turn-chat: two turns, each an agent span over an LLM span, in one session", async () => {
  const printed = await runExample("two-turn-chat.ts", "sess-two-turns");
  // autoInstrument found OpenAI's instrumentation (LangChain's is installed too, for examples/clients).
  assert.ok((printed.instrumentations as string[]).includes("openai"), String(printed.instrumentations));
  assert.equal(printed.sessions[0].url, `${server.url}/api/v1/projects/examples/sessions/sess-two-turns`);
  const chat = await session("sess-two-turns");
  assert.equal(chat.traceCount, 2);
  assert.equal(chat.llmCount, 2);
  assert.equal(chat.firstInput, "hi! im bob");
  assert.equal(chat.lastOutput, "Your name is Bob.");
  assert.deepEqual(chat.spans.map((s) => s.spanKind).sort(), ["AGENT", "AGENT", "LLM", "LLM"]);
  for (const span of chat.spans) assert.equal(span.attributes["session.id"], "sess-two-turns", span.name);
  // The second turn sent the whole history.
  assert.equal(chat.spans.filter((s) => s.spanKind === "LLM").some((s) => s.inputMessages?.length === 4), true);
});

test("cross-service: the frontend's and the answers service's spans, the LLM's included, form one session", async () => {
  await runExample("cross-service.ts", "sess-two-services");
  const chat = await session("sess-two-services");
  assert.equal(chat.traceCount, 2);
  assert.deepEqual(chat.userIds, ["bob@example.com"]);
  const services = new Set(chat.spans.map((s) => s.resourceAttributes["service.name"]));
  assert.deepEqual(services, new Set(["chat-frontend", "answers"]));
  const llm = chat.spans.filter((s) => s.spanKind === "LLM");
  assert.equal(llm.length, 2);
  for (const span of llm) {
    assert.equal(span.resourceAttributes["service.name"], "answers");
    assert.equal(span.attributes["session.id"], "sess-two-services");
    assert.equal(span.attributes["user.id"], "bob@example.com");
  }
});

test("openinference-forms: each form's session carries what the form sets", async () => {
  const printed = await runExample("openinference-forms.ts", "sess-forms");
  assert.equal(printed.sessions.length, 8);
  const llmOf = async (form: string) => {
    const s = await session(`sess-forms-${form}`);
    return { session: s, llm: s.spans.filter((span) => span.spanKind === "LLM") };
  };

  assert.equal((await llmOf("session")).llm[0].attributes["session.id"], "sess-forms-session");
  assert.deepEqual((await llmOf("user")).session.userIds, ["my-user-id"]);
  assert.deepEqual((await llmOf("metadata")).llm[0].metadata, { key: "value", experiment: "v2" });
  const tags = await llmOf("tags");
  assert.deepEqual(tags.llm[0].tags, ["tag_1", "tag_2"]);
  assert.deepEqual([...tags.session.tags].sort(), ["tag_1", "tag_2"]);

  const template = (await llmOf("prompt-template")).llm[0].attributes;
  assert.equal(template["llm.prompt_template.template"], "Please describe the weather forecast for {city} on {date}");
  assert.deepEqual(JSON.parse(String(template["llm.prompt_template.variables"])), { city: "Johannesburg", date: "July 11" });
  assert.equal(template["llm.prompt_template.version"], "v1.0");

  const all = await llmOf("attributes");
  assert.deepEqual(all.session.userIds, ["my-user-id"]);
  assert.deepEqual(all.llm[0].metadata, { country: "United States", topic: "weather" });
  assert.deepEqual(all.llm[0].tags, ["business_critical", "simple"]);
  assert.equal(all.llm[0].attributes["llm.prompt_template.version"], "v1.0");

  const suppressed = await llmOf("suppress-tracing");
  assert.equal(suppressed.llm.length, 1, "the suppressed call left no span");

  const decorated = await llmOf("decorators");
  assert.deepEqual(decorated.session.userIds, ["my-user-id"]);
  const greet = decorated.session.spans.find((s) => s.name === "greet");
  assert.equal(greet?.spanKind, "CHAIN");
  assert.deepEqual(greet?.tags, ["decorated"]);
  assert.equal(decorated.llm[0].parentSpanId, greet?.spanId);
});
