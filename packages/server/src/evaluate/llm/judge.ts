// LLM-as-judge evaluators: fill a template with the session, ask any OpenAI-compatible endpoint
// (the openai client, base URL, model and key from the configuration), and take the answer only
// if it is what the judge declared: a label from its set, a score in its range, an explanation. A
// malformed answer is a failure (retried, then recorded), never a wrong score. Each project has a
// daily budget of calls and tokens, kept in the store; past it, jobs wait for the next day with the
// reason recorded.
import OpenAI from "openai";
import type { EvaluationResultRecord, Store } from "../../store/store.ts";
import { pointAt, type Evaluator } from "../evaluators/types.ts";
import type { Transcript } from "../transcript.ts";
import type { JudgeSpec } from "./templates.ts";

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per project and UTC day. Default 1,000 calls and 2,000,000 tokens. */
  dailyCalls?: number;
  dailyTokens?: number;
  /** A transcript longer than this (estimated at 4 characters a token) is cut, saying so. Default 6,000. */
  maxTranscriptTokens?: number;
}

/** Thrown when a project's budget for the day is spent: the job waits until the next day. */
export class BudgetSpent extends Error {
  readonly retryAtUs: number;
  constructor(message: string, retryAtUs: number) {
    super(message);
    this.retryAtUs = retryAtUs;
  }
}

/** Where each project's use of the day is kept, so that a restart does not give a project a new budget. */
export type BudgetStore = Pick<Store, "llmUsage" | "addLlmUsage">;

/** Calls and tokens spent per project today (UTC), kept in the store. */
export class LlmBudget {
  readonly #limits: { calls: number; tokens: number };
  readonly #store: BudgetStore;
  #day = "";
  #used = new Map<string, { calls: number; tokens: number }>();
  #loading: Promise<void> | null = null;

  constructor(settings: LlmSettings, store: BudgetStore) {
    this.#limits = { calls: settings.dailyCalls ?? 1_000, tokens: settings.dailyTokens ?? 2_000_000 };
    this.#store = store;
  }

  async usage(project: string) {
    await this.#today();
    return { ...(this.#used.get(project) ?? { calls: 0, tokens: 0 }), limits: this.#limits };
  }

  /** Counts a call before it is made (written down first: a crash mid-call still counts it), or throws BudgetSpent. */
  async take(project: string): Promise<void> {
    await this.#today();
    // No await between the check and the count: two judges at once must not both take the last call.
    const { calls, tokens } = this.#used.get(project) ?? { calls: 0, tokens: 0 };
    if (calls >= this.#limits.calls || tokens >= this.#limits.tokens) {
      const tomorrow = new Date(`${this.#day}T00:00:00Z`).getTime() + 86_400_000;
      throw new BudgetSpent(`the daily LLM budget of project "${project}" is spent (${calls} of ${this.#limits.calls} calls, ${tokens} of ${this.#limits.tokens} tokens); it resumes at 00:00 UTC`, tomorrow * 1000);
    }
    this.#used.set(project, { calls: calls + 1, tokens });
    await this.#store.addLlmUsage(project, this.#day, 1, 0);
  }

  async spent(project: string, tokens: number): Promise<void> {
    const used = this.#used.get(project);
    if (used) used.tokens += tokens;
    await this.#store.addLlmUsage(project, this.#day, 0, tokens);
  }

  /** The day's use as the store has it, read once a day. */
  #today(): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#used = new Map();
      this.#loading = this.#store.llmUsage(day).then((rows) => {
        for (const { project, calls, tokens } of rows) this.#used.set(project, { calls, tokens });
      });
    }
    return this.#loading!;
  }
}

