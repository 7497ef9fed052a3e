import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { diag, DiagConsoleLogger, DiagLogLevel } from "@opentelemetry/api";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import OpenAI from "openai";
import { register, withAttributes } from "@threadline/sdk";
import { startOpenAIStub } from "../openai-stub/server.ts";
import type { Conversation } from "./apps.ts";
import { createAssistant, type Chat } from "./assistant.ts";
import { CONVERSATIONS, scriptedReplies } from "./conversations/index.ts";
import { Timeline } from "./timeline.ts";
import { hash } from "./tools.ts";

export type DemoOptions = {
  /** Threadline base URL; spans go to `${endpoint}/v1/traces`. */
  endpoint: string;
  projectName?: string;
  /** Makes session ids (and think times) reproducible. Default: random. */
  seed?: number;
  /** Sessions played at the same time. */
  concurrency?: number;
  /** Replay each conversation at its own time over the last two weeks (timeline.ts). Default true. */
  spreadOverTime?: boolean;
};

export type SessionSummary = { sessionId: string; userId: string; turns: number; failedTurns: number };
export type DemoSummary = { projectName: string; seed: number; sessions: SessionSummary[] };

/**
 * Plays scripted multi-user conversations against a local OpenAI stub, traced with the real OpenAI
 * client + OpenInference instrumentation and exported to Threadline. One trace per turn.
 */
export async function runDemo({ endpoint, projectName = "demo", seed = randomSeed(), concurrency = 5, spreadOverTime = true }: DemoOptions): Promise<DemoSummary> {
  await assertReachable(endpoint);
  const stub = await startOpenAIStub({ replies: scriptedReplies(CONVERSATIONS) });
  const timeline = new Timeline();
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` });
  const threadline = register({ projectName, endpoint, exporter: spreadOverTime ? timeline.exporter(exporter) : exporter });
  // ESM imports are not hooked automatically, so patch the OpenAI class by hand.
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: threadline.provider });
  instrumentation.manuallyInstrument(OpenAI);
  try {
    const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-demo-not-a-real-key", maxRetries: 0 });
    const assistant = createAssistant(client, threadline.provider.getTracer("threadline-demo"));
    const random = seededRandom(seed);

    const playSession = async (conversation: Conversation): Promise<SessionSummary> => {
      const sessionId = `sess-${conversation.slug}-${(hash(`${seed}:${conversation.slug}`) % 0xffff).toString(16).padStart(4, "0")}`;
      const chat: Chat = { app: conversation.app, history: [] };
      timeline.place(sessionId, CONVERSATIONS.indexOf(conversation), hash(sessionId));
      let failedTurns = 0;
      for (const [index, turn] of conversation.turns.entries()) {
        await sleep(20 + random() * 120); // the user reads and types
        const attributes = {
          sessionId,
          userId: conversation.userId,
          metadata: { app: conversation.app.name, channel: conversation.channel, turn: index + 1 },
          tags: [conversation.topic, conversation.channel],
        };
        try {
          await withAttributes(attributes, () => assistant.turn(chat, turn.user, { simulateOutage: turn.outage, endsSession: index === conversation.turns.length - 1 }));
        } catch {
          failedTurns++; // recorded on the turn's span; the user sees an error and carries on
        }
      }
      return { sessionId, userId: conversation.userId, turns: conversation.turns.length, failedTurns };
    };

    const sessions = await mapConcurrently(CONVERSATIONS, concurrency, playSession);
    return { projectName, seed, sessions };
  } finally {
    instrumentation.disable();
    await threadline.shutdown(); // flushes every pending span first
    await stub.close();
  }
}

/** Fails fast instead of playing the whole demo into the void (the exporter would retry each batch for 10 s). */
async function assertReachable(endpoint: string): Promise<void> {
  const url = `${endpoint.replace(/\/+$/, "")}/v1/traces`;
  try {
    // An empty body is a valid, empty OTLP request; any HTTP answer means someone is listening.
    await fetch(url, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array() });
  } catch (error) {
    throw new Error(`Threadline is not reachable at ${url}: ${(error as Error).cause ?? error}`, { cause: error });
  }
}

/** Like Promise.all(items.map(fn)), with at most `limit` calls in flight; results keep the input order. */
async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** mulberry32: tiny, good-enough PRNG so a seed replays the same demo. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSeed(): number {
  return Math.floor(Math.random() * 100_000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: "string", default: "http://127.0.0.1:4318" },
      project: { type: "string", default: "demo" },
      seed: { type: "string" },
      concurrency: { type: "string", default: "5" },
    },
  });
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN); // show export problems
  const started = performance.now();
  const summary = await runDemo({ endpoint: values.endpoint, projectName: values.project, seed, concurrency: Number(values.concurrency) });
  const turns = summary.sessions.reduce((total, session) => total + session.turns, 0);
  const failed = summary.sessions.reduce((total, session) => total + session.failedTurns, 0);
  const users = new Set(summary.sessions.map((session) => session.userId)).size;
  console.table(summary.sessions);
  console.log(
    `Sent ${summary.sessions.length} sessions from ${users} users (${turns} turns, ${failed} failed on purpose) ` +
      `to ${values.endpoint} as project "${summary.projectName}" in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${summary.seed}).`,
  );
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
