// What the skewed generator (bench/skewed.ts) records as it goes: what the query bench needs to
// pick its cases and check their answers, and the annotations the loader posts.
import type { TrafficSummary } from "../traffic.ts";

export interface AnnotationPlan {
  sessionId: string;
  quality?: { score: number; label: "good" | "bad" };
  review?: { label: string };
}

/** traffic.ts's totals (`users`: those with at least one session), and more. */
export interface SkewedSummary extends TrafficSummary {
  /** The pool the users were drawn from. */
  userPool: number;
  heaviestUser: { id: string; sessions: number };
  topUsers: Array<{ id: string; sessions: number }>;
  /** Users with 1-3 sessions (a sample), and users drawn uniformly from those with any. */
  lightUsers: string[];
  sampleUsers: string[];
  hugeSession: { id: string; userId: string; turns: number };
  /** Ordinary sessions (1-8 turns) and long ones (20-300), sampled through the window. */
  sampleSessions: string[];
  longSessions: string[];
  longSessionCount: number;
  commonWord: string;
  /** markerTurns (from TurnTotals) counts the turns; these are the sessions. */
  markerSessions: Record<string, string[]>;
  hugeWord: { word: string; turns: number };
  /**
   * injectedSessions: those where a user message has the phrase, in order; sessions: those and
   * any where one turn's text had all three words anywhere (a superset of every possible match).
   */
  phrase: { words: string; turns: number; sessions: string[]; injectedSessions: string[] };
  rareMetadata: { key: string; value: string; sessions: string[] };
  midMetadata: { key: string; value: string; sessions: number };
  plans: Record<string, number>;
  rareTag: { tag: string; sessions: string[] };
  errorSessions: number;
  annotations: AnnotationPlan[];
}
