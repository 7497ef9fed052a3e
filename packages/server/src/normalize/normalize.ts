// The normalizer: turns decoded OTLP spans of any convention into Threadline span records,
// rejecting (with a reason) only the spans that cannot be stored.
import type { Attributes, DecodedRequest, DecodedSpan } from "../otlp/types.ts";
import type { SpanRecord } from "../store/records.ts";
import { firstString } from "./attributes.ts";
import type { PriceTable } from "./prices.ts";
import { readSemantics } from "./semantics.ts";

export const DEFAULT_PROJECT = "default";

const PROJECT_KEYS = ["openinference.project.name"];

export interface NormalizeOptions {
  /** The `x-project-name` header, used when the resource names no project. */
  projectHeader?: string | null;
  /**
   * The one project the export's key writes to: a resource that names no project goes there, one
   * that names another is refused with its spans.
   */
  keyProject?: string | null;
  prices: PriceTable;
}

export interface NormalizeResult {
  spans: SpanRecord[];
  rejectedCount: number;
  /** Why spans were rejected, one line per distinct reason (the first few). */
  rejections: string[];
}

const MAX_REJECTION_LINES = 5;

export function normalizeRequest(request: DecodedRequest, options: NormalizeOptions): NormalizeResult {
  const spans: SpanRecord[] = [];
  const rejections: string[] = [];
  let rejectedCount = 0;
  request.resourceSpans.forEach((resourceSpans, r) => {
    const resource = resourceSpans.resource;
    const named = firstString(resource, PROJECT_KEYS) ?? options.projectHeader?.trim();
    const project = options.keyProject ?? named ?? DEFAULT_PROJECT;
    const foreign = options.keyProject != null && named != null && named !== options.keyProject;
    resourceSpans.scopeSpans.forEach((scopeSpans, s) => {
      scopeSpans.spans.forEach((span, i) => {
        const problem = foreign ? `the resource names project "${named}"; this key writes to "${options.keyProject}"` : invalidReason(span);
        if (problem) {
          rejectedCount++;
          if (rejections.length < MAX_REJECTION_LINES) {
            rejections.push(`resourceSpans[${r}].scopeSpans[${s}].spans[${i}]: ${problem}`);
          }
          return;
        }
        spans.push(normalizeSpan(span, resource, project || DEFAULT_PROJECT, options.prices, scopeSpans.scope?.name ?? ""));
      });
    });
  });
  return { spans, rejectedCount, rejections };
}

/**
 * The latest time a span may carry: past 2^53 µs (year 2255) a time is no longer an exact
 * number, and SQLite hands it back as one that node:sqlite cannot read, failing every page.
 */
export const MAX_TIME_US = Date.UTC(2200, 0, 1) * 1000;

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function invalidReason(span: DecodedSpan): string | null {
  if (!TRACE_ID.test(span.traceId) || /^0+$/.test(span.traceId)) {
    return `invalid trace id "${span.traceId}" (want 16 non-zero bytes)`;
  }
  if (!SPAN_ID.test(span.spanId) || /^0+$/.test(span.spanId)) {
    return `invalid span id "${span.spanId}" (want 8 non-zero bytes)`;
  }
  if (span.parentSpanId && !SPAN_ID.test(span.parentSpanId)) {
    return `invalid parent span id "${span.parentSpanId}" (want 8 bytes or none)`;
  }
  if (!Number.isFinite(span.startUs) || span.startUs <= 0) return "missing or invalid start time";
  if (span.startUs > MAX_TIME_US) return `start time ${span.startUs} µs is after ${new Date(MAX_TIME_US / 1000).toISOString()}`;
  if (span.endUs > MAX_TIME_US) return `end time ${span.endUs} µs is after ${new Date(MAX_TIME_US / 1000).toISOString()}`;
  return null;
}

/** OTLP's SpanKind (0 unspecified .. 5 consumer) and StatusCode (0 unset, 1 ok, 2 error). */
const MAX_SPAN_KIND = 5;
const MAX_STATUS_CODE = 2;
/** An enum value OTLP does not define reads as unspecified (0), as protobuf treats unknown values. */
const knownEnum = (value: number, max: number) => (Number.isInteger(value) && value >= 0 && value <= max ? value : 0);

function normalizeSpan(span: DecodedSpan, resource: Attributes, project: string, prices: PriceTable, scopeName: string): SpanRecord {
  const endUs = Number.isFinite(span.endUs) && span.endUs >= span.startUs ? span.endUs : span.startUs;
  return {
    project,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || null,
    name: span.name,
    kind: knownEnum(span.kind, MAX_SPAN_KIND),
    startUs: span.startUs,
    endUs,
    statusCode: knownEnum(span.status.code, MAX_STATUS_CODE),
    statusMessage: span.status.message || null,
    ...readSemantics(span, resource, prices, scopeName),
    attributes: span.attributes,
    resource,
    // An event's time out of range is the span's start: it must never fail a read.
    events: span.events.map((e) => (Number.isFinite(e.timeUs) && e.timeUs > 0 && e.timeUs <= MAX_TIME_US ? e : { ...e, timeUs: span.startUs })),
  };
}
