// The two-turn chat from the OpenInference/Phoenix sessions docs, in TypeScript: an assistant whose every
// turn is its own trace (an AGENT span over the LLM call), both turns filed under one session.
//   npx node examples/sessions/two-turn-chat.ts [--endpoint http://localhost:4318] [--project sessions-example] [--session id]
// The model is the local OpenAI stub; the client, the instrumentation and the SDK are the real ones.
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { register, withSession } from "@threadline/sdk";
import { startOpenAIStub } from "../openai-stub/server.ts";
import { assertReachable, exampleOptions, report, runMain } from "./cli.ts";

async function main(): Promise<void> {
  const options = exampleOptions("sessions-example");
  await assertReachable(options.endpoint);
  // autoInstrument finds @arizeai/openinference-instrumentation-openai and patches the `openai` module.
  const threadline = register({ projectName: options.project, endpoint: options.endpoint, autoInstrument: true });
  const { loaded } = await threadline.instrumented;
  const stub = await startOpenAIStub({
    latencyMs: [5, 20],
    replies: { "hi! im bob": "Hi Bob! How can I help you today?", "what's my name?": "Your name is Bob." },
  });
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-example-not-a-real-key", maxRetries: 0 });

  // One turn: an AGENT span named "agent" whose input is the user's message and output the reply.
  const assistant = threadline.tracer.agent(
    async (messages: ChatCompletionMessageParam[]) => {
      const completion = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "system", content: "You are a helpful assistant." }, ...messages],
      });
      return completion.choices[0].message;
    },
    {
      name: "agent",
      processInput: (messages) => ({ "input.value": String(messages.at(-1)?.content ?? "") }),
      processOutput: (message) => ({ "output.value": message.content ?? "" }),
    },
  );

  try {
    // Every span inside, the agent's and the OpenAI instrumentation's, carries session.id.
    let messages: ChatCompletionMessageParam[] = [{ role: "user", content: "hi! im bob" }];
    const first = await withSession(options.session, () => assistant(messages));
    messages = [...messages, { role: "assistant", content: first.content }, { role: "user", content: "what's my name?" }];
    const second = await withSession(options.session, () => assistant(messages));
    report(options, { instrumentations: loaded, replies: [first.content, second.content] });
  } finally {
    await threadline.shutdown(); // flushes every pending span
    await stub.close();
  }
}

runMain(main);
