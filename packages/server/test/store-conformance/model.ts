// What the stores should answer, computed from the fixture's spans directly, the obvious way
// (group, sum, sort), without the store's rollup code: a trace belongs to the session and user its
// root names; a session adds up its traces; a user the traces that name them.
import type { ProjectRollup, SessionRollup, SpanRecord, Tokens, TraceRollup, UserRollup } from "../../src/store/records.ts";
import type { SessionFilter, StatsRecord } from "../../src/store/store.ts";
import { DAY, HOUR } from "./fixture.ts";
import type { SessionSortKey, UserSortKey } from "../../src/api/types.ts";

const ZERO: Tokens = { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
const add = (a: Tokens, b: Tokens): Tokens => ({
  prompt: a.prompt + b.prompt, completion: a.completion + b.completion, total: a.total + b.total,
  cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite, reasoning: a.reasoning + b.reasoning,
});
const union = <T>(lists: T[][]) => [...new Set(lists.flat())];
const metadataText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export interface Model {
  traces: Map<string, TraceRollup>;
  /** Each trace's spans in time order. */
  spansOf: Map<string, SpanRecord[]>;
  sessions: Map<string, SessionRollup>;
  users: Map<string, UserRollup>;
  project: ProjectRollup;
  /** The text said in each trace (inputs, outputs and messages of its spans), lowercased. */
  textOf: Map<string, string>;
}

export function model(project: string, spans: SpanRecord[], states: Map<string, SessionRollup["state"]> = new Map()): Model {
  const spansOf = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    if (span.project !== project) continue;
    const list = spansOf.get(span.traceId) ?? [];
    if (!list.some((s) => s.spanId === span.spanId)) list.push(span);
    spansOf.set(span.traceId, list);
  }
  for (const list of spansOf.values()) list.sort((a, b) => a.startUs - b.startUs || (a.spanId < b.spanId ? -1 : 1));

  const traces = new Map<string, TraceRollup>();
  const textOf = new Map<string, string>();
  for (const [traceId, list] of spansOf) {
    const root = list.find((s) => s.parentSpanId == null) ?? null;
    // The fixture's roots start first and name a session and user whenever the trace has one.
    const errors = list.filter((s) => s.statusCode === 2).length;
    traces.set(traceId, {
      project, traceId, sessionId: root?.sessionId ?? list.find((s) => s.sessionId)?.sessionId ?? null,
      userId: root?.userId ?? list.find((s) => s.userId)?.userId ?? null, rootSpanName: root?.name ?? list[0].name,
      startUs: Math.min(...list.map((s) => s.startUs)), endUs: Math.max(...list.map((s) => s.endUs)),
      spanCount: list.length, errorCount: errors, llmCount: list.filter((s) => s.spanKind === "LLM").length,
      statusCode: errors > 0 ? 2 : (root?.statusCode ?? 0), input: root?.input ?? null, output: root?.output ?? null,
      tokens: list.reduce((t, s) => add(t, s.tokens), ZERO), cost: list.reduce((c, s) => c + s.cost, 0),
      tags: union(list.map((s) => s.tags)), models: union(list.map((s) => (s.model ? [s.model] : []))),
      metadata: [...new Map(list.flatMap((s) => Object.entries(s.metadata)).map(([k, v]) => [`${k}=${metadataText(v)}`, [k, metadataText(v)] as [string, string]])).values()],
    });
    // Of the messages, those after the last assistant one: the rest were said in earlier turns
    // (docs/architecture.md, "Search").
    const fresh = (messages: SpanRecord["inputMessages"]) => (messages ?? []).slice((messages ?? []).findLastIndex((m) => m.role === "assistant") + 1);
    const said = list.flatMap((s) => [s.input, s.output, ...fresh(s.inputMessages).map((m) => m.content), ...(s.outputMessages ?? []).map((m) => m.content)]);
    textOf.set(traceId, said.filter(Boolean).join("\n").toLowerCase());
  }

  const sessions = new Map<string, SessionRollup>();
  const bySession = groupBy([...traces.values()], (t) => t.sessionId);
  for (const [sessionId, list] of bySession) {
    const first = list.reduce((a, b) => (b.startUs < a.startUs ? b : a));
    const last = list.reduce((a, b) => (b.endUs > a.endUs ? b : a));
    sessions.set(sessionId, {
      project, sessionId, userIds: union(list.map((t) => (t.userId ? [t.userId] : []))),
      startUs: first.startUs, endUs: last.endUs, traceCount: list.length, ...totals(list),
      llmCount: list.reduce((n, t) => n + t.llmCount, 0), firstInput: first.input, lastOutput: last.output,
      tags: union(list.map((t) => t.tags)), models: union(list.map((t) => t.models)), state: states.get(sessionId) ?? "open",
    });
  }

  const users = new Map<string, UserRollup>();
  for (const [userId, list] of groupBy([...traces.values()], (t) => t.userId)) {
    users.set(userId, {
      project, userId, firstSeenUs: Math.min(...list.map((t) => t.startUs)), lastSeenUs: Math.max(...list.map((t) => t.endUs)),
      sessionCount: new Set(list.map((t) => t.sessionId).filter((s) => s != null)).size, traceCount: list.length, ...totals(list),
    });
  }
  const all = [...traces.values()];
  return {
    traces, spansOf, sessions, users, textOf,
    project: {
      name: project, sessionCount: sessions.size, traceCount: traces.size, userCount: users.size,
      spanCount: all.reduce((n, t) => n + t.spanCount, 0), lastActivityUs: all.length ? Math.max(...all.map((t) => t.endUs)) : null,
    },
  };
}

