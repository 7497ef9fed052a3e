// The conformance suite's data: realistic normalized spans of a chat app (a root CHAIN span per
// turn with the question and answer, an LLM call with tokens, cost and messages, now and then a
// tool call, some failing), from users with skewed session counts, and the order they are written
// in: shuffled into batches, every batch twice, a span repeated inside a batch, an old batch
// retried at the end, and late roots (a trace's root arriving last and naming another session and
// user than its children did). Deterministic for a seed.
import type { ChatMessage, SpanRecord, Tokens } from "../../src/store/records.ts";

export const MS = 1000;
export const MIN = 60_000_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** The fixture's first session starts after this (µs; a Monday 08:00 UTC). */
export const T0 = Date.UTC(2026, 0, 5, 8) * MS;

/** A small deterministic random source (mulberry32); support.ts has one too, but importing it loads the whole server. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words the search checks look for: common ones in many turns, rare ones in one. */
export const WORDS = {
  common: "invoice",
  rare: "zeppelin",
  /** Said as this phrase in one turn, and as both words apart in another. */
  phrase: "blue whale",
} as const;

export const USERS = {
  heavy: "u-heavy",
  mid: "u-mid",
  light: "u-light",
  /** LIKE's wildcards in an id: a search for "_" or "%" must take them literally. */
  odd: "u_odd%1",
  /** Named only by children whose late root names another user: no trace is theirs in the end. */
  ghost: "u-ghost",
} as const;

export interface PlannedSession {
  sessionId: string;
  /** The user of each turn. */
  users: Array<string | null>;
  startUs: number;
  gapUs: number;
  tags: string[];
  metadata: Record<string, unknown>;
  /** Turn numbers (0-based) whose tool call fails. */
  failing: number[];
  model: string;
  /** Questions, one per turn, overriding the generated ones. */
  questions?: Record<number, string>;
}

export interface Fixture {
  project: string;
  sessions: PlannedSession[];
  /** Every distinct span. */
  spans: SpanRecord[];
  /** The writes, in order: the same spans, shuffled, batched, with duplicates. */
  batches: SpanRecord[][];
  /** The late-root traces: where their children said they belong, and where their root says. */
  lateRoots: Array<{ traceId: string; childSession: string; childUser: string; rootSession: string; rootUser: string }>;
  /** Traces outside any session: one of the heavy user's, one of nobody's. */
  loneTraces: string[];
}

const hex = (random: () => number, bytes: number) =>
  Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, "0")).join("");

const RESOURCE = { "service.name": "shop-assistant", "telemetry.sdk.language": "python" };

/** The sessions: who, when, how many turns. Session ids sort in no particular relation to time. */
function planSessions(random: () => number): PlannedSession[] {
  const plans: PlannedSession[] = [];
  const add = (users: Array<string | null>, extra: Partial<PlannedSession> = {}) => {
    const n = plans.length;
    plans.push({
      sessionId: `s-${hex(random, 3)}-${String(n).padStart(2, "0")}`,
      users,
      // Spread over five days, each at its own minute (no two sessions start together).
      startUs: T0 + Math.floor(random() * 5 * 24) * HOUR + (n * 2 + 1) * MIN,
      gapUs: (3 + Math.floor(random() * 6)) * MIN,
      tags: random() < 0.8 ? ["prod"] : ["prod", "web"],
      metadata: { plan: random() < 0.7 ? "free" : "pro", region: random() < 0.5 ? "eu" : "us" },
      failing: random() < 0.3 ? [Math.floor(random() * users.length)] : [],
      model: random() < 0.85 ? "gpt-4o-mini" : "gpt-4o",
      ...extra,
    });
  };
  const turns = (user: string | null, n: number) => Array.from({ length: n }, () => user);
  for (let i = 0; i < 13; i++) add(turns(USERS.heavy, 1 + Math.floor(random() * 4)));
  for (let i = 0; i < 4; i++) add(turns(USERS.mid, 1 + Math.floor(random() * 3)));
  add(turns(USERS.light, 2));
  add(turns(USERS.odd, 1));
  add(turns(null, 2), { tags: [] }); // an anonymous visitor, untagged
  // Two users in one conversation, within one hour (who joined when is the same to every count).
  add([USERS.mid, USERS.light, USERS.mid], { gapUs: 4 * MIN, tags: ["prod", "support"] });
  // A long session: turns two hours apart, so it overlaps windows that start after it did.
  add(turns(USERS.mid, 5), { gapUs: 2 * HOUR + 7 * MIN, startUs: T0 + 30 * HOUR + 30 * MIN, failing: [3] });
  // Rare values: one session each.
  add(turns(USERS.heavy, 2), { tags: ["prod", "beta"], metadata: { plan: "pro", region: "eu", cohort: "rare-7", tier: 3 }, model: "claude-sonnet" });
  add(turns(USERS.light, 1), { questions: { 0: `Is there a ${WORDS.rare} emoji in the Zürich catalogue? It is 24°C here` } });
  add(turns(USERS.heavy, 1), { questions: { 0: `I saw a ${WORDS.phrase} on the label of my parcel` } });
  add(turns(USERS.mid, 1), { questions: { 0: "The whale on the box was printed in blue ink" } });
  return plans;
}

