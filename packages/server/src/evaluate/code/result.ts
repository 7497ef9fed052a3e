// What a code evaluator's function may return, checked as strictly as an LLM judge's answer: a
// result that is not this shape is a failed attempt whose reason names the field, never a stored
// wrong value.
import { Ajv } from "ajv";
import { Type } from "typebox";
import type { EvaluationResultRecord } from "../../store/store.ts";
import { pointAt } from "../evaluators/types.ts";
import type { Transcript } from "../transcript.ts";

/** The annotations API's limits, so a code result could also have been written through it. */
const MAX_LABEL = 200;
const MAX_TEXT = 10_000;

const Nullable = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export const CodeResultSchema = Type.Object({
  label: Nullable(Type.String({ minLength: 1, maxLength: MAX_LABEL })),
  score: Nullable(Type.Number()),
  explanation: Nullable(Type.String({ maxLength: MAX_TEXT })),
  turn: Nullable(Type.Integer({ minimum: 1 })),
  metadata: Nullable(Type.Record(Type.String(), Type.Unknown())),
}, { additionalProperties: false });

const TYPES: Record<string, string> = { number: "a finite number", integer: "an integer", string: "a string", object: "an object" };

// strictNumbers: NaN and Infinity are not numbers here (structured clone carries them, JSON would not).
const check = new Ajv({ allErrors: false, strict: false, strictNumbers: true }).compile(CodeResultSchema);

/** The function's return value as an annotation of the session, or null; throws naming what is wrong. */
export function toResult(value: unknown, transcript: Transcript): EvaluationResultRecord | null {
  if (value === null) return null;
  if (value === undefined) throw new Error("returned undefined: return null when there is nothing to say, or a result object");
  if (typeof value !== "object" || Array.isArray(value)) throw new Error(`returned ${show(value)}: not null or a result object`);
  if (!check(value)) {
    const error = check.errors![0];
    const field = error.instancePath.slice(1).replace(/\//g, ".");
    if (error.keyword === "additionalProperties") throw new Error(`returned a result with an unknown field ${String(error.params.additionalProperty)} (label, score, explanation, turn, metadata)`);
    const got = field.split(".").reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], value);
    const message = error.keyword === "type" ? `must be ${TYPES[String(error.params.type)] ?? error.params.type} or null` : error.message;
    throw new Error(`returned a result whose ${field} ${message ?? "is invalid"}${field.includes(".") ? "" : ` (got ${show(got)})`}`);
  }
  const result = value as { label?: string | null; score?: number | null; explanation?: string | null; turn?: number | null; metadata?: Record<string, unknown> | null };
  const turn = result.turn ?? null;
  if (turn !== null && turn > transcript.turns.length) throw new Error(`returned a result whose turn ${turn} is past the session's ${transcript.turns.length} turns`);
  if (result.label == null && result.score == null && result.explanation == null) {
    throw new Error("returned a result with no label, score or explanation: return null when there is nothing to say");
  }
  const metadata = result.metadata ?? {};
  // The server's own keys: a module's would be overwritten, or would point the UI at the wrong turn.
  for (const key of ["turn", "traceId"]) {
    if (key in metadata) throw new Error(`returned a result whose metadata.${key} is set: the result's turn field points at a turn (and its traceId)`);
  }
  if ("version" in metadata) throw new Error("returned a result whose metadata.version is set: the server records there which version of the session was evaluated");
  // Stored as JSON: what JSON cannot say (a Date, a Map, NaN) is refused rather than changed.
  const json = JSON.stringify(metadata);
  if (json.length > MAX_TEXT) throw new Error(`returned a result whose metadata is ${json.length} characters as JSON, more than ${MAX_TEXT}`);
  if (!sameAsJson(metadata)) throw new Error("returned a result whose metadata holds values JSON cannot carry (plain objects, arrays, strings, finite numbers, booleans and null only)");
  return {
    label: result.label ?? null,
    score: result.score ?? null,
    explanation: result.explanation ?? null,
    metadata: pointAt(transcript, turn, metadata),
    annotatorKind: "CODE",
  };
}

function sameAsJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(sameAsJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(sameAsJson);
}

function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
