// Maps between the store's records and SQLite rows (snake_case columns, JSON text for lists).
import type { SQLInputValue } from "node:sqlite";
import zlib from "node:zlib";
import { endsSession, SESSION_END_SPAN, type ProjectRollup, type SessionRollup, type SpanRecord, type Tokens, type TraceRollup, type UserRollup } from "../records.ts";
import { metadataPairs, type RollupSpan, type TracePicks } from "../rollup.ts";
import { searchText } from "../search-text.ts";
import { SESSION_STATES } from "./schema.ts";

export type Row = Record<string, unknown>;

const text = (value: unknown): string | null => (value == null ? null : String(value));
const json = <T>(value: unknown, fallback: T): T => (value == null ? fallback : (JSON.parse(value as string) as T));

/** The span table's columns, in the order of PreparedSpan.row. */
export const SPAN_COLUMNS = [
  "span_key", "trace_key", "span_id", "parent_span_id", "name", "kind", "span_kind", "start_us", "end_us", "status_code",
  "model", "prompt_tokens", "completion_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens",
  "reasoning_tokens", "cost", "resource_id", "body_at", "body_len", "block_index",
];

export const TRACE_COLUMNS = [
  "project", "trace_id", "session_id", "user_id", "root_span_name", "start_us", "end_us", "span_count",
  "error_count", "llm_count", "status_code", "input", "output", "prompt_tokens", "completion_tokens", "total_tokens",
  "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost", "tags", "models", "metadata", "picks",
];


function tokenValues(t: Tokens, cost: number): SQLInputValue[] {
  return [t.prompt, t.completion, t.total, t.cacheRead, t.cacheWrite, t.reasoning, cost];
}

export function tokens(row: Row): Tokens {
  return {
    prompt: row.prompt_tokens as number,
    completion: row.completion_tokens as number,
    total: row.total_tokens as number,
    cacheRead: row.cache_read_tokens as number,
    cacheWrite: row.cache_write_tokens as number,
    reasoning: row.reasoning_tokens as number,
  };
}

/**
 * A span made ready for the writer: its row (the writer fills in the keys, resource and block) and
 * the few fields of its trace's rollup that the row lacks. The rest of the span travels in its
 * trace's compressed block. Preparing is pure CPU work, done before the writer's thread; what
 * crosses to it is kept small, since copying it there is a cost of its own.
 */
export interface PreparedSpan {
  row: SQLInputValue[];
  /** Its resource, as an index into its trace's `resources` (a trace can cross services). */
  resource: number;
  extra: Pick<RollupSpan, "sessionId" | "userId" | "input" | "output" | "tags" | "metadata">;
}

/** The spans of one trace in one write. */
export interface PreparedTrace {
  project: string;
  traceId: string;
  spans: PreparedSpan[];
  /** The resources' attributes as JSON. */
  resources: string[];
  /** Their bodies, compressed together. */
  block: Uint8Array;
  /** Their words for search, indexed once for the trace's write (search-text.ts). */
  text: string;
  /** A span of them ends the session (`threadline.session.end`, set by the SDK's endSession). */
  ends: boolean;
  /**
   * The trace is only endSession()'s marker (called outside any span): it ends its session and is
   * not kept, so that it is not counted as a turn.
   */
  marker: boolean;
}

export const KEY_INDEX = 0;
export const TRACE_KEY_INDEX = 1;
export const RESOURCE_INDEX = SPAN_COLUMNS.indexOf("resource_id");
export const BODY_AT_INDEX = SPAN_COLUMNS.indexOf("body_at");

type Body = [string | null, string | null, string | null, string | null, string | null, string[], Record<string, unknown>, SpanRecord["attributes"], SpanRecord["events"]];

/**
 * zstd at level 1, one block per trace and write: measured on chat traffic, 3.6x smaller than the
 * JSON text at about 12 us a span; a block per span cost three times the CPU (each call has a
 * fixed cost) for less gain, and a higher level bought 1%.
 */