export function llmJudges(settings: LlmSettings, specs: Record<string, JudgeSpec>, budget: LlmBudget): Evaluator[] {
  const client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey ?? "none", maxRetries: 0, timeout: 60_000 });
  return Object.entries(specs).map(([name, spec]) => ({
    name,
    description: spec.description ?? `LLM judge of your own: ${name}`,
    kind: "LLM" as const,
    worst: spec.worst ?? { label: spec.labels?.at(-1) ?? null, score: "lower" as const },
    async run(transcript: Transcript): Promise<EvaluationResultRecord | null> {
      if (transcript.turns.length === 0) return null;
      await budget.take(transcript.project);
      const completion = await client.chat.completions.create({
        model: settings.model,
        temperature: 0,
        response_format: { type: "json_object" },
        messages: [{ role: "user", content: fill(spec.template, transcript, settings.maxTranscriptTokens ?? 6_000) }],
      });
      await budget.spent(transcript.project, completion.usage?.total_tokens ?? 0);
      return parseVerdict(spec, completion.choices[0]?.message?.content ?? "", transcript, completion.usage?.total_tokens ?? null);
    },
  }));
}

/** The template with the session in it; a transcript past the budget keeps its first turn and its last ones, and says what it left out. */
export function fill(template: string, transcript: Transcript, maxTokens: number): string {
  const line = (t: Transcript["turns"][number]) =>
    `Turn ${t.turn}\nUser: ${t.user.join("\n") || "(nothing)"}\nAssistant: ${t.assistant.join("\n") || (t.error ? `(failed: ${t.error.message ?? t.error.spanName})` : "(no answer)")}`;
  const lines = transcript.turns.map(line);
  const budget = maxTokens * 4;
  let kept = lines;
  if (lines.join("\n\n").length > budget && lines.length > 1) {
    const tail: string[] = [];
    let size = lines[0].length;
    for (let i = lines.length - 1; i > 0 && size + lines[i].length < budget; i--) {
      tail.unshift(lines[i]);
      size += lines[i].length;
    }
    const omitted = lines.length - 1 - tail.length;
    kept = [lines[0], `[${omitted} turns in the middle are left out to fit the length limit]`, ...tail];
  }
  if (transcript.omitted > 0) kept.push(`[the session has ${transcript.omitted} more turns, not shown]`);
  const users = transcript.turns.filter((t) => t.user.length).map((t) => `Turn ${t.turn}: ${t.user.join(" ")}`).join("\n");
  return template
    .replaceAll("{{transcript}}", kept.join("\n\n"))
    .replaceAll("{{user_messages}}", users.length > budget ? `${users.slice(0, budget)}\n[cut to fit the length limit]` : users)
    .replaceAll("{{first_input}}", transcript.turns.find((t) => t.user.length)?.user.join(" ") ?? "")
    .replaceAll("{{last_output}}", transcript.turns.findLast((t) => t.assistant.length)?.assistant.join(" ") ?? "");
}

/** The judge's answer, checked against what it declared; throws (a failed job) on anything else. */
export function parseVerdict(spec: JudgeSpec, content: string, transcript: Transcript, tokens: number | null): EvaluationResultRecord {
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(content.trim().replace(/^```(json)?\s*|\s*```$/g, ""));
  } catch {
    throw new Error(`the judge did not answer with JSON: ${JSON.stringify(content.slice(0, 120))}`);
  }
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) throw new Error("the judge's answer is not a JSON object");
  const label = answer.label ?? null;
  const score = answer.score ?? null;
  if (spec.labels && (typeof label !== "string" || !spec.labels.includes(label))) throw new Error(`the judge's label ${JSON.stringify(label)} is not one of ${spec.labels.join(", ")}`);
  if (spec.score && (typeof score !== "number" || score < spec.score[0] || score > spec.score[1])) throw new Error(`the judge's score ${JSON.stringify(score)} is not in ${spec.score[0]}..${spec.score[1]}`);
  if (!spec.labels && !spec.score) throw new Error("the judge declares neither labels nor a score range");
  const turn = typeof answer.turn === "number" && Number.isInteger(answer.turn) && answer.turn >= 1 && answer.turn <= transcript.turns.length ? answer.turn : null;
  return {
    label: typeof label === "string" ? label : null,
    score: typeof score === "number" ? score : null,
    explanation: typeof answer.explanation === "string" ? answer.explanation.slice(0, 2000) : null,
    metadata: pointAt(transcript, turn, tokens != null ? { tokens } : {}),
    annotatorKind: "LLM",
  };
}