const QUESTIONS = [
  `Where is the ${WORDS.common} for order NUM?`,
  "Can I change the delivery address of order NUM?",
  `Please resend the ${WORDS.common} of order NUM by email`,
  "Order NUM arrived damaged, what now?",
  "How long does a refund take?",
];

function tokensOf(random: () => number): Tokens {
  const prompt = 100 + Math.floor(random() * 900);
  const completion = 20 + Math.floor(random() * 300);
  const cacheRead = random() < 0.5 ? Math.floor(prompt / 2) : 0;
  const reasoning = random() < 0.3 ? Math.floor(completion / 3) : 0;
  return { prompt, completion, total: prompt + completion, cacheRead, cacheWrite: random() < 0.2 ? 64 : 0, reasoning };
}

/** A cost that adds up exactly in binary floating point, whatever the order (multiples of 2^-16). */
const costOf = (t: Tokens) => (t.prompt + 4 * t.completion) / 65536;

interface TurnSpec {
  traceId: string;
  startUs: number;
  sessionId: string | null;
  userId: string | null;
  question: string;
  answer: string;
  history: ChatMessage[];
  tags: string[];
  metadata: Record<string, unknown>;
  model: string;
  failing: boolean;
  withTool: boolean;
  /** Children name this session and user instead (a late root overrides them). */
  childSession?: string;
  childUser?: string;
}

