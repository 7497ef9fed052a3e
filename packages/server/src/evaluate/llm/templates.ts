// The LLM judges' default prompts and what their answers may be. Every template can be replaced
// in the configuration file; the variables are {{transcript}}, {{user_messages}},
// {{first_input}} and {{last_output}}.
import type { Worst } from "../evaluators/types.ts";

export interface JudgeSpec {
  description?: string;
  template: string;
  /** The answer's label must be one of these (when given). */
  labels?: string[];
  /** The answer's score must lie in this range (when given). */
  score?: [number, number];
  /** What a bad answer looks like (default: the last label, a low score). */
  worst?: Worst;
}

const ANSWER = (spec: string) => `Answer with one JSON object and nothing else: ${spec}, "explanation": one or two sentences a person can act on, "turn": the number of the turn your verdict points at (or null).`;

/** The judges to run: the named defaults (all when none are named) and the configured templates over them. */
export function judgeSpecs(names: string[] | undefined, templates: Record<string, JudgeSpec> = {}): Record<string, JudgeSpec> {
  const chosen = Object.fromEntries(Object.entries(DEFAULT_JUDGES).filter(([name]) => names?.includes(name) ?? true));
  for (const [name, spec] of Object.entries(templates)) chosen[name] = { ...DEFAULT_JUDGES[name], ...spec };
  return chosen;
}

export const DEFAULT_JUDGES: Record<string, JudgeSpec> = {
  coherence: {
    description: "LLM judge: does the assistant stay coherent and consistent across the conversation (1-5)?",
    score: [1, 5],
    worst: { label: null, score: "lower" },
    template: `You review a conversation between a user and an AI assistant.\n\n{{transcript}}\n\nRate how coherent and consistent the assistant is across the whole conversation, from 1 (contradicts itself, loses the thread) to 5 (consistent throughout). ${ANSWER('"score": 1 to 5')}`,
  },
  goal_completion: {
    description: "LLM judge: did the user get what they came for?",
    labels: ["completed", "partial", "failed"],
    score: [0, 1],
    worst: { label: "failed", score: "lower" },
    template: `You review a conversation between a user and an AI assistant.\n\n{{transcript}}\n\nThe user's first request was: {{first_input}}\n\nDid the user get what they came for? ${ANSWER('"label": "completed", "partial" or "failed", "score": 0 to 1')}`,
  },
  knowledge_retention: {
    description: "LLM judge: does the assistant remember what the user told it earlier (1-5)?",
    score: [1, 5],
    worst: { label: null, score: "lower" },
    template: `You review a conversation between a user and an AI assistant.\n\n{{transcript}}\n\nDoes the assistant remember and use what the user told it earlier, from 1 (asks again, forgets) to 5 (remembers everything)? ${ANSWER('"score": 1 to 5')}`,
  },
  llm_user_frustration: {
    description: "LLM judge: was the user frustrated with the assistant, and from which turn?",
    labels: ["frustrated", "neutral", "satisfied"],
    score: [0, 1],
    worst: { label: "frustrated", score: "higher" },
    template: `These are the user's messages in a conversation with an AI assistant, by turn:\n\n{{user_messages}}\n\nWas the user frustrated with the assistant (not with the world)? ${ANSWER('"label": "frustrated", "neutral" or "satisfied", "score": 0 (not at all) to 1 (very)')}`,
  },
};
