// A chat app instrumented the way @opentelemetry/instrumentation-openai's README and the
// OpenTelemetry JS docs show: NodeSDK with the instrumentation (message content capture on), an
// OTLP trace exporter and an OTLP log exporter (the instrumentation sends message content as log
// records), the ESM loader hook registered before `openai` is imported. The app puts the session
// and user on a span around each turn (`session.id`, `user.id`), which the OpenAI span is a child of.
// The batch processors export only when the test flushes them, so it picks which signal arrives first.
import { register } from "node:module";
import { trace } from "@opentelemetry/api";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { BatchLogRecordProcessor, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace";
import type OpenAI from "openai";

export interface InstrumentedApp {
  chat(sessionId: string, userId: string, messages: OpenAI.Chat.ChatCompletionMessageParam[]): Promise<OpenAI.Chat.ChatCompletion>;
  flushLogs(): Promise<void>;
  flushSpans(): Promise<void>;
  shutdown(): Promise<void>;
}

const NEVER_BY_ITSELF = 10 * 60_000;

export async function startApp(options: {
  traceExporter: SpanExporter;
  logExporter: LogRecordExporter;
  openaiBaseURL: string;
  /** The instrumentation's option; leave it out to take OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT. */
  captureMessageContent?: boolean;
}): Promise<InstrumentedApp> {
  // ESM: the instrumentation patches `openai` through this hook (CommonJS apps need none).
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
  const spans = new BatchSpanProcessor({ exporter: options.traceExporter, scheduledDelayMillis: NEVER_BY_ITSELF });
  const logs = new BatchLogRecordProcessor({ exporter: options.logExporter, scheduledDelayMillis: NEVER_BY_ITSELF });
  const instrumentation = new OpenAIInstrumentation(options.captureMessageContent === undefined ? {} : { captureMessageContent: options.captureMessageContent });
  const sdk = new NodeSDK({
    serviceName: "travel-app",
    instrumentations: [instrumentation],
    spanProcessors: [spans],
    logRecordProcessors: [logs],
    // No metrics here: the SDK would otherwise export them to localhost:4318 by itself.
    metricReaders: [],
  });
  sdk.start();
  const { default: OpenAIClient } = await import("openai");
  const client = new OpenAIClient({ baseURL: options.openaiBaseURL, apiKey: "sk-stub" });
  const tracer = trace.getTracer("travel-app");
  return {
    chat: (sessionId, userId, messages) =>
      tracer.startActiveSpan("chat turn", { attributes: { "session.id": sessionId, "user.id": userId } }, async (span) => {
        try {
          return await client.chat.completions.create({ model: "gpt-4o-mini", messages });
        } finally {
          span.end();
        }
      }),
    flushLogs: () => logs.forceFlush(),
    flushSpans: () => spans.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}
