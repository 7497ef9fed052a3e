// Redaction settings as the configuration file writes them (server-wide `redaction`, and
// `projects.<name>.redaction` over it), what a project ends up with, and the checks that refuse
// a bad one before the server starts.
import { RE2JS } from "re2js";
import { Type, type Static } from "typebox";
import { BUILT_IN_DETECTORS, ON_BY_DEFAULT, type BuiltInDetector } from "./detectors.ts";

export const RedactionSchema = Type.Object({
  api_key: Type.Optional(Type.Boolean({ description: "API keys and tokens (default on)" })),
  card: Type.Optional(Type.Boolean({ description: "card numbers that pass the Luhn check" })),
  email: Type.Optional(Type.Boolean({ description: "email addresses" })),
  phone: Type.Optional(Type.Boolean({ description: "phone numbers with their area code" })),
  /** Your own, in RE2 syntax (linear-time matching; no lookaround or backreferences). */
  patterns: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ pattern: "^[a-z][a-z0-9_]*$", maxLength: 64 }),
    pattern: Type.String({ minLength: 1, maxLength: 2000 }),
  }, { additionalProperties: false }))),
}, { additionalProperties: false });
export type RedactionSettings = Static<typeof RedactionSchema>;

export interface CustomPattern {
  name: string;
  pattern: string;
}

/** What one project redacts: the built-ins turned on, in the order they apply, then its own patterns. */
export interface ProjectRedaction {
  detectors: BuiltInDetector[];
  patterns: CustomPattern[];
}

/** Everything an ingest thread needs to redact (plain data: it crosses to worker threads). */
export interface RedactionPlan {
  defaults?: RedactionSettings;
  projects?: Record<string, { redaction?: RedactionSettings } | undefined>;
  /** The per-install key of identity pseudonyms (secret.ts), hex. */
  secret: string;
}

/** Each field a project sets replaces the server-wide one, which replaces the built-in default. */
export function projectRedaction(defaults: RedactionSettings | undefined, own: RedactionSettings | undefined): ProjectRedaction {
  const on = (name: BuiltInDetector) => own?.[name] ?? defaults?.[name] ?? ON_BY_DEFAULT[name];
  return { detectors: BUILT_IN_DETECTORS.filter(on), patterns: own?.patterns ?? defaults?.patterns ?? [] };
}

/**
 * What is wrong with the settings, naming the field (e.g. `projects.shop.redaction.patterns.0.pattern`),
 * or null. Patterns are compiled by RE2 (re2js), which matches in time linear in the text whatever the
 * pattern, so a pattern can be slow to match only in proportion to what it reads, never catastrophically.
 */
export function redactionProblem(defaults: RedactionSettings | undefined, projects: RedactionPlan["projects"] = {}): string | null {
  const all: Array<[string, RedactionSettings | undefined]> = [["redaction", defaults], ...Object.entries(projects).map(([name, p]): [string, RedactionSettings | undefined] => [`projects.${name}.redaction`, p?.redaction])];
  for (const [field, settings] of all) {
    const seen = new Set<string>();
    for (const [i, { name, pattern }] of (settings?.patterns ?? []).entries()) {
      const at = `${field}.patterns.${i}`;
      if ((BUILT_IN_DETECTORS as readonly string[]).includes(name)) return `${at}.name: "${name}" is a built-in detector; turn it on with ${field}.${name}: true`;
      if (seen.has(name)) return `${at}.name: "${name}" is used twice`;
      seen.add(name);
      const problem = patternProblem(pattern);
      if (problem) return `${at}.pattern: ${problem}`;
    }
  }
  return null;
}

function patternProblem(pattern: string): string | null {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    return `not a valid RE2 expression (${(error as Error).message}); lookaround and backreferences are not supported`;
  }
  // A pattern that matches nothing at all would "redact" every position of every text.
  if (compiled.matcher("").find()) return `${JSON.stringify(pattern)} matches the empty text`;
  return null;
}
