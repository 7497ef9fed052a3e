import type { Tracer } from "@opentelemetry/api";
import { endSession } from "@threadline/sdk";
import { getInputAttributes, getOutputAttributes, traceAgent } from "@arizeai/openinference-core";
import type OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { FAIL_HEADER } from "../openai-stub/server.ts";
import type { App } from "./apps.ts";
import { runToolCall, toolSchemas } from "./tools.ts";

/** Enough for "call a tool, then answer"; a model stuck in a tool loop is an error. */
const MAX_MODEL_CALLS = 4;

export type Chat = {
  app: App;
  /** The conversation so far, re-sent to the model on every turn like real chat apps do. */
  history: ChatCompletionMessageParam[];
};

/** endsSession: the conversation's last turn, which tells Threadline it is over (its evaluations run now). */
export type TurnOptions = { simulateOutage?: boolean; endsSession?: boolean };

/**
 * The demo chat app. Each turn is one trace: an AGENT span (input = the user's message, output = the reply)
 * around the LLM call(s) and the TOOL spans of any tool the model asks for.
 */
export function createAssistant(client: OpenAI, tracer: Tracer) {
  async function answer(chat: Chat, userMessage: string, options: TurnOptions): Promise<string> {
    if (options.endsSession) endSession(); // marks this turn's span
    const messages: ChatCompletionMessageParam[] = [...chat.history, { role: "user", content: userMessage }];
    const tools = toolSchemas(chat.app.tools);
    for (let call = 0; call < MAX_MODEL_CALLS; call++) {
      const completion = await client.chat.completions.create(
        {
          model: chat.app.model,
          temperature: 0.3,
          messages: [{ role: "system", content: chat.app.systemPrompt }, ...messages],
          ...(tools.length > 0 ? { tools } : {}),
        },
        // The stub answers HTTP 500 when it sees this header: a provider outage, on demand.
        options.simulateOutage ? { headers: { [FAIL_HEADER]: "1" } } : undefined,
      );
      const { content, tool_calls: toolCalls } = completion.choices[0].message;
      messages.push({ role: "assistant", content, ...(toolCalls ? { tool_calls: toolCalls } : {}) });
      if (!toolCalls?.length) {
        chat.history = messages; // only a completed turn becomes part of the conversation
        return content ?? "";
      }
      for (const toolCall of toolCalls) {
        if (toolCall.type !== "function") continue;
        messages.push({ role: "tool", tool_call_id: toolCall.id, content: await runToolCall(toolCall, tracer) });
      }
    }
    throw new Error(`No answer after ${MAX_MODEL_CALLS} model calls`);
  }

  // One traced wrapper per app, so the root span is named after the app.
  const tracedByApp = new Map<string, typeof answer>();
  function tracedFor(app: App): typeof answer {
    let traced = tracedByApp.get(app.name);
    if (!traced) {
      traced = traceAgent(answer, {
        name: app.name,
        tracer,
        attributes: { "agent.name": app.name },
        processInput: (_chat, userMessage) => getInputAttributes(userMessage),
        processOutput: (reply) => getOutputAttributes(reply),
      });
      tracedByApp.set(app.name, traced);
    }
    return traced;
  }

  return {
    /** Sends the user's message and returns the assistant's reply; throws (after recording it) if the turn fails. */
    turn: (chat: Chat, userMessage: string, options: TurnOptions = {}) => tracedFor(chat.app)(chat, userMessage, options),
  };
}
