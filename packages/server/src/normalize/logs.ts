// OTLP log records that carry a span's GenAI messages (OpenTelemetry's GenAI event conventions:
// @opentelemetry/instrumentation-openai sends message content this way) become one synthetic
// child span per span and export: the records are its events (the same shape as GenAI span
// events, which the message readers know), and the newer inference.operation.details records
// lend it their gen_ai.input/output.messages. The child is no LLM call and counts no tokens, so
// turns, LLM calls and token totals stay as the spans say; the store's out-of-order handling
// joins it to its span and trace whichever arrives first. Its id is derived from its records, so
// a retried export stores nothing twice.
import { createHash } from "node:crypto";
import type { Attributes, DecodedEvent, DecodedLogRecord, DecodedLogsRequest, DecodedRequest, DecodedSpan } from "../otlp/types.ts";
import type { ChatMessage } from "../store/records.ts";
import { arrayValue, isRecord } from "./attributes.ts";
import { capRequest, type SpanCaps } from "./caps.ts";
import { eventMessages } from "./messages/events.ts";
import { genAiInputMessages, genAiOutputMessages } from "./messages/genai.ts";
import { MAX_TIME_US, normalizeRequest, type NormalizeOptions, type NormalizeResult } from "./normalize.ts";
import { readStoredMessages } from "./semantics.ts";

/** Marks a span made of log records (how many); the conversation reads such spans' messages. */
export const LOG_RECORDS_ATTRIBUTE = "threadline.log_records";
export const LOG_RECORDS_SPAN_NAME = "gen_ai.log_records";

const MESSAGE_EVENTS = new Set(["gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message", "gen_ai.choice"]);
const DETAILS_EVENT = "gen_ai.client.inference.operation.details";
const DETAILS_KEYS = ["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions"] as const;

const TRACE_ID = /^(?!0+$)[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0+$)[0-9a-f]{16}$/;
const SPAN_KIND_INTERNAL = 1;

/** Why records were not stored, and how many for each reason. */
type Skipped = Map<string, number>;

/**
 * The export's GenAI message records as span records (through the span path: caps, project,
 * normalizer); `rejectedCount` counts log records, every one not stored, with the reasons.
 */
export function normalizeLogs(request: DecodedLogsRequest, caps: SpanCaps, options: NormalizeOptions): NormalizeResult {
  const skipped: Skipped = new Map();
  const recordsOf = new Map<string, number>();
  const traces = logRecordSpans(request, skipped, recordsOf);
  const capped = capRequest(traces, caps);
  const normalized = normalizeRequest(traces, options);
  let stored = 0;
  for (const span of normalized.spans) stored += recordsOf.get(span.spanId) ?? 0;
  let total = 0;
  for (const count of recordsOf.values()) total += count;
  let rejectedCount = total - stored;
  const rejections: string[] = [];
  for (const [reason, count] of skipped) {
    rejectedCount += count;
    rejections.push(`${count} log record${count === 1 ? "" : "s"} not stored: ${reason}`);
  }
  if (capped.reason) rejections.push(capped.reason);
  // The normalizer names the synthetic spans' places; the sender knows its records' (same indices).
  const placed = normalized.rejections.map((line) => line.replace(/resourceSpans\[(\d+)\]\.scopeSpans\[(\d+)\]\.spans\[\d+\]/, "resourceLogs[$1].scopeLogs[$2]"));
  rejections.push(...new Set(placed));
  return { spans: normalized.spans, rejectedCount, rejections };
}

/** One span per (span, scope) whose records carry messages, mirroring the export's resources and scopes. */
function logRecordSpans(request: DecodedLogsRequest, skipped: Skipped, recordsOf: Map<string, number>): DecodedRequest {
  return {
    resourceSpans: request.resourceLogs.map((resourceLogs) => ({
      resource: resourceLogs.resource,
      scopeSpans: resourceLogs.scopeLogs.map((scopeLogs) => {
        const groups = new Map<string, DecodedLogRecord[]>();
        for (const record of scopeLogs.logRecords) {
          const problem = whyNotStored(record);
          if (problem) {
            skipped.set(problem, (skipped.get(problem) ?? 0) + 1);
            continue;
          }
          const key = `${record.traceId}/${record.spanId}`;
          const group = groups.get(key);
          if (group) group.push(record);
          else groups.set(key, [record]);
        }
        const spans = [...groups.values()].map((records) => {
          const span = spanOf(records);
          recordsOf.set(span.spanId, records.length);
          return span;
        });
        return { scope: scopeLogs.scope, spans };
      }),
    })),
  };
}

