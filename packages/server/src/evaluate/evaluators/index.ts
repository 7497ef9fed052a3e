// The built-in evaluators: no LLM, on by default.
import { userFrustration } from "./frustration.ts";
import { errors, repetition, unanswered } from "./turns.ts";
import type { Evaluator } from "./types.ts";

export const BUILT_IN_EVALUATORS: Evaluator[] = [userFrustration, errors, repetition, unanswered];
export type { Evaluator } from "./types.ts";