const ZSTD = { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } };

/** Serializes resources, each object once: the spans of one request share their resource objects. */
export function resourceSerializer(): (span: SpanRecord) => string {
  const known = new WeakMap<object, string>();
  return (span) => {
    let json = known.get(span.resource);
    if (json === undefined) known.set(span.resource, (json = JSON.stringify(span.resource)));
    return json;
  };
}

/** Groups the spans by trace (first-seen order) and prepares each group. */
export function prepareSpans(spans: SpanRecord[], resourceJson: (span: SpanRecord) => string = (s) => JSON.stringify(s.resource)): PreparedTrace[] {
  const groups = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    const key = `${span.project}\u0000${span.traceId}`;
    const group = groups.get(key);
    if (group) group.push(span);
    else groups.set(key, [span]);
  }
  return [...groups.values()].map((group) => prepareTrace(group, resourceJson));
}

function prepareTrace(group: SpanRecord[], resourceJson: (span: SpanRecord) => string): PreparedTrace {
  const bodies: Body[] = [];
  const resources: string[] = [];
  const spans = group.map((s, index): PreparedSpan => {
    bodies.push([s.input, s.output, s.statusMessage, s.sessionId, s.userId, s.tags, s.metadata, s.attributes, s.events]);
    const resource = resourceJson(s);
    let at = resources.indexOf(resource);
    if (at < 0) at = resources.push(resource) - 1;
    return {
      row: [
        null, null, s.spanId, s.parentSpanId, s.name, s.kind, s.spanKind, s.startUs, s.endUs, s.statusCode, s.model,
        ...tokenValues(s.tokens, s.cost), null, null, null, index,
      ],
      resource: at,
      extra: { sessionId: s.sessionId, userId: s.userId, input: s.input, output: s.output, tags: s.tags, metadata: metadataPairs(s.metadata) },
    };
  });
  const block = zlib.zstdCompressSync(JSON.stringify(bodies), ZSTD);
  for (const span of spans) span.row[BODY_AT_INDEX + 1] = block.length;
  const ends = group.some(endsSession);
  const only = group.length === 1 ? group[0] : null;
  const marker = ends && only !== null && only.name === SESSION_END_SPAN && only.parentSpanId == null && only.sessionId != null && !only.input && !only.output;
  return { project: group[0].project, traceId: group[0].traceId, spans, resources, block, text: searchText(group), ends, marker };
}

/** What the trace's rollup needs of a prepared span (rollup.ts). */
export function rollupOf(trace: PreparedTrace, { row, extra }: PreparedSpan): RollupSpan {
  return {
    ...extra, project: trace.project, traceId: trace.traceId, spanId: row[2] as string, parentSpanId: row[3] as string | null,
    name: row[4] as string, spanKind: row[6] as string | null, startUs: row[7] as number, endUs: row[8] as number,
    statusCode: row[9] as number, model: row[10] as string | null,
    tokens: {
      prompt: row[11] as number, completion: row[12] as number, total: row[13] as number, cacheRead: row[14] as number,
      cacheWrite: row[15] as number, reasoning: row[16] as number,
    },
    cost: row[17] as number,
  };
}

/** The bodies of a block, by block_index. */
export function readBlock(body: Uint8Array): Body[] {
  return JSON.parse(zlib.zstdDecompressSync(body).toString("utf8")) as Body[];
}

const PICKS = ["name", "session", "user", "input", "output"] as const;
type StoredChoice = [number, number, number] | null;

/**
 * A trace's picks as compact JSON: [root status, span ids, then per pick [root, us, span id's index]].
 * Most picks name the root span, so its id is written once (a third of the size as plain JSON).
 */
