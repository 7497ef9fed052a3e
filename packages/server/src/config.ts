// The server's configuration: a JSON file (--config), then THREADLINE_* environment variables,
// then command-line flags, each layer checked by one schema before anything starts, with
// messages that name the file, variable or flag and the field that is wrong.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { Type, type Static } from "typebox";
import { RedactionSchema, redactionProblem } from "./normalize/redact/settings.ts";

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
/** "30s", "15m", "2h", "1d", "500ms". */
const Duration = Type.String({ pattern: "^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$", description: "a duration such as 30s, 15m or 2h" });
const Positive = Type.Integer({ minimum: 1 });
/** What an evaluator's bad result looks like: its label, and whether a higher score is worse (the "worst sessions" links). */
const Worst = Type.Optional(Type.Object({ label: Type.Union([Type.String(), Type.Null()]), score: Type.Enum(["higher", "lower"]) }, { additionalProperties: false }));
const EvaluatorName = { propertyNames: { pattern: "^[a-z][a-z0-9_]*$" } };

export const ConfigSchema = Type.Object({
  host: Type.Optional(Type.String({ minLength: 1 })),
  port: Type.Optional(Port),
  /** false: no OTLP/gRPC. */
  grpcPort: Type.Optional(Type.Union([Type.Literal(false), Port])),
  dataDir: Type.Optional(Type.String({ minLength: 1 })),
  /** clickhouse://user:password@host:8123/database or chdb:PATH (docs/clickhouse.md); absent: SQLite in dataDir. */
  store: Type.Optional(Type.String({ minLength: 1 })),
  pricesFile: Type.Optional(Type.String({ minLength: 1 })),
  auth: Type.Optional(Type.Enum(["open", "required"])),
  insecure: Type.Optional(Type.Boolean()),
  tlsCert: Type.Optional(Type.String({ minLength: 1 })),
  tlsKey: Type.Optional(Type.String({ minLength: 1 })),
  trustProxy: Type.Optional(Type.Boolean()),
  maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
  walLimitBytes: Type.Optional(Type.Integer({ minimum: 1024 * 1024 })),
  maxSubscribers: Type.Optional(Positive),
  writeQueue: Type.Optional(Type.Object({ maxSpans: Type.Optional(Positive), maxBytes: Type.Optional(Positive) }, { additionalProperties: false })),
  /** Days of data each project keeps (by a trace's start); absent or null: everything. */
  retentionDays: Type.Optional(Type.Union([Positive, Type.Null()])),
  /** What is redacted before anything is stored (docs/redaction.md); per project in `projects`. */
  redaction: Type.Optional(RedactionSchema),
  /** Settings of one project, by name, over the defaults. */
  projects: Type.Optional(Type.Record(Type.String(), Type.Object({
    retentionDays: Type.Optional(Type.Union([Positive, Type.Null()])),
    sessionIdle: Type.Optional(Duration),
    redaction: Type.Optional(RedactionSchema),
  }, { additionalProperties: false }))),
  /** Quiet time after which a session is idle and its evaluations run. */
  sessionIdle: Type.Optional(Duration),
  /** The built-in evaluators to run; default all of them, [] none. */
  evaluators: Type.Optional(Type.Array(Type.Enum(["user_frustration", "errors", "repetition", "unanswered"]))),
  /** LLM-as-judge evaluators: any OpenAI-compatible endpoint. */
  llm: Type.Optional(Type.Object({
    baseUrl: Type.String({ minLength: 1, description: "e.g. http://127.0.0.1:11434/v1" }),
    model: Type.String({ minLength: 1 }),
    apiKey: Type.Optional(Type.String()),
    dailyCalls: Type.Optional(Positive),
    dailyTokens: Type.Optional(Positive),
    maxTranscriptTokens: Type.Optional(Positive),
    /** The default judges to run (coherence, goal_completion, knowledge_retention, llm_user_frustration); default all. */
    judges: Type.Optional(Type.Array(Type.String())),
    /** Judges of your own, or defaults with another prompt: a template and what its answer may be. */
    templates: Type.Optional(Type.Record(Type.String(), Type.Object({
      description: Type.Optional(Type.String()),
      template: Type.String({ minLength: 1, pattern: "\\{\\{(transcript|user_messages|first_input|last_output)\\}\\}" }),
      labels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 2 })),
      score: Type.Optional(Type.Tuple([Type.Number(), Type.Number()])),
      worst: Worst,
    }, { additionalProperties: false }), EvaluatorName)),
  }, { additionalProperties: false })),
  /** Evaluators of your own: a JavaScript/TypeScript module exporting a function from the transcript to a result (evaluate/code/). */
  codeEvaluators: Type.Optional(Type.Record(Type.String(), Type.Object({
    /** Relative to the configuration file's folder. */
    module: Type.String({ minLength: 1 }),
    export: Type.Optional(Type.String({ minLength: 1 })),
    description: Type.Optional(Type.String()),
    /** Up to the runner's lease on a job (two minutes). */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 120_000 })),
    worst: Worst,
  }, { additionalProperties: false }), EvaluatorName)),
  caps: Type.Optional(Type.Object({
    maxSpansPerRequest: Type.Optional(Positive), maxAttributesPerSpan: Type.Optional(Positive), maxValueChars: Type.Optional(Positive),
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export type Config = Static<typeof ConfigSchema>;

/** The environment variables that override a field of the file (strings, converted by the schema). */
export const ENV_FIELDS: Record<string, keyof Config> = {
  THREADLINE_HOST: "host", THREADLINE_PORT: "port", THREADLINE_GRPC_PORT: "grpcPort", THREADLINE_DATA_DIR: "dataDir",
  THREADLINE_PRICES: "pricesFile", THREADLINE_AUTH: "auth", THREADLINE_INSECURE: "insecure",
  THREADLINE_MAX_BODY_BYTES: "maxBodyBytes", THREADLINE_WAL_LIMIT_BYTES: "walLimitBytes", THREADLINE_RETENTION_DAYS: "retentionDays",
  THREADLINE_SESSION_IDLE: "sessionIdle", THREADLINE_TLS_CERT: "tlsCert", THREADLINE_TLS_KEY: "tlsKey", THREADLINE_TRUST_PROXY: "trustProxy",
  THREADLINE_STORE: "store",
};

/** The command-line flag of each field that has one (--no-grpc sets grpcPort to false). */
export const FLAGS: Partial<Record<keyof Config, string>> = {
  port: "port", grpcPort: "grpc-port", host: "host", dataDir: "data-dir", pricesFile: "prices", auth: "auth", insecure: "insecure",
  retentionDays: "retention-days", sessionIdle: "session-idle", tlsCert: "tls-cert", tlsKey: "tls-key", trustProxy: "trust-proxy",
  store: "store",
};

export class ConfigError extends Error {}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A Duration's milliseconds. */
export function durationMs(text: string): number {
  const [, amount, unit] = /^([0-9.]+)(ms|s|m|h|d)$/.exec(text)!;
  return Number(amount) * UNIT_MS[unit];
}

/** The server's options from a checked configuration (durations in milliseconds). */
export function serverOptions(config: Config) {
  // Code evaluators are loaded apart (evaluate/code/), into a worker thread, before the server starts.
  const { sessionIdle, projects, codeEvaluators: _loadedApart, ...rest } = config;
  return {
    ...rest,
    sessionIdleMs: sessionIdle ? durationMs(sessionIdle) : undefined,
    projects: projects && Object.fromEntries(Object.entries(projects).map(([name, p]) => [name, {
      retentionDays: p.retentionDays, sessionIdleMs: p.sessionIdle ? durationMs(p.sessionIdle) : undefined, redaction: p.redaction,
    }])),
  };
}

const exact = new Ajv({ allErrors: false, strict: false }).compile(ConfigSchema);
const coercing = new Ajv({ allErrors: false, strict: false, coerceTypes: true }).compile(ConfigSchema);

/** The file, the environment and the flags, later ones winning; throws ConfigError naming what is wrong. */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv, flags: Config): Config {
  let fromFile: Config = {};
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ConfigError(`${file}: ${(error as Error).message}`);
    }
    if (!exact(parsed)) throw new ConfigError(`${file}: ${describe(exact.errors![0])}`);
    fromFile = parsed as Config;
    // Regular expressions are compiled, not just typed: a bad one stops the start here.
    const redaction = redactionProblem(fromFile.redaction, fromFile.projects);
    if (redaction) throw new ConfigError(`${file}: ${redaction}`);
  }
  const fromEnv: Record<string, unknown> = {};
  // The judge's endpoint, model and key, as a deployment's secrets usually arrive.
  const llmEnv = Object.fromEntries(Object.entries({ baseUrl: env.THREADLINE_LLM_BASE_URL, model: env.THREADLINE_LLM_MODEL, apiKey: env.THREADLINE_LLM_API_KEY }).filter(([, v]) => v));
  if (Object.keys(llmEnv).length) fromEnv.llm = { ...fromFile.llm, ...llmEnv };
  for (const [name, field] of Object.entries(ENV_FIELDS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    const one: Record<string, unknown> = { [field]: field === "grpcPort" && value === "false" ? false : value };
    if (!coercing(one)) throw new ConfigError(`${name}: ${describe(coercing.errors![0]).replace(/^\S+ /, "")}`);
    Object.assign(fromEnv, one);
  }
  if (!coercing(flags)) {
    const error = coercing.errors![0];
    const field = error.instancePath.slice(1) as keyof Config;
    throw new ConfigError(`--${FLAGS[field] ?? field} ${describe(error).replace(/^\S+ /, "")}`);
  }
  return { ...fromFile, ...fromEnv, ...flags };
}

function describe(error: ErrorObject): string {
  const field = error.instancePath.replace(/^\//, "").replace(/\//g, ".") || "the configuration";
  // A record's key that is refused (propertyNames): name the key itself.
  if (typeof error.propertyName === "string") return `${field}.${error.propertyName}: the name ${error.message ?? "is invalid"}`;
  if (error.keyword === "additionalProperties") {
    return `unknown field ${field === "the configuration" ? "" : `${field}.`}${String(error.params.additionalProperty)}`;
  }
  if (error.keyword === "enum") return `${field} must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
  return `${field} ${error.message ?? "is invalid"}`;
}
