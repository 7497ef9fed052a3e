import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { countPromptTokens, countTokens, textOf } from "./messages.ts";
import { chooseReply, type CannedReplies, type StubReply } from "./replies.ts";

/** A user message containing this makes the stub answer HTTP 500, to show errors end to end. */
export const FAIL_MARKER = "[fail]";
/** Same as FAIL_MARKER, without touching the conversation: send this request header (any value). */
export const FAIL_HEADER = "x-stub-fail";

export type OpenAIStubOptions = {
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Delay before each answer, fixed or a [min, max] range; default [20, 120] so durations look real. */
  latencyMs?: number | [min: number, max: number];
  /** Exact replies for given last user messages (see CannedReplies). */
  replies?: CannedReplies | Record<string, string>;
  /** Answers computed from the request (a judge's verdict in tests); null falls through to the rest. */
  respond?: (messages: ChatCompletionMessageParam[]) => string | null;
};

export type OpenAIStub = { url: string; baseURL: string; close(): Promise<void> };

/** Starts a local OpenAI-compatible server implementing POST /v1/chat/completions (plain and streaming). */
export async function startOpenAIStub(options: OpenAIStubOptions = {}): Promise<OpenAIStub> {
  const canned: CannedReplies = options.replies instanceof Map ? options.replies : new Map(Object.entries(options.replies ?? {}));
  const [minLatency, maxLatency] = typeof options.latencyMs === "number" ? [options.latencyMs, options.latencyMs] : (options.latencyMs ?? [20, 120]);
  let requestCount = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, 500, `Stub failure: ${String(error)}`, "server_error"));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/chat/completions") {
      return sendError(res, 404, `Unknown request URL: ${req.method} ${req.url}.`, "invalid_request_error");
    }
    const body = parseRequest(await readBody(req));
    if (!body) return sendError(res, 400, "Expected a JSON body with 'model' and 'messages'.", "invalid_request_error");

    await sleep(minLatency + Math.random() * (maxLatency - minLatency));
    if (req.headers[FAIL_HEADER] !== undefined || lastUserText(body.messages).includes(FAIL_MARKER)) {
      return sendError(res, 500, "The server had an error while processing your request. Sorry about that!", "server_error");
    }

    const offered = new Set((body.tools ?? []).flatMap((tool) => (tool.type === "function" ? [tool.function.name] : [])));
    const computed = options.respond?.(body.messages) ?? null;
    const reply = computed !== null ? { content: computed } : chooseReply(body.messages, offered, canned);
    const completion = toCompletion(`chatcmpl-stub${++requestCount}`, body, reply);
    if (body.stream) streamCompletion(res, completion, body.stream_options?.include_usage === true);
    else sendJson(res, 200, completion);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the OpenAI client keeps connections alive
      }),
  };
}

function toCompletion(id: string, body: ChatCompletionCreateParams, reply: StubReply): ChatCompletion {
  const toolCall: ChatCompletionMessageFunctionToolCall | undefined =
    "toolCall" in reply
      ? {
          id: `call_${createHash("sha256").update(JSON.stringify(body.messages)).digest("base64url").slice(0, 24)}`,
          type: "function",
          function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) },
        }
      : undefined;
  const content = "content" in reply ? reply.content : null;
  const promptTokens = countPromptTokens(body.messages, body.tools);
  const completionTokens = toolCall ? 8 + countTokens(toolCall.function.arguments) : countTokens(content ?? "");
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: "fp_threadline_stub",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null, ...(toolCall ? { tool_calls: [toolCall] } : {}) },
        logprobs: null,
        finish_reason: toolCall ? "tool_calls" : "stop",
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  };
}

/** Sends the completion as server-sent events, word by word, the way the real API streams. */
function streamCompletion(res: ServerResponse, completion: ChatCompletion, includeUsage: boolean): void {
  const { message, finish_reason } = completion.choices[0];
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finishReason: ChatCompletionChunk.Choice["finish_reason"] = null): ChatCompletionChunk => ({
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.created,
    model: completion.model,
    system_fingerprint: completion.system_fingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks = [chunk({ role: "assistant", content: "" })];
  for (const word of message.content?.split(/(?<=\s)/) ?? []) chunks.push(chunk({ content: word }));
  for (const [index, call] of (message.tool_calls ?? []).entries()) {
    if (call.type === "function") chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: call.function }] }));
  }
  chunks.push(chunk({}, finish_reason));
  if (includeUsage) chunks.push({ ...chunk({}), choices: [], usage: completion.usage });

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const data of chunks) res.write(`data: ${JSON.stringify(data)}\n\n`);
  res.end("data: [DONE]\n\n");
}

function parseRequest(raw: string): ChatCompletionCreateParams | undefined {
  try {
    const body = JSON.parse(raw);
    return typeof body?.model === "string" && Array.isArray(body.messages) ? body : undefined;
  } catch {
    return undefined;
  }
}

function lastUserText(messages: ChatCompletionMessageParam[]): string {
  return textOf(messages.findLast((message) => message.role === "user")?.content);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_stub_${Date.now().toString(36)}` });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, type: string): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, status, { error: { message, type, param: null, code: null } });
}