export function encodePicks(picks: TracePicks): string {
  const ids: string[] = [];
  const choices = PICKS.map((name): StoredChoice => {
    const c = picks[name];
    if (!c) return null;
    let at = ids.indexOf(c.spanId);
    if (at < 0) at = ids.push(c.spanId) - 1;
    return [c.root ? 1 : 0, c.us, at];
  });
  return JSON.stringify([picks.rootStatus, ids, ...choices]);
}

export function decodePicks(text: string): TracePicks {
  const [rootStatus, ids, ...choices] = JSON.parse(text) as [number | null, string[], ...StoredChoice[]];
  const picks = { rootStatus } as TracePicks;
  PICKS.forEach((name, i) => {
    const c = choices[i];
    picks[name] = c ? { root: c[0] === 1, us: c[1], spanId: ids[c[2]] } : null;
  });
  return picks;
}

export function traceValues(t: TraceRollup, picks: TracePicks): SQLInputValue[] {
  return [
    t.project, t.traceId, t.sessionId, t.userId, t.rootSpanName, t.startUs, t.endUs, t.spanCount,
    t.errorCount, t.llmCount, t.statusCode, t.input, t.output, ...tokenValues(t.tokens, t.cost),
    JSON.stringify(t.tags), JSON.stringify(t.models), JSON.stringify(t.metadata), encodePicks(picks),
  ];
}

export function toProject(row: Row): ProjectRollup {
  return {
    name: row.name as string,
    sessionCount: row.session_count as number,
    traceCount: row.trace_count as number,
    userCount: row.user_count as number,
    spanCount: row.span_count as number,
    lastActivityUs: (row.last_activity_us as number | null) ?? null,
  };
}

export function toSession(row: Row): SessionRollup {
  return {
    project: row.project as string,
    sessionId: row.session_id as string,
    userIds: json(row.user_ids, []),
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    traceCount: row.trace_count as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    llmCount: row.llm_count as number,
    tokens: tokens(row),
    cost: row.cost as number,
    firstInput: text(row.first_input),
    lastOutput: text(row.last_output),
    tags: json(row.tags, []),
    models: json(row.models, []),
    state: SESSION_STATES[(row.state as number | undefined) ?? 0],
  };
}

export function toTrace(row: Row): TraceRollup {
  return {
    project: row.project as string,
    traceId: row.trace_id as string,
    sessionId: text(row.session_id),
    userId: text(row.user_id),
    rootSpanName: text(row.root_span_name),
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    llmCount: row.llm_count as number,
    statusCode: row.status_code as number,
    input: text(row.input),
    output: text(row.output),
    tokens: tokens(row),
    cost: row.cost as number,
    tags: json(row.tags, []),
    models: json(row.models, []),
    metadata: json(row.metadata, []),
  };
}

export function toUser(row: Row): UserRollup {
  return {
    project: row.project as string,
    userId: row.user_id as string,
    firstSeenUs: row.first_seen_us as number,
    lastSeenUs: row.last_seen_us as number,
    sessionCount: row.session_count as number,
    traceCount: row.trace_count as number,
    spanCount: row.span_count as number,
    errorCount: row.error_count as number,
    tokens: tokens(row),
    cost: row.cost as number,
  };
}

/** A span from its row (with the trace's project and id, and its resource joined) and its body. */
export function toSpan(row: Row, body: Body): SpanRecord {
  const [input, output, statusMessage, sessionId, userId, tags, metadata, attributes, events] = body;
  return {
    project: row.project as string,
    traceId: row.trace_id as string,
    spanId: row.span_id as string,
    parentSpanId: text(row.parent_span_id),
    name: row.name as string,
    kind: row.kind as number,
    spanKind: text(row.span_kind),
    startUs: row.start_us as number,
    endUs: row.end_us as number,
    statusCode: row.status_code as number,
    statusMessage,
    sessionId,
    userId,
    model: text(row.model),
    input,
    output,
    inputMessages: null,
    outputMessages: null,
    tokens: tokens(row),
    cost: row.cost as number,
    tags,
    metadata,
    attributes,
    events,
    resource: json(row.resource, {}),
  };
}
