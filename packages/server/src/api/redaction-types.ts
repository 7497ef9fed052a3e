// What GET /api/v1/projects/:project/redaction answers: the project's redaction rules and how
// many values they replaced (normalize/redact/counts.ts).
import { Type, type Static } from "typebox";
import { ApiError } from "./types.ts";

export const RedactionStatus = Type.Object({
  project: Type.String(),
  detectors: Type.Array(Type.String(), { description: "Built-in detectors on (api_key, card, email, phone), in the order they apply" }),
  patterns: Type.Array(Type.String(), { description: "Names of the project's own patterns, applied after the detectors" }),
  redacted: Type.Record(Type.String(), Type.Integer(), { description: "Values replaced in the project's spans, by detector or pattern name" }),
  total: Type.Integer(),
});
export type RedactionStatus = Static<typeof RedactionStatus>;

export const redactionAnswer = { 200: RedactionStatus, 400: ApiError, 404: ApiError };