function totals(list: TraceRollup[]) {
  return {
    spanCount: list.reduce((n, t) => n + t.spanCount, 0), errorCount: list.reduce((n, t) => n + t.errorCount, 0),
    tokens: list.reduce((sum, t) => add(sum, t.tokens), ZERO), cost: list.reduce((c, t) => c + t.cost, 0),
  };
}

function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k == null) continue;
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

const STATES = ["open", "idle", "closed"];
export const sessionSortValue: Record<SessionSortKey, (s: SessionRollup) => number> = {
  startTime: (s) => s.startUs, endTime: (s) => s.endUs, durationMs: (s) => s.endUs - s.startUs, traceCount: (s) => s.traceCount,
  spanCount: (s) => s.spanCount, errorCount: (s) => s.errorCount, llmCount: (s) => s.llmCount, promptTokens: (s) => s.tokens.prompt,
  completionTokens: (s) => s.tokens.completion, totalTokens: (s) => s.tokens.total, cost: (s) => s.cost, state: (s) => STATES.indexOf(s.state),
};
export const userSortValue: Record<UserSortKey, (u: UserRollup) => number> = {
  firstSeen: (u) => u.firstSeenUs, lastSeen: (u) => u.lastSeenUs, sessionCount: (u) => u.sessionCount, traceCount: (u) => u.traceCount,
  spanCount: (u) => u.spanCount, errorCount: (u) => u.errorCount, promptTokens: (u) => u.tokens.prompt,
  completionTokens: (u) => u.tokens.completion, totalTokens: (u) => u.tokens.total, cost: (u) => u.cost,
};

/** Ids in keyset order: by the value, then the id, both in the same direction. */
export function sortedIds<T>(rows: T[], value: (row: T) => number, id: (row: T) => string, order: "asc" | "desc"): string[] {
  const sign = order === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => sign * (value(a) - value(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0))).map(id);
}

/** Whether the words (and quoted phrases) are all said in one trace's text. */
export function says(text: string, query: string): boolean {
  // Accents folded, as SQLite's FTS (remove_diacritics) folds them.
  const words = (s: string) => s.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const tokens = words(text);
  const has = (phrase: string[]) => tokens.some((_, i) => phrase.every((w, j) => tokens[i + j] === w));
  const pieces = query.split('"');
  const terms = pieces.flatMap((piece, i) => (i % 2 === 1 ? [words(piece)] : words(piece).map((w) => [w])));
  return terms.length > 0 && terms.every((phrase) => phrase.length === 0 || has(phrase));
}

/** The sessions a filter keeps (text, annotations and state as the caller knows them). */
export function filterSessions(
  m: Model,
  filter: SessionFilter,
  extra: { annotationMatch?: (sessionId: string) => boolean } = {},
): SessionRollup[] {
  return [...m.sessions.values()].filter((s) => {
    const traces = [...m.traces.values()].filter((t) => t.sessionId === s.sessionId);
    if (filter.userId != null && !s.userIds.includes(filter.userId)) return false;
    if (filter.fromUs != null && s.endUs < filter.fromUs) return false;
    if (filter.toUs != null && s.startUs > filter.toUs) return false;
    if (filter.tag != null && !s.tags.includes(filter.tag)) return false;
    if (filter.hasErrors != null && (s.errorCount > 0) !== filter.hasErrors) return false;
    if (filter.metadata && !traces.some((t) => t.metadata.some(([k, v]) => k === filter.metadata!.key && v === filter.metadata!.value))) return false;
    if (filter.state && s.state !== filter.state) return false;
    if (filter.text != null && !traces.some((t) => says(m.textOf.get(t.traceId)!, filter.text!))) return false;
    if (filter.annotation && !extra.annotationMatch?.(s.sessionId)) return false;
    return true;
  });
}

const hourOf = (us: number) => Math.floor(us / HOUR) * HOUR;


/**
 * A user's activity: their traces by the hour each started; their sessions by the hour of their
 * first turn in it; hourly for up to three days between the first and last hour, daily past that.
 */
export function expectedSeries(mm: Model, userId: string): { bucketUs: number; series: StatsRecord["series"] } {
  const traces = [...mm.traces.values()].filter((t) => t.userId === userId);
  const firstTurns = new Map<string, number>();
  for (const t of traces) if (t.sessionId) firstTurns.set(t.sessionId, Math.min(firstTurns.get(t.sessionId) ?? Infinity, t.startUs));
  const hours = [...traces.map((t) => hourOf(t.startUs)), ...[...firstTurns.values()].map(hourOf)].sort((a, b) => a - b);
  if (hours.length === 0) return { bucketUs: HOUR, series: [] };
  const bucketUs = hours.at(-1)! - hours[0] <= 3 * DAY ? HOUR : DAY;
  const bucket = (us: number) => Math.floor(hourOf(us) / bucketUs) * bucketUs;
  const points = new Map<number, StatsRecord["series"][number]>();
  const at = (us: number) => {
    const b = bucket(us);
    if (!points.has(b)) points.set(b, { startUs: b, sessionCount: 0, traceCount: 0, tokens: 0, cost: 0, errorCount: 0 });
    return points.get(b)!;
  };
  for (const t of traces) {
    const p = at(t.startUs);
    p.traceCount++;
    p.tokens += t.tokens.total;
    p.cost += t.cost;
    if (t.errorCount > 0) p.errorCount++;
  }
  for (const us of firstTurns.values()) at(us).sessionCount++;
  return { bucketUs, series: [...points.values()].sort((a, b) => a.startUs - b.startUs) };
}
