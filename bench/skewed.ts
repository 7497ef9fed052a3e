// Skewed chat traffic, shaped like a real product's (GitHub issue "Real traffic at 5M spans"),
// deterministic by seed and generated lazily, so 5M spans never sit in memory at once.
//
// - Users: a pool scaled with the spans target (~20k at 1M spans, ~80k at 5M). Every pool user
//   has one session; the rest of the sessions go to users drawn from a Zipf distribution
//   (exponent 1.1), so a few users have thousands of sessions and most have 1-3.
// - Sessions: 98% have 1-8 turns (fewer more likely), 2% 20-300 (log-uniform); and exactly one
//   session of `hugeTurns` (20,000 by default) turns, spread through the whole window and
//   interleaved with the other traffic, belonging to the heaviest user.
// - Text: a vocabulary of the ~300 real words of words.ts and 3,000 deterministic pseudo-words,
//   drawn with Zipf word frequencies (exponent 1); COMMON_WORD stays common. Rare words (MARKERS,
//   about 1 turn in 5,000 each), a word that appears only in the huge session (HUGE_WORD, in 30%
//   of its turns), and a three-word PHRASE in about 1 turn in 400.
// - Root span metadata: plan (by user), region, locale and app version; `cohort: beta-wave-2` on
//   about 2.5% of sessions (by session id hash), `experiment: exp-rare-7` on exactly about 9
//   sessions per 1M spans.
// - Tags: one or two of words.ts's TAGS, and the rare tag `legal-hold` on 0.2% of sessions.
// - 3% error turns; a 30-day window; turns 30 s to 8 min apart within a session.
//
// Each turn is traffic.ts's four OpenInference spans (lib/turn.ts), encoded by the OpenTelemetry
// JS serializer. The summary records what the query bench needs (heaviest user, huge session,
// samples, the rare values and where they are, annotations to post).
import { resourceFromAttributes } from "@opentelemetry/resources";
import { Batches } from "./lib/batches.ts";
import { MinHeap } from "./lib/heap.ts";
import { Rng } from "./lib/rng.ts";
import { turn, type Session } from "./lib/turn.ts";
import type { AnnotationPlan, SkewedSummary } from "./lib/skewed-summary.ts";
import { HUGE_WORD, PHRASE, SkewedText } from "./lib/skewed-text.ts";
import { APP_VERSIONS, COMMON_WORD, MARKERS, MODELS, REGIONS, TAGS } from "./lib/words.ts";
import { fnv1a, Zipf } from "./lib/zipf.ts";
import { SPANS_PER_TURN, userId, type Batch } from "./traffic.ts";

/** Bump when the generated traffic changes, so cached data sets are rebuilt. */
export const SKEWED_VERSION = 1;

export interface SkewedOptions {
  seed?: number;
  project?: string;
  /** Spans to generate (about: the session count is derived from it). */
  spans?: number;
  /** User pool size; default ~20k at 1M spans, ~80k at 5M. */
  users?: number;
  /** Zipf exponent of sessions per user. */
  userExponent?: number;
  /** Turns of the one huge session (default 20,000, at most 8% of all turns). */
  hugeTurns?: number;
  startMs?: number;
  windowMs?: number;
  errorRate?: number;
  spansPerRequest?: number;
  /** Sessions to give a CODE `quality` evaluation (half of them the top users'), and a HUMAN `review`. */
  qualityAnnotations?: number;
  reviewAnnotations?: number;
  /** Sessions with the rare metadata value. */
  rareMetadataSessions?: number;
  /**
   * Every pool user gets one session before the Zipf draws (the default: a loaded data set where
   * most users have 1-3 sessions). Off: every session's user is a Zipf draw (more traffic from
   * the same users, as the mixed-load bench sends).
   */
  everyUserOnce?: boolean;
}

export function resolveSkewed(options: SkewedOptions = {}): Required<SkewedOptions> {
  const spans = options.spans ?? 1_000_000;
  const scale = spans / 1e6;
  return {
    seed: options.seed ?? 1,
    project: options.project ?? "bench-skewed",
    spans,
    users: options.users ?? Math.max(50, Math.round(20_000 * scale ** 0.86)),
    userExponent: options.userExponent ?? 1.1,
    hugeTurns: options.hugeTurns ?? Math.min(20_000, Math.round((0.08 * spans) / SPANS_PER_TURN)),
    startMs: options.startMs ?? Date.UTC(2025, 5, 2),
    windowMs: options.windowMs ?? 30 * 24 * 3600_000,
    errorRate: options.errorRate ?? 0.03,
    spansPerRequest: options.spansPerRequest ?? 1000,
    qualityAnnotations: options.qualityAnnotations ?? Math.max(20, Math.round(2000 * scale)),
    reviewAnnotations: options.reviewAnnotations ?? Math.max(5, Math.round(500 * scale)),
    rareMetadataSessions: options.rareMetadataSessions ?? Math.max(1, Math.round(9 * scale)),
    everyUserOnce: options.everyUserOnce ?? true,
  };
}

