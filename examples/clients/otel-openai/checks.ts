// What a user checks in Threadline after running the app: the session, its user, the turns, the
// tokens, first input and last output, and the conversation with each message once, in order.
import assert from "node:assert/strict";
import type OpenAI from "openai";
import type { Conversation, SearchResults, SessionDetail } from "../../../packages/server/src/api/types.ts";
import { getJson } from "../../../packages/server/test/support.ts";
import type { InstrumentedApp } from "./app.ts";

export const SYSTEM = "You are a travel assistant. Answer in one sentence.";
export const TURNS: Array<[question: string, answer: string]> = [
  ["What should I pack for Lisbon in May?", "Light layers, comfortable shoes and a light jacket for the evenings."],
  ["Will it rain on Saturday?", "Probably not: the forecast says sunny, around 24°C."],
];

/** The stub's answer to each question. */
export const reply = (messages: OpenAI.Chat.ChatCompletionMessageParam[]) => {
  const last = messages.at(-1);
  return TURNS.find(([question]) => question === last?.content)?.[1] ?? null;
};

/** Two turns of one session, the history re-sent each time as apps do; the model's reported usage. */
export async function converse(app: InstrumentedApp, sessionId: string, userId: string): Promise<number> {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "system", content: SYSTEM }];
  let tokens = 0;
  for (const [question] of TURNS) {
    messages.push({ role: "user", content: question });
    const completion = await app.chat(sessionId, userId, messages);
    tokens += completion.usage?.total_tokens ?? 0;
    messages.push({ role: "assistant", content: completion.choices[0].message.content ?? "" });
  }
  assert.ok(tokens > 0, "the stub reports usage");
  return tokens;
}

export async function assertSession(baseUrl: string, project: string, sessionId: string, userId: string, tokens: number): Promise<void> {
  const sessionUrl = `${baseUrl}/api/v1/projects/${project}/sessions/${encodeURIComponent(sessionId)}`;
  const { status, body: session } = await getJson<SessionDetail>(sessionUrl);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, [userId]);
  assert.equal(session.traceCount, 2, "one turn per chat call");
  assert.equal(session.llmCount, 2);
  assert.equal(session.tokens.total, tokens, "the model's usage, once");
  assert.deepEqual(session.models, ["gpt-4o-mini"]);
  assert.equal(session.firstInput, TURNS[0][0]);
  assert.equal(session.lastOutput, TURNS[1][1]);
  const { body: chat } = await getJson<Conversation>(`${sessionUrl}/conversation`);
  assert.deepEqual(
    chat.turns.map((turn) => turn.messages.map((m) => `${m.role}: ${m.content}`)),
    [[`system: ${SYSTEM}`, `user: ${TURNS[0][0]}`, `assistant: ${TURNS[0][1]}`], [`user: ${TURNS[1][0]}`, `assistant: ${TURNS[1][1]}`]],
  );
  const { body: found } = await getJson<SearchResults>(`${baseUrl}/api/v1/projects/${project}/search?q=forecast`);
  assert.ok(found.sessions.some((s) => s.sessionId === sessionId), "what the assistant said is searchable");
}
