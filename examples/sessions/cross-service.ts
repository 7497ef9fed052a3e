// One conversation, two services, one session. The chat frontend (this process) sets the session with
// { propagate: true }; the answers service (a child process, this file with --role answers) owns the LLM
// call and never mentions sessions: its spans, the LLM's included, join the session through W3C baggage.
//   npx node examples/sessions/cross-service.ts [--endpoint http://localhost:4318] [--project sessions-example] [--session id]
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "node:http";
import { parseArgs } from "node:util";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import OpenAI from "openai";
import { register, withAttributes } from "@threadline/sdk";
import { startOpenAIStub } from "../openai-stub/server.ts";
import { assertReachable, exampleOptions, report, runMain, type ExampleOptions } from "./cli.ts";

// HTTP spans and header propagation come from the HTTP instrumentation. It hooks `require`, so the
// services load node:http with require after register() has enabled it (ES-module imports are not hooked).
const loadHttp = () => createRequire(import.meta.url)("node:http") as typeof import("node:http");

const QUESTIONS = ["Can I return shoes I wore once?", "How long does the refund take?"];

async function frontend(options: ExampleOptions): Promise<void> {
  await assertReachable(options.endpoint);
  const threadline = register({
    projectName: options.project,
    endpoint: options.endpoint,
    serviceName: "chat-frontend",
    instrumentations: [new HttpInstrumentation()],
  });
  const http = loadHttp();
  const answers = await startAnswersService(options);
  const postJson = (path: string, body: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const request = http.request(`${answers.url}${path}`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {}));
      });
      request.on("error", reject).end(JSON.stringify(body));
    });

  const turn = threadline.tracer.agent(async (question: string) => String((await postJson("/answer", { question })).answer), { name: "chat-turn" });
  try {
    const replies: string[] = [];
    for (const question of QUESTIONS) {
      // propagate: the session and user ride along as W3C baggage on the request to the answers service.
      const reply = await withAttributes({ sessionId: options.session, userId: "bob@example.com", metadata: { channel: "web" } }, () => turn(question), {
        propagate: true,
      });
      replies.push(reply);
    }
    await postJson("/shutdown", {}); // the answers service flushes its spans and exits
    await answers.exited;
    report(options, { services: ["chat-frontend", "answers"], replies });
  } finally {
    answers.kill();
    await threadline.shutdown();
  }
}

/** The same file, run with --role answers; resolves once it listens. */
async function startAnswersService(options: ExampleOptions) {
  const args = [import.meta.filename, "--role", "answers", "--endpoint", options.endpoint, "--project", options.project];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  for await (const chunk of child.stdout) {
    output += String(chunk);
    const port = /listening (\d+)/.exec(output)?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, exited, kill: () => child.kill() };
  }
  throw new Error(`the answers service exited before listening: ${output}`);
}

/** The answers service: an LLM call per question, in a CHAIN span; nothing here knows about sessions. */
async function answersService(options: ExampleOptions): Promise<void> {
  const threadline = register({
    projectName: options.project,
    endpoint: options.endpoint,
    serviceName: "answers",
    instrumentations: [new HttpInstrumentation()],
    autoInstrument: true, // the OpenAI instrumentation
  });
  await threadline.instrumented;
  const http = loadHttp();
  const stub = await startOpenAIStub({ latencyMs: [5, 20] });
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-example-not-a-real-key", maxRetries: 0 });
  const answer = threadline.tracer.chain(
    async (question: string) => {
      const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] });
      return completion.choices[0].message.content ?? "";
    },
    { name: "answer" },
  );
  const readJson = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    return JSON.parse(text || "{}") as { question?: string };
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.url === "/answer") {
        const { question = "" } = await readJson(req);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ answer: await answer(question) }));
      } else if (req.url === "/shutdown") {
        res.writeHead(204).end();
        server.close();
        server.closeAllConnections();
        await stub.close();
        await threadline.shutdown();
      } else {
        res.writeHead(404).end();
      }
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
}

const { values } = parseArgs({ options: { role: { type: "string", default: "frontend" } }, strict: false });
const options = exampleOptions("sessions-example");
runMain(() => (values.role === "answers" ? answersService(options) : frontend(options)));
