// Resolves register()'s options against the environment: explicit options first, then THREADLINE_*,
// then the standard OTEL_EXPORTER_OTLP_* variables, then defaults. Invalid values are reported and skipped.
import { reject } from "./validate.ts";

export const DEFAULT_ENDPOINT = "http://localhost:4318";
export const DEFAULT_PROJECT_NAME = "default";
const TRACES_PATH = "/v1/traces";

export type ConnectionOptions = {
  projectName?: string;
  serviceName?: string;
  endpoint?: string;
  apiKey?: string;
  headers?: Record<string, string>;
};

export type Connection = {
  projectName: string;
  serviceName: string;
  /** The full OTLP/HTTP traces URL. */
  tracesUrl: string;
  headers: Record<string, string>;
};

type Env = Record<string, string | undefined>;

export function resolveConnection(options: ConnectionOptions, env: Env = process.env): Connection {
  const projectName =
    name(options.projectName, "projectName") ?? name(env.THREADLINE_PROJECT, "THREADLINE_PROJECT") ?? DEFAULT_PROJECT_NAME;
  const serviceName = name(options.serviceName, "serviceName") ?? name(env.OTEL_SERVICE_NAME, "OTEL_SERVICE_NAME") ?? projectName;
  return { projectName, serviceName, tracesUrl: tracesUrl(options.endpoint, env), headers: headers(options, env) };
}

function tracesUrl(endpoint: string | undefined, env: Env): string {
  // Threadline's endpoints are base URLs; OTLP's signal-specific variable is the full URL, per the OTLP spec.
  const candidates: Array<[value: string | undefined, argument: string, isBase: boolean]> = [
    [endpoint, "endpoint", true],
    [env.THREADLINE_ENDPOINT, "THREADLINE_ENDPOINT", true],
    [env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", false],
    [env.OTEL_EXPORTER_OTLP_ENDPOINT, "OTEL_EXPORTER_OTLP_ENDPOINT", true],
  ];
  for (const [value, argument, isBase] of candidates) {
    if (value === undefined || (argument !== "endpoint" && value.trim() === "")) continue;
    const url = httpUrl(value);
    if (url === undefined) {
      reject("register", argument, `must be an http(s) URL, got ${JSON.stringify(value)}; trying the next setting`);
      continue;
    }
    if (!isBase || url.endsWith(TRACES_PATH)) return url;
    return url + TRACES_PATH;
  }
  return DEFAULT_ENDPOINT + TRACES_PATH;
}

/** Options' headers over an `authorization: Bearer` from the API key; OTEL_EXPORTER_OTLP_HEADERS is merged by the exporter. */
function headers(options: ConnectionOptions, env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  if (options.headers !== undefined) {
    if (typeof options.headers !== "object" || options.headers === null) reject("register", "headers", "must be an object of strings");
    else {
      for (const [key, value] of Object.entries(options.headers)) {
        if (typeof value === "string") result[key] = value;
        else reject("register", `headers["${key}"]`, "must be a string");
      }
    }
  }
  const apiKey = options.apiKey ?? env.THREADLINE_API_KEY;
  const hasAuthorization = Object.keys(result).some((key) => key.toLowerCase() === "authorization");
  if (apiKey !== undefined && !hasAuthorization) {
    if (typeof apiKey === "string" && apiKey.trim() !== "") result.authorization = `Bearer ${apiKey.trim()}`;
    else reject("register", options.apiKey === undefined ? "THREADLINE_API_KEY" : "apiKey", "must be a non-empty string");
  }
  return result;
}

function name(value: unknown, argument: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  reject("register", argument, "must be a non-empty string; using the next setting");
  return undefined;
}

/** The URL without trailing slashes, or undefined when it is not an http(s) URL. */
function httpUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  const protocol = URL.parse(trimmed)?.protocol;
  return protocol === "http:" || protocol === "https:" ? trimmed.replace(/\/+$/, "") : undefined;
}
