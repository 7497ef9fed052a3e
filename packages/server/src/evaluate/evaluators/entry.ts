// The built-ins as the evaluators' thread loads them: one function per evaluator, by name.
import type { Transcript } from "../transcript.ts";
import { userFrustration } from "./frustration.ts";
import { errors as failedTurns, repetition as repeats, unanswered as missed } from "./turns.ts";

export const user_frustration = (t: Transcript) => userFrustration.run(t);
export const errors = (t: Transcript) => failedTurns.run(t);
export const repetition = (t: Transcript) => repeats.run(t);
export const unanswered = (t: Transcript) => missed.run(t);
