// LangChain JS and LangGraph, traced by OpenInference's LangChain instrumentation with the session
// and user from @threadline/sdk, against a local OpenAI-compatible stub and a real Threadline: the
// lists' first input and last output are the text, not LangChain's serialized objects, search
// finds the words, and the conversation has each message once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as callbackManager from "@langchain/core/callbacks/manager";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { register, withAttributes, type Threadline } from "@threadline/sdk";
import type { Conversation, SearchResults, SessionDetail } from "@threadline/server";
import { getJson, startTestServer, type TestServer } from "../../packages/server/test/support.ts";
import { startOpenAIStub, type OpenAIStub } from "../openai-stub/server.ts";

const TURNS: Array<[string, string]> = [
  ["Which gate does flight LH 402 leave from?", "Gate B22, boarding at 10:40."],
  ["Is there a lounge near that gate?", "Yes: the Senator lounge, two minutes from B22."],
];

/** Asked with LangGraph's own conversation key: `configurable.thread_id`, the user in run metadata. */
const THREAD_TURNS: Array<[string, string]> = [
  ["Can I bring my bike on the train?", "Yes, in the marked carriage, with a bike ticket."],
  ["How much is the bike ticket?", "Six euros for the day."],
];

let server: TestServer;
let stub: OpenAIStub;
let threadline: Threadline;
before(async () => {
  server = await startTestServer();
  // Each question has its answer, whichever test asks it.
  const answers = new Map([...TURNS, ...THREAD_TURNS]);
  stub = await startOpenAIStub({ respond: (messages) => answers.get(String(messages.at(-1)?.content)) ?? null });
  threadline = register({ projectName: "langgraph", endpoint: server.url });
  // ESM: the callback manager is patched by hand, as the instrumentation's docs say.
  new LangChainInstrumentation({ tracerProvider: threadline.provider }).manuallyInstrument(callbackManager);
});
after(async () => {
  await threadline.shutdown();
  await stub.close();
  await server.close();
});

function agentGraph() {
  const llm = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-stub", configuration: { baseURL: stub.baseURL } });
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state) => ({ messages: [await llm.invoke(state.messages)] }))
    .addEdge(START, "agent").addEdge("agent", END).compile();
}

test("a LangGraph agent's turns read as the chat they were", async () => {
  const graph = agentGraph();
  let messages: BaseMessage[] = [];
  for (const [question] of TURNS) {
    const state = await withAttributes({ sessionId: "lg-session", userId: "ana@example.com" }, () => graph.invoke({ messages: [...messages, new HumanMessage(question)] }));
    messages = state.messages;
  }
  await threadline.forceFlush();

  const base = `${server.url}/api/v1/projects/langgraph`;
  const { status, body: session } = await getJson<SessionDetail>(`${base}/sessions/lg-session`);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, ["ana@example.com"]);
  assert.equal(session.traceCount, 2);
  assert.ok(session.tokens.total > 0);
  assert.equal(session.firstInput, TURNS[0][0], "the question, not the serialized state");
  assert.equal(session.lastOutput, TURNS[1][1], "the answer, not the serialized state");
  assert.deepEqual(session.traces.map((t) => [t.input, t.output]), TURNS);
  const { body: chat } = await getJson<Conversation>(`${base}/sessions/lg-session/conversation`);
  const said = chat.turns.flatMap((t) => t.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => `${m.role}: ${m.content}`));
  assert.deepEqual(said, TURNS.flatMap(([q, a]) => [`user: ${q}`, `assistant: ${a}`]));
  const { body: found } = await getJson<SearchResults>(`${base}/search?q=${encodeURIComponent("Senator lounge")}`);
  assert.deepEqual(found.sessions.map((s) => s.sessionId), ["lg-session"]);
  const { body: noise } = await getJson<SearchResults>(`${base}/search?q=constructor`);
  assert.deepEqual(noise.sessions, [], "LangChain's wrapping is not searchable text");
});

test("LangGraph's thread_id and the run's user_id metadata are the session and the user", async () => {
  const graph = agentGraph();
  let messages: BaseMessage[] = [];
  for (const [question] of THREAD_TURNS) {
    // No Threadline call: the conversation key passed the way LangGraph's docs pass it.
    const config = { configurable: { thread_id: "thread-bikes" }, metadata: { user_id: "ben" } };
    messages = (await graph.invoke({ messages: [...messages, new HumanMessage(question)] }, config)).messages;
  }
  await threadline.forceFlush();

  const base = `${server.url}/api/v1/projects/langgraph`;
  const { status, body: session } = await getJson<SessionDetail>(`${base}/sessions/thread-bikes`);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, ["ben"]);
  assert.equal(session.traceCount, 2);
  assert.deepEqual(session.traces.map((t) => [t.input, t.output]), THREAD_TURNS);
});
