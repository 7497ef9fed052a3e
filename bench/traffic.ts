// A generator of realistic chat-app OTLP traffic, deterministic by seed.
//
// Sessions of minTurns..maxTurns turns (conversations) start spread over a time window; each
// turn is one trace of four OpenInference spans (AGENT root; RETRIEVER, TOOL and LLM children,
// the LLM span carrying the re-sent chat history). Turns of many sessions interleave in time
// order, the way an app's exporters would send them. Output: OTLP ExportTraceServiceRequest
// protobuf bodies of `spansPerRequest` spans, encoded by the real OpenTelemetry JS serializer
// (ProtobufTraceSerializer over ReadableSpan-shaped objects): the exact bytes an OTel JS SDK
// sends. Measured against the server's protobufjs types (fromObject+encode) it was within
// ~25% either way on this machine, so realism decided (see bench/README.md).
import { resourceFromAttributes } from "@opentelemetry/resources";
import { Batches, type Batch } from "./lib/batches.ts";
import { MinHeap } from "./lib/heap.ts";
import { Rng } from "./lib/rng.ts";
import { turn, type Session } from "./lib/turn.ts";
import { APP_VERSIONS, MARKERS, MODELS, PLANS, REGIONS, TAGS } from "./lib/words.ts";

/** Bump when the generated traffic changes, so cached data sets are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface TrafficOptions {
  seed?: number;
  project?: string;
  /** Size of the user pool; the first `users` sessions use every user once, the rest are skewed. */
  users?: number;
  sessions?: number;
  minTurns?: number;
  maxTurns?: number;
  /** Start of the time window (ms since the epoch) and its length. */
  startMs?: number;
  windowMs?: number;
  /** Fraction of turns (traces) whose status is ERROR. */
  errorRate?: number;
  spansPerRequest?: number;
}

export type { Batch } from "./lib/batches.ts";

export interface TrafficSummary {
  project: string;
  sessions: number;
  traces: number;
  spans: number;
  errorTraces: number;
  bytes: number;
  requests: number;
  firstMs: number;
  lastMs: number;
  /** Every so many sessions' ids, for detail lookups. */
  sampleSessions: string[];
  users: number;
  markerTurns: Record<string, number>;
}

export const SPANS_PER_TURN = 4;

export function userId(index: number): string {
  return `user-${String(index).padStart(5, "0")}`;
}

export function resolveOptions(options: TrafficOptions = {}): Required<TrafficOptions> {
  return {
    seed: options.seed ?? 1,
    project: options.project ?? "bench-chat",
    users: options.users ?? 10_000,
    sessions: options.sessions ?? 10_000,
    minTurns: options.minTurns ?? 3,
    maxTurns: options.maxTurns ?? 12,
    startMs: options.startMs ?? Date.UTC(2025, 5, 2),
    windowMs: options.windowMs ?? 7 * 24 * 3600_000,
    errorRate: options.errorRate ?? 0.03,
    spansPerRequest: options.spansPerRequest ?? 500,
  };
}

/** Yields request bodies lazily; `summary` is complete once the generator is exhausted. */
export function* generateTraffic(options: TrafficOptions, summary: TrafficSummary = emptySummary(options)): Generator<Batch> {
  const o = resolveOptions(options);
  const rng = new Rng(o.seed);
  const resource = resourceFromAttributes({
    "service.name": "acme-chat",
    "service.version": "2.3.1",
    "deployment.environment": "production",
    "openinference.project.name": o.project,
    "telemetry.sdk.language": "nodejs",
  });
  const heap = new MinHeap<Session>((a, b) => a.nextUs - b.nextUs);
  const slotUs = (o.windowMs * 1000) / o.sessions;
  const sampleEvery = Math.max(1, Math.floor(o.sessions / 2000));
  const batches = new Batches(o.spansPerRequest, summary);
  let created = 0;

  for (;;) {
    const nextStartUs = created < o.sessions ? o.startMs * 1000 + (created + rng.float() * 0.99) * slotUs : Infinity;
    const head = heap.peek();
    if (!head && nextStartUs === Infinity) break;
    if (!head || nextStartUs < head.nextUs) {
      const session = newSession(rng, o, created, nextStartUs);
      if (created % sampleEvery === 0) summary.sampleSessions.push(session.id);
      created++;
      summary.sessions++;
      heap.push(session);
      continue;
    }
    for (const span of turn(rng, o.errorRate, head, resource, summary)) {
      const batch = batches.add(span);
      if (batch) yield batch;
    }
    head.turn++;
    if (head.turn >= head.turns) heap.pop();
    else {
      head.nextUs += rng.int(15, 240) * 1_000_000 + rng.int(0, 999_999);
      heap.replaceTop(head);
    }
  }
  const last = batches.flush();
  if (last) yield last;
}

export function emptySummary(options: TrafficOptions): TrafficSummary {
  const o = resolveOptions(options);
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
    sampleSessions: [],
    users: Math.min(o.users, o.sessions),
    markerTurns: Object.fromEntries(MARKERS.map((m) => [m, 0])),
  };
}

function newSession(rng: Rng, o: Required<TrafficOptions>, index: number, startUs: number): Session {
  // Every user once, then a skewed draw: a few users have many sessions, most have a few.
  const user = index < o.users ? index : Math.floor(o.users * rng.float() ** 2);
  const tags = [TAGS[rng.u32() % TAGS.length]];
  if (rng.chance(0.4)) tags.push(TAGS[rng.u32() % TAGS.length]);
  return {
    id: rng.uuid(),
    userId: userId(user),
    model: rng.chance(0.8) ? MODELS[user % MODELS.length] : rng.pick(MODELS),
    tags: [...new Set(tags)],
    metadata: JSON.stringify({
      plan: PLANS[user % PLANS.length],
      region: rng.pick(REGIONS),
      app_version: rng.pick(APP_VERSIONS),
      locale: rng.pick(["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP"]),
    }),
    turns: rng.int(o.minTurns, o.maxTurns),
    turn: 0,
    nextUs: Math.floor(startUs),
    history: [],
  };
}