// ---- tags and metadata, rare and common (the text is lib/skewed-text.ts) ----

export const RARE_TAG = "legal-hold";
export const RARE_TAG_SHARE = 0.002;
export const RARE_METADATA = { key: "experiment", value: "exp-rare-7" } as const;
export const MID_METADATA = { key: "cohort", value: "beta-wave-2" } as const;
export const PLANS = ["free", "pro", "team", "enterprise"] as const;
export const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "pt-BR", "es-ES"];

// ---- properties derived from ids (so the query bench can check a filter from the answer) ----

/** A user's plan: free 55%, pro 25%, team 15%, enterprise 5%. */
export function planOf(user: string): (typeof PLANS)[number] {
  const h = fnv1a(user) % 100;
  return h < 55 ? "free" : h < 80 ? "pro" : h < 95 ? "team" : "enterprise";
}

/** Whether a session carries MID_METADATA (about 2.5% of sessions). */
export function hasMidMetadata(sessionId: string): boolean {
  return fnv1a(sessionId) % 40 === 0;
}

// ---- sessions ----

const SHORT_WEIGHTS = Array.from({ length: 8 }, (_, k) => 0.72 ** k); // 1..8 turns
const SHORT_TOTAL = SHORT_WEIGHTS.reduce((a, b) => a + b, 0);
const SHORT_MEAN = SHORT_WEIGHTS.reduce((sum, w, k) => sum + w * (k + 1), 0) / SHORT_TOTAL;
const TAIL_SHARE = 0.02;
const TAIL_MIN = 20;
const TAIL_MAX = 300;
const TAIL_MEAN = (TAIL_MAX - TAIL_MIN) / Math.log(TAIL_MAX / TAIL_MIN);
export const MEAN_TURNS = (1 - TAIL_SHARE) * SHORT_MEAN + TAIL_SHARE * TAIL_MEAN;
/** Sessions of the top users: half of the quality evaluations go to them. */
const TOP_USERS = 10;
/** Messages kept in a session's history (the LLM span re-sends at most 2.6k characters of it). */
const HISTORY_KEEP = 24;

function sessionTurns(rng: Rng): number {
  if (rng.chance(TAIL_SHARE)) return Math.round(Math.exp(Math.log(TAIL_MIN) + rng.float() * Math.log(TAIL_MAX / TAIL_MIN)));
  let u = rng.float() * SHORT_TOTAL;
  for (let k = 0; k < SHORT_WEIGHTS.length; k++) {
    u -= SHORT_WEIGHTS[k];
    if (u < 0) return k + 1;
  }
  return SHORT_WEIGHTS.length;
}

export function sessionCount(o: Required<SkewedOptions>): number {
  return Math.max(1, Math.round((o.spans / SPANS_PER_TURN - o.hugeTurns) / MEAN_TURNS));
}

interface SkewedSession extends Session {
  index: number;
  /** Spacing of the huge session's turns (null: an ordinary session). */
  hugeGapUs: number | null;
}

export function emptySkewedSummary(options: SkewedOptions): SkewedSummary {
  const o = resolveSkewed(options);
  return {
    project: o.project,
    sessions: 0,
    traces: 0,
    spans: 0,
    errorTraces: 0,
    bytes: 0,
    requests: 0,
    firstMs: Infinity,
    lastMs: 0,
    users: 0,
    userPool: o.users,
    heaviestUser: { id: "", sessions: 0 },
    topUsers: [],
    lightUsers: [],
    sampleUsers: [],
    hugeSession: { id: "", userId: "", turns: 0 },
    sampleSessions: [],
    longSessions: [],
    longSessionCount: 0,
    commonWord: COMMON_WORD,
    markerTurns: Object.fromEntries(MARKERS.map((m) => [m, 0])),
    markerSessions: Object.fromEntries(MARKERS.map((m) => [m, []])),
    hugeWord: { word: HUGE_WORD, turns: 0 },
    phrase: { words: PHRASE, turns: 0, sessions: [], injectedSessions: [] },
    rareMetadata: { ...RARE_METADATA, sessions: [] },
    midMetadata: { ...MID_METADATA, sessions: 0 },
    plans: Object.fromEntries(PLANS.map((p) => [p, 0])),
    rareTag: { tag: RARE_TAG, sessions: [] },
    errorSessions: 0,
    annotations: [],
  };
}

