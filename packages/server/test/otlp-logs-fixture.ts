// A two-turn chat as OpenTelemetry's GenAI instrumentation for OpenAI sends it: spans with the
// session, user, model and tokens, and the messages as OTLP log records (one per message, the
// events of the GenAI conventions) naming the LLM span they belong to. Encoded as OTLP/JSON or
// protobuf exports, split the way a test wants them.
import { ExportLogsServiceRequest } from "../src/otlp/logs-decode.ts";
import { hexId, otlpJson, type TestSpan } from "./support.ts";

export interface LogRecordSpec {
  traceId: string;
  spanId: string;
  event: string;
  body: unknown;
  timeMs: number;
  /** Attributes besides the event name and gen_ai.system. */
  attributes?: Record<string, unknown>;
}

export interface ChatFixture {
  spans: TestSpan[];
  /** Per LLM call, in order: its input records, then its choice. */
  calls: Array<{ input: LogRecordSpec[]; choice: LogRecordSpec }>;
  tokens: number;
}

export const SYSTEM = "You are a travel assistant.";
export const QUESTION_1 = "What should I pack for Lisbon?";
export const ANSWER_1 = "Light layers and comfortable shoes.";
export const QUESTION_2 = "Will it rain on Saturday?";
export const WEATHER = "Sunny, 24°C";
export const ANSWER_2 = "No rain expected: sunny, 24°C.";
const TOOL_CALL = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Lisbon"}' } };

/** What the conversation shows, each message once: role and text (tool calls as name + arguments). */
export const EXPECTED_CONVERSATION = [
  [`system: ${SYSTEM}`, `user: ${QUESTION_1}`, `assistant: ${ANSWER_1}`],
  [`user: ${QUESTION_2}`, `assistant: → get_weather({"city":"Lisbon"})`, `tool: ${WEATHER}`, `assistant: ${ANSWER_2}`],
];

/** Turn 1: one call. Turn 2: a call that asks for the weather tool, then one that answers. */
export function chatFixture(sessionId: string, userId: string, startMs = Date.now() - 60_000): ChatFixture {
  const spans: TestSpan[] = [];
  const calls: ChatFixture["calls"] = [];
  const turn = (at: number, llmCalls: number) => {
    const traceId = hexId(16);
    const root = { traceId, spanId: hexId(8), name: "turn", startMs: at, endMs: at + 3000, attributes: { "session.id": sessionId, "user.id": userId } };
    spans.push(root);
    return Array.from({ length: llmCalls }, (_, i) => {
      const llm = {
        traceId, spanId: hexId(8), parentSpanId: root.spanId, name: "chat gpt-4o-mini", startMs: at + 100 + i * 1000, endMs: at + 900 + i * 1000,
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 20 + i * 10, "gen_ai.usage.output_tokens": 5 },
      };
      spans.push(llm);
      return llm;
    });
  };
  const record = (llm: TestSpan & { spanId: string }, event: string, body: unknown, timeMs: number): LogRecordSpec => ({ traceId: llm.traceId, spanId: llm.spanId, event, body, timeMs });
  const inputs = (llm: TestSpan & { spanId: string }, messages: Array<[string, unknown]>) => messages.map(([event, body]) => record(llm, event, body, llm.startMs + 1));
  const choice = (llm: TestSpan & { spanId: string }, message: unknown, finish = "stop") => record(llm, "gen_ai.choice", { index: 0, finish_reason: finish, message }, llm.endMs - 1);

  const [first] = turn(startMs, 1);
  const history: Array<[string, unknown]> = [["gen_ai.system.message", { content: SYSTEM }], ["gen_ai.user.message", { content: QUESTION_1 }]];
  calls.push({ input: inputs(first, history), choice: choice(first, { content: ANSWER_1 }) });

  const [ask, answer] = turn(startMs + 20_000, 2);
  history.push(["gen_ai.assistant.message", { content: ANSWER_1 }], ["gen_ai.user.message", { content: QUESTION_2 }]);
  calls.push({ input: inputs(ask, history), choice: choice(ask, { tool_calls: [TOOL_CALL] }, "tool_calls") });
  history.push(["gen_ai.assistant.message", { tool_calls: [TOOL_CALL] }], ["gen_ai.tool.message", { id: "call_1", content: WEATHER }]);
  calls.push({ input: inputs(answer, history), choice: choice(answer, { content: ANSWER_2 }) });
  const tokens = spans.reduce((sum, s) => sum + Number(s.attributes?.["gen_ai.usage.input_tokens"] ?? 0) + Number(s.attributes?.["gen_ai.usage.output_tokens"] ?? 0), 0);
  return { spans, calls, tokens };
}

export function spansJson(fixture: ChatFixture, project: string): string {
  return otlpJson(fixture.spans, project);
}

/** An AnyValue in OTLP/JSON. */
export function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value && typeof value === "object") return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: anyValue(v) })) } };
  return {};
}

/**
 * An ExportLogsServiceRequest of the records, as OTLP/JSON or protobuf. `eventNameAs`: the
 * LogRecord's event_name field (OTLP 1.5+) or the `event.name` attribute (what the JS SDK sends).
 */
export function logsExport(records: LogRecordSpec[], options: { project?: string; wire: "json" | "protobuf"; eventNameAs?: "field" | "attribute" }): string | Uint8Array {
  const protobuf = options.wire === "protobuf";
  const asAttribute = options.eventNameAs === "attribute";
  const request = {
    resourceLogs: [{
      resource: { attributes: options.project ? [{ key: "openinference.project.name", value: { stringValue: options.project } }] : [] },
      scopeLogs: [{
        scope: { name: "@opentelemetry/instrumentation-openai" },
        logRecords: records.map((r) => ({
          timeUnixNano: String(BigInt(r.timeMs) * 1_000_000n),
          observedTimeUnixNano: String(BigInt(r.timeMs) * 1_000_000n),
          severityNumber: 9,
          traceId: protobuf ? Buffer.from(r.traceId, "hex") : r.traceId,
          spanId: protobuf ? Buffer.from(r.spanId, "hex") : r.spanId,
          ...(asAttribute ? {} : { eventName: r.event }),
          attributes: [
            ...(asAttribute ? [{ key: "event.name", value: { stringValue: r.event } }] : []),
            { key: "gen_ai.system", value: { stringValue: "openai" } },
            ...Object.entries(r.attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) })),
          ],
          ...(r.body == null ? {} : { body: anyValue(r.body) }),
        })),
      }],
    }],
  };
  if (!protobuf) return JSON.stringify(request);
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request)).finish();
}
