import type { EvaluationResultRecord } from "../../store/store.ts";
import type { Transcript } from "../transcript.ts";

/** A built-in or code evaluator: a transcript in, a result (or null: nothing to say) out. */
export interface Evaluator {
  name: string;
  description: string;
  /** CODE (default) or LLM: a judge that calls a model. */
  kind?: "CODE" | "LLM";
  /** What a bad result looks like: the label, and whether a higher score is worse (the "worst sessions" links). */
  worst?: Worst;
  run(transcript: Transcript): EvaluationResultRecord | null | Promise<EvaluationResultRecord | null>;
}

export interface Worst {
  label: string | null;
  score: "higher" | "lower";
}

/** Where a result points: the 1-based turn and its trace. */
export function pointAt(transcript: Transcript, turn: number | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (turn == null) return { ...extra };
  return { turn, traceId: transcript.turns[turn - 1]?.traceId ?? null, ...extra };
}

/** A short quote of a message for an explanation. */
export const quote = (text: string, max = 80) => `"${text.length > max ? `${text.slice(0, max - 1)}…` : text}"`;

export const round = (value: number) => Math.round(value * 100) / 100;