/** Who owns which session, and which sessions get the rare values: decided before the first span. */
function plan(o: Required<SkewedOptions>, sessions: number) {
  const rng = new Rng((o.seed * 0x9e3779b1) ^ 0x5eed);
  // Rank -> user index: the same for a given pool size whatever the seed, so traffic of another
  // seed (the mixed-load bench's) comes from the same users, heavy ones included.
  const userOfRank = new Int32Array(o.users).map((_, i) => i);
  const permRng = new Rng(o.users * 7919 + 17);
  for (let i = o.users - 1; i > 0; i--) {
    const j = Math.floor(permRng.float() * (i + 1));
    [userOfRank[i], userOfRank[j]] = [userOfRank[j], userOfRank[i]];
  }
  // Every pool user once, the rest Zipf; shuffled so heavy and light users spread over the window.
  const zipf = new Zipf(o.users, o.userExponent);
  const owner = new Int32Array(sessions);
  for (let i = 0; i < sessions; i++) owner[i] = o.everyUserOnce && i < o.users ? i : zipf.sample(rng);
  for (let i = sessions - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    [owner[i], owner[j]] = [owner[j], owner[i]];
  }
  const perRank = new Int32Array(o.users);
  for (const rank of owner) perRank[rank]++;
  perRank[0]++; // the huge session

  const pickDistinct = (from: number[], count: number, into: Set<number>) => {
    for (let i = 0; i < count && from.length > 0; i++) {
      const at = Math.floor(rng.float() * from.length);
      into.add(from[at]);
      from[at] = from[from.length - 1];
      from.pop();
    }
  };
  const all = Array.from({ length: sessions }, (_, i) => i);
  const rareMetadata = new Set<number>();
  pickDistinct(all.slice(), o.rareMetadataSessions, rareMetadata);
  const rareTag = new Set<number>();
  pickDistinct(all.slice(), Math.round(sessions * RARE_TAG_SHARE), rareTag);

  // Quality evaluations: half on the top users' sessions, so their averages mean something.
  const quality = new Set<number>();
  pickDistinct(all.filter((i) => owner[i] < TOP_USERS), Math.floor(o.qualityAnnotations / 2), quality);
  pickDistinct(all.filter((i) => !quality.has(i)), o.qualityAnnotations - quality.size, quality);
  const review = new Set<number>();
  pickDistinct(all.slice(), o.reviewAnnotations, review);
  const annotations = new Map<number, Omit<AnnotationPlan, "sessionId">>();
  for (const i of [...quality].sort((a, b) => a - b)) {
    // Each user's sessions score around the user's own mean.
    const mean = 0.3 + 0.5 * ((fnv1a(userId(userOfRank[owner[i]])) % 1000) / 1000);
    const score = Math.round(Math.min(1, Math.max(0, mean + (rng.float() - 0.5) * 0.5)) * 1000) / 1000;
    annotations.set(i, { quality: { score, label: score >= 0.5 ? "good" : "bad" } });
  }
  for (const i of [...review].sort((a, b) => a - b)) {
    const u = rng.float();
    const label = u < 0.6 ? "approved" : u < 0.9 ? "needs-work" : "escalate";
    annotations.set(i, { ...annotations.get(i), review: { label } });
  }

  const ranks = Array.from({ length: o.users }, (_, r) => r).sort((a, b) => perRank[b] - perRank[a] || a - b);
  const light = ranks.filter((r) => perRank[r] >= 1 && perRank[r] <= 3);
  const present = ranks.filter((r) => perRank[r] >= 1);
  const every = (list: number[], n: number) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / n)) === 0).slice(0, n);
  const sampled: number[] = [];
  for (let i = 0; i < Math.min(500, present.length); i++) sampled.push(present[Math.floor(rng.float() * present.length)]);
  return {
    userOfRank,
    owner,
    rareMetadata,
    rareTag,
    annotations,
    users: present.length,
    top: ranks.slice(0, TOP_USERS).map((r) => ({ id: userId(userOfRank[r]), sessions: perRank[r] })),
    lightUsers: every(light, 500).map((r) => userId(userOfRank[r])),
    sampleUsers: sampled.map((r) => userId(userOfRank[r])),
  };
}

