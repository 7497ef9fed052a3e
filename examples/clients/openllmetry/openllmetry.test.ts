// OpenLLMetry's own Node SDK (@traceloop/node-server-sdk), set up the way Traceloop's docs show:
// traceloop.initialize with baseUrl at Threadline and the OpenAI module instrumented, each turn a
// workflow inside withAssociationProperties({ session_id, user_id }), the real `openai` client
// against a local OpenAI-compatible stub. OpenLLMetry has no project setting, so the project is
// named by the x-project-name header. The session, the user, the turns, the tokens, first input,
// last output, the conversation with each message once, and the project must land.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as traceloop from "@traceloop/node-server-sdk";
import OpenAI from "openai";
import type { Conversation, SessionDetail } from "@threadline/server";
import { getJson, startTestServer, type TestServer } from "../../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../../openai-stub/server.ts";

const TURNS: Array<[string, string]> = [
  ["My order 12 has not arrived.", "Sorry about that. It left the warehouse on Monday."],
  ["When will it get here?", "It should arrive by Thursday."],
];
const PROJECT = "support-bot";
// Traceloop's types (a CommonJS .d.ts) name openai's CommonJS declarations; this ESM import is the
// class its docs pass, the same at run time (the test checks its calls are traced).
type OpenAIModule = NonNullable<NonNullable<traceloop.InitializeOptions["instrumentModules"]>["openAI"]>;
const SESSION = "tl-session-1";

let server: TestServer;
let stub: OpenAIStub;
before(async () => {
  server = await startTestServer();
  let turn = 0;
  stub = await startOpenAIStub({ latencyMs: 5, respond: () => TURNS[turn++]?.[1] ?? null });
  traceloop.initialize({
    baseUrl: server.url,
    appName: "support-bot",
    headers: { "x-project-name": PROJECT }, // OpenLLMetry has no project setting
    disableBatch: true,
    instrumentModules: { openAI: OpenAI as unknown as OpenAIModule },
    silenceInitializationMessage: true,
  });
});
after(async () => {
  await stub.close();
  await server.close();
});

test("OpenLLMetry with withAssociationProperties: the session, user, turns, tokens, conversation and project land", async () => {
  const openai = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-stub" });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "system", content: "You are a support agent." }];
  const usage: number[] = [];
  for (const [question] of TURNS) {
    messages.push({ role: "user", content: question });
    const answer = await traceloop.withAssociationProperties({ session_id: SESSION, user_id: "ana@example.com" }, () =>
      traceloop.withWorkflow({ name: "support_chat" }, async () => {
        const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
        usage.push(completion.usage?.total_tokens ?? 0);
        return completion.choices[0].message.content ?? "";
      }),
    );
    messages.push({ role: "assistant", content: answer });
  }
  await traceloop.forceFlush();

  const url = `${server.url}/api/v1/projects/${PROJECT}/sessions/${SESSION}`;
  const { status, body: session } = await getJson<SessionDetail>(url);
  assert.equal(status, 200, `${JSON.stringify(session)}\n${server.logs.slice(-5).join("\n")}`);
  assert.deepEqual(session.userIds, ["ana@example.com"]);
  assert.equal(session.traceCount, 2);
  assert.equal(session.tokens.total, usage[0] + usage[1], `each call's usage once (${usage.join(" + ")})`);
  assert.equal(session.firstInput, TURNS[0][0]);
  assert.equal(session.lastOutput, TURNS[1][1]);
  const { body: chat } = await getJson<Conversation>(`${url}/conversation`);
  const said = chat.turns.flatMap((t) => t.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => `${m.role}: ${m.content}`));
  assert.deepEqual(said, TURNS.flatMap(([q, a]) => [`user: ${q}`, `assistant: ${a}`]));
  const elsewhere = await getJson(`${server.url}/api/v1/projects/default/sessions/${SESSION}`);
  assert.equal(elsewhere.status, 404, "the header's project, not default");
});