function turnSpans(project: string, random: () => number, t: TurnSpec): SpanRecord[] {
  const rootId = hex(random, 8);
  const base = {
    project, traceId: t.traceId, statusMessage: null, inputMessages: null, outputMessages: null, model: null,
    tokens: { prompt: 0, completion: 0, total: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, cost: 0,
    resource: RESOURCE, events: [],
  };
  const childIds = { sessionId: t.childSession ?? t.sessionId, userId: t.childUser ?? t.userId };
  const ids = { "session.id": childIds.sessionId, "user.id": childIds.userId };
  const root: SpanRecord = {
    ...base, spanId: rootId, parentSpanId: null, name: "chat_turn", kind: 1, spanKind: "CHAIN",
    startUs: t.startUs, endUs: t.startUs + 4000 * MS + Math.floor(random() * 1000) * MS, statusCode: 1,
    sessionId: t.sessionId, userId: t.userId, input: t.question, output: t.answer, tags: t.tags, metadata: t.metadata,
    attributes: { "openinference.span.kind": "CHAIN", "session.id": t.sessionId, "user.id": t.userId, "input.value": t.question, "output.value": t.answer },
  };
  const tokens = tokensOf(random);
  const llm: SpanRecord = {
    ...base, ...childIds, spanId: hex(random, 8), parentSpanId: rootId, name: "ChatCompletion", kind: 3, spanKind: "LLM",
    startUs: t.startUs + 150 * MS, endUs: t.startUs + 2500 * MS, statusCode: 0, model: t.model, input: null, output: null,
    inputMessages: [{ role: "system", content: "You are the shop's assistant." }, ...t.history, { role: "user", content: t.question }],
    outputMessages: [{ role: "assistant", content: t.answer }],
    tokens, cost: costOf(tokens), tags: t.tags, metadata: t.metadata,
    attributes: { "openinference.span.kind": "LLM", "llm.model_name": t.model, "llm.token_count.prompt": tokens.prompt, ...ids },
  };
  const spans = [root, llm];
  if (t.withTool || t.failing) {
    spans.push({
      ...base, ...childIds, spanId: hex(random, 8), parentSpanId: rootId, name: "lookup_order", kind: 1, spanKind: "TOOL",
      startUs: t.startUs + 2600 * MS, endUs: t.startUs + 3100 * MS, statusCode: t.failing ? 2 : 1,
      statusMessage: t.failing ? "order service timed out" : null, input: null, output: null, tags: t.tags, metadata: t.metadata,
      attributes: { "openinference.span.kind": "TOOL", "tool.name": "lookup_order", ...ids },
      events: t.failing ? [{ timeUs: t.startUs + 3100 * MS, name: "exception", attributes: { "exception.type": "TimeoutError", "exception.message": "order service timed out" } }] : [],
    });
  }
  return spans;
}

/** The spans of the project's sessions, in the order `seed` writes them. */
export function makeFixture(project: string, seed = 1, layoutSeed = 42): Fixture {
  // The data depends on layoutSeed only, the write order on seed: two seeds, same spans.
  const random = rng(layoutSeed);
  const sessions = planSessions(random);
  const spans: SpanRecord[] = [];
  const turnsOf = new Map<string, TurnSpec[]>();
  for (const plan of sessions) {
    const history: ChatMessage[] = [];
    const turns: TurnSpec[] = [];
    plan.users.forEach((userId, i) => {
      const order = 1000 + Math.floor(random() * 9000);
      const question = plan.questions?.[i] ?? QUESTIONS[Math.floor(random() * QUESTIONS.length)].replace("NUM", String(order));
      const answer = `Order ${order}: I have looked into it and sent you the details.`;
      const turn: TurnSpec = {
        traceId: hex(random, 16), startUs: plan.startUs + i * plan.gapUs, sessionId: plan.sessionId, userId, question, answer,
        history: [...history], tags: plan.tags, metadata: plan.metadata, model: plan.model, failing: plan.failing.includes(i), withTool: random() < 0.4,
      };
      history.push({ role: "user", content: question }, { role: "assistant", content: answer });
      turns.push(turn);
    });
    turnsOf.set(plan.sessionId, turns);
  }
  // Late roots: a turn whose children say another session and user. One moves a turn out of
  // another session of a different user; one names a session that exists only through it.
  const byUser = (user: string) => sessions.filter((s) => s.users.every((u) => u === user));
  const moveTo = byUser(USERS.heavy)[0];
  const moveFrom = byUser(USERS.mid)[0];
  const ghostTo = byUser(USERS.light)[0];
  const lateRoots = [
    { traceId: turnsOf.get(moveTo.sessionId)!.at(-1)!.traceId, childSession: moveFrom.sessionId, childUser: USERS.mid, rootSession: moveTo.sessionId, rootUser: USERS.heavy },
    { traceId: turnsOf.get(ghostTo.sessionId)!.at(-1)!.traceId, childSession: "s-ghost", childUser: USERS.ghost, rootSession: ghostTo.sessionId, rootUser: USERS.light },
  ];
  for (const late of lateRoots) {
    const turn = turnsOf.get(late.rootSession)!.at(-1)!;
    turn.childSession = late.childSession;
    turn.childUser = late.childUser;
  }
  for (const turns of turnsOf.values()) for (const turn of turns) spans.push(...turnSpans(project, random, turn));
  // Outside any session: a background job of the heavy user, and a health check of nobody's.
  const lone = [hex(random, 16), hex(random, 16)];
  const loneTurn = (traceId: string, userId: string | null, startUs: number, question: string): TurnSpec => ({
    traceId, startUs, sessionId: null, userId, question, answer: "done", history: [], tags: [], metadata: {}, model: "gpt-4o-mini", failing: false, withTool: false,
  });
  spans.push(...turnSpans(project, random, loneTurn(lone[0], USERS.heavy, T0 + 50 * HOUR, "Summarize the week's orders")));
  spans.push(...turnSpans(project, random, loneTurn(lone[1], null, T0 + 51 * HOUR, "health check")));

  return { project, sessions, spans, batches: writePlan(spans, lateRoots.map((l) => l.traceId), rng(seed)), lateRoots, loneTraces: lone };
}

/** Shuffled batches of 3-20 spans, each sent twice, the late roots last, then an old batch again. */
function writePlan(spans: SpanRecord[], lateTraces: string[], random: () => number): SpanRecord[][] {
  const isLateRoot = (s: SpanRecord) => s.parentSpanId == null && lateTraces.includes(s.traceId);
  const shuffled = spans.filter((s) => !isLateRoot(s)).map((s) => [random(), s] as const).sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  const batches: SpanRecord[][] = [];
  for (let i = 0; i < shuffled.length; ) {
    const size = 3 + Math.floor(random() * 18);
    batches.push(shuffled.slice(i, i + size));
    i += size;
  }
  batches[1].push(batches[1][0]); // the same span twice in one batch
  batches.push(spans.filter(isLateRoot));
  const plan = batches.flatMap((batch) => [batch, batch]);
  plan.push(batches[Math.floor(batches.length / 2)]); // a retry that arrives late
  return plan;
}

/** Writes the fixture as planned. */
export async function writeFixture(store: { writeSpans(spans: SpanRecord[]): Promise<void> }, fixture: Fixture): Promise<void> {
  for (const batch of fixture.batches) await store.writeSpans(batch);
}