function whyNotStored(record: DecodedLogRecord): string | null {
  const details = record.eventName === DETAILS_EVENT;
  if (!details && !MESSAGE_EVENTS.has(record.eventName)) {
    return "not a GenAI message event (Threadline keeps the gen_ai.* message records of spans, no other logs)";
  }
  if (!TRACE_ID.test(record.traceId) || !SPAN_ID.test(record.spanId)) return "a GenAI message that names no span (trace and span id) to join it to";
  if (!Number.isFinite(record.timeUs) || record.timeUs <= 0 || record.timeUs > MAX_TIME_US) return "a GenAI message with no valid time";
  const messages = details ? [...(genAiInputMessages(record.attributes) ?? []), ...(genAiOutputMessages(record.attributes) ?? [])] : eventMessagesOf(record);
  if (!messages.some(said)) {
    return "a GenAI message with no content (is content capture on? OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true)";
  }
  return null;
}

const said = (message: ChatMessage) => Boolean(message.content) || Boolean(message.toolCalls?.length);

function eventMessagesOf(record: DecodedLogRecord): ChatMessage[] {
  const { input, output } = eventMessages([eventOf(record)]);
  return [...(input ?? []), ...(output ?? [])];
}

/** A record as a GenAI span event: its attributes with its body's fields over them. */
function eventOf(record: DecodedLogRecord): DecodedEvent {
  const attributes: Attributes = { ...record.attributes };
  if (record.eventName === DETAILS_EVENT) for (const key of DETAILS_KEYS) delete attributes[key]; // on the span instead
  if (isRecord(record.body)) Object.assign(attributes, record.body);
  else if (record.body != null) attributes.content = record.body;
  return { timeUs: record.timeUs, name: record.eventName, attributes };
}

function spanOf(records: DecodedLogRecord[]): DecodedSpan {
  const { traceId, spanId } = records[0];
  const attributes: Attributes = { [LOG_RECORDS_ATTRIBUTE]: records.length };
  for (const key of DETAILS_KEYS) {
    const values = records.filter((r) => r.eventName === DETAILS_EVENT && r.attributes[key] !== undefined).map((r) => r.attributes[key]);
    if (values.length === 0) continue;
    // Instructions are given once; message lists (an input, then one output per item) add up.
    attributes[key] = key === "gen_ai.system_instructions" ? values[0] : values.flatMap((value) => arrayValue(value) ?? []);
  }
  let startUs = records[0].timeUs;
  let endUs = startUs;
  for (const record of records) {
    startUs = Math.min(startUs, record.timeUs);
    endUs = Math.max(endUs, record.timeUs);
  }
  return {
    traceId, spanId: childId(records), parentSpanId: spanId, name: LOG_RECORDS_SPAN_NAME, kind: SPAN_KIND_INTERNAL, startUs, endUs,
    attributes, events: records.map(eventOf), status: { code: 0, message: "" },
  };
}

/** The same records (a retried export) give the same id; 8 bytes of a SHA-256, never all zero. */
function childId(records: DecodedLogRecord[]): string {
  const hash = createHash("sha256");
  hash.update(`${records[0].traceId}/${records[0].spanId}`);
  for (const r of records) hash.update(`\u0000${JSON.stringify([r.eventName, r.timeUs, r.attributes, r.body])}`);
  const id = hash.digest("hex").slice(0, 16);
  return id === "0000000000000000" ? "0000000000000001" : id;
}

/** Whether a stored span was made of log records by normalizeLogs. */
export function isLogRecordSpan(span: Pick<DecodedSpan, "attributes">): boolean {
  return isRecord(span.attributes) && span.attributes[LOG_RECORDS_ATTRIBUTE] !== undefined;
}

/**
 * The messages of one call whose records came in several exports (several log-record spans of
 * one span, in the order they started), read as one: its input, then its output. A record that
 * an earlier span already holds (an export retried with other records beside it) counts once.
 */
export function logRecordMessages(spans: Array<Pick<DecodedSpan, "name" | "attributes" | "events">>): { input: ChatMessage[] | null; output: ChatMessage[] | null } {
  const seen = new Set<string>();
  const events: DecodedEvent[] = [];
  const attributes: Attributes = {};
  for (const span of spans) {
    const keys: string[] = [];
    for (const event of Array.isArray(span.events) ? span.events : []) {
      const key = JSON.stringify([event.name, event.timeUs, event.attributes]);
      if (seen.has(key)) continue;
      keys.push(key);
      events.push(event);
    }
    for (const key of keys) seen.add(key);
    const own: Attributes = isRecord(span.attributes) ? span.attributes : {};
    for (const key of DETAILS_KEYS) {
      if (own[key] === undefined) continue;
      if (key === "gen_ai.system_instructions") attributes[key] ??= own[key];
      else attributes[key] = [...((attributes[key] as unknown[] | undefined) ?? []), ...(arrayValue(own[key]) ?? [])];
    }
  }
  return readStoredMessages({ name: LOG_RECORDS_SPAN_NAME, attributes, events });
}