/** Yields request bodies lazily; `summary` is complete once the generator is exhausted. */
export function* generateSkewed(options: SkewedOptions, summary: SkewedSummary = emptySkewedSummary(options)): Generator<Batch> {
  const o = resolveSkewed(options);
  const rng = new Rng(o.seed);
  const sessions = sessionCount(o);
  const p = plan(o, sessions);
  summary.users = p.users;
  summary.topUsers = p.top;
  summary.heaviestUser = p.top[0];
  summary.lightUsers = p.lightUsers;
  summary.sampleUsers = p.sampleUsers;

  const resource = resourceFromAttributes({
    "service.name": "acme-assistant",
    "service.version": "4.12.0",
    "deployment.environment": "production",
    "openinference.project.name": o.project,
    "telemetry.sdk.language": "nodejs",
  });
  const words = new SkewedText(summary);
  const heap = new MinHeap<SkewedSession>((a, b) => a.nextUs - b.nextUs);
  const slotUs = (o.windowMs * 1000) / sessions;
  const sampleEvery = Math.max(1, Math.floor(sessions / 2000));
  const longEvery = Math.max(1, Math.floor((sessions * TAIL_SHARE) / 200));
  const phraseSessions = new Set<string>();
  const batches = new Batches(o.spansPerRequest, summary);
  let created = 0;

  const newSession = (index: number, rank: number, startUs: number, hugeTurns: number): SkewedSession => {
    const user = p.userOfRank[rank];
    const id = rng.uuid();
    const tags = [rng.pick(TAGS)];
    if (rng.chance(0.4)) tags.push(rng.pick(TAGS));
    if (hugeTurns === 0 && p.rareTag.has(index)) {
      tags.push(RARE_TAG);
      summary.rareTag.sessions.push(id);
    }
    const metadata: Record<string, string> = {
      plan: planOf(userId(user)),
      region: rng.pick(REGIONS),
      locale: rng.pick(LOCALES),
      app_version: rng.pick(APP_VERSIONS),
    };
    summary.plans[metadata.plan]++;
    if (hasMidMetadata(id)) {
      metadata[MID_METADATA.key] = MID_METADATA.value;
      summary.midMetadata.sessions++;
    }
    if (hugeTurns === 0 && p.rareMetadata.has(index)) {
      metadata[RARE_METADATA.key] = RARE_METADATA.value;
      summary.rareMetadata.sessions.push(id);
    }
    const turns = hugeTurns || sessionTurns(rng);
    if (hugeTurns === 0) {
      if (turns >= TAIL_MIN) {
        if (summary.longSessionCount++ % longEvery === 0) summary.longSessions.push(id);
      } else if (index % sampleEvery === 0) summary.sampleSessions.push(id);
      const annotation = p.annotations.get(index);
      if (annotation) summary.annotations.push({ sessionId: id, ...annotation });
    }
    summary.sessions++;
    return {
      id,
      userId: userId(user),
      model: rng.chance(0.8) ? MODELS[user % MODELS.length] : rng.pick(MODELS),
      tags: [...new Set(tags)],
      metadata: JSON.stringify(metadata),
      turns,
      turn: 0,
      nextUs: Math.floor(startUs),
      history: [],
      index,
      hugeGapUs: hugeTurns ? (o.windowMs * 1000) / hugeTurns : null,
    };
  };

  if (o.hugeTurns > 0) {
    const huge = newSession(-1, 0, o.startMs * 1000 + 60_000_000, o.hugeTurns);
    summary.hugeSession = { id: huge.id, userId: huge.userId, turns: huge.turns };
    if (o.qualityAnnotations > 0) summary.annotations.push({ sessionId: huge.id, quality: { score: 0.42, label: "bad" } });
    heap.push(huge);
  }
  const errored = new Set<SkewedSession>();
  for (;;) {
    const nextStartUs = created < sessions ? o.startMs * 1000 + (created + rng.float() * 0.99) * slotUs : Infinity;
    const head = heap.peek();
    if (!head && nextStartUs === Infinity) break;
    if (!head || nextStartUs < head.nextUs) {
      heap.push(newSession(created, p.owner[created], nextStartUs, 0));
      created++;
      continue;
    }
    words.session = head;
    const errorsBefore = summary.errorTraces;
    for (const span of turn(rng, o.errorRate, head, resource, summary, words)) {
      const batch = batches.add(span);
      if (batch) yield batch;
    }
    if (summary.errorTraces > errorsBefore && !errored.has(head)) {
      errored.add(head);
      summary.errorSessions++;
    }
    for (const marker of words.markers) if (!summary.markerSessions[marker].includes(head.id)) summary.markerSessions[marker].push(head.id);
    if (words.phraseMask === 7 && !phraseSessions.has(head.id)) {
      phraseSessions.add(head.id);
      summary.phrase.sessions.push(head.id);
    }
    if (words.phrase && summary.phrase.injectedSessions.at(-1) !== head.id && !summary.phrase.injectedSessions.includes(head.id)) {
      summary.phrase.injectedSessions.push(head.id);
    }
    if (head.history.length > HISTORY_KEEP) head.history.splice(0, head.history.length - HISTORY_KEEP);
    head.turn++;
    if (head.turn >= head.turns) {
      heap.pop();
      errored.delete(head);
    } else {
      head.nextUs +=
        head.hugeGapUs != null
          ? Math.floor(head.hugeGapUs * (0.5 + rng.float()))
          : rng.int(30, 480) * 1_000_000 + rng.int(0, 999_999);
      heap.replaceTop(head);
    }
  }
  const last = batches.flush();
  if (last) yield last;
}
