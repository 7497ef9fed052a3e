import { diag } from "@opentelemetry/api";
import { SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
// sdk-trace-node re-exports the sdk-trace-base it was built with; using it avoids mixing two SDK copies.
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ThreadlineSpanProcessor } from "./processor.ts";

export const DEFAULT_ENDPOINT = "http://localhost:4318";
const DEFAULT_PROJECT_NAME = "default";
// Stable OTel resource key; spelled out to avoid depending on @opentelemetry/semantic-conventions for one string.
const ATTR_SERVICE_NAME = "service.name";

export type RegisterOptions = {
  /** Project the traces belong to (`openinference.project.name`). */
  projectName: string;
  /** Base URL of the Threadline server; traces go to `${endpoint}/v1/traces`. Default `http://localhost:4318`. */
  endpoint?: string;
  /** Extra HTTP headers sent with every export (e.g. an auth token). */
  headers?: Record<string, string>;
  /** `service.name` resource attribute. Defaults to the project name. */
  serviceName?: string;
};

export type Threadline = {
  provider: NodeTracerProvider;
  /** Exports every pending span. Never rejects: failures are reported through `diag`. */
  forceFlush(): Promise<void>;
  /** Flushes and stops exporting. Never rejects: failures are reported through `diag`. */
  shutdown(): Promise<void>;
};

/**
 * Sets up OpenTelemetry to send traces to Threadline and registers it globally (tracer provider,
 * AsyncLocalStorage context manager, W3C propagators), so instrumentations and `with*` helpers work.
 */
export function register(options: RegisterOptions): Threadline {
  const projectName = nameOrDefault(options?.projectName, "projectName", DEFAULT_PROJECT_NAME);
  const serviceName = options?.serviceName === undefined ? projectName : nameOrDefault(options.serviceName, "serviceName", projectName);
  const url = `${baseUrlOrDefault(options?.endpoint)}/v1/traces`;

  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ [SEMRESATTRS_PROJECT_NAME]: projectName, [ATTR_SERVICE_NAME]: serviceName }),
    ),
    // Context processor first, so the attributes are on the span before anything else sees it.
    spanProcessors: [
      new ThreadlineSpanProcessor(),
      new BatchSpanProcessor(new OTLPTraceExporter({ url, headers: options?.headers })),
    ],
  });
  provider.register();

  return {
    provider,
    forceFlush: () => quietly("forceFlush", url, () => provider.forceFlush()),
    shutdown: () => quietly("shutdown", url, () => provider.shutdown()),
  };
}

function nameOrDefault(value: unknown, argument: string, fallback: string): string {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  diag.warn(`threadline: register: ${argument} must be a non-empty string; using "${fallback}"`);
  return fallback;
}

/** The endpoint without trailing slashes; the default when missing or not an http(s) URL. */
function baseUrlOrDefault(endpoint: unknown): string {
  if (endpoint === undefined) return DEFAULT_ENDPOINT;
  if (typeof endpoint === "string" && /^https?:$/.test(URL.parse(endpoint.trim())?.protocol ?? "")) {
    return endpoint.trim().replace(/\/+$/, "");
  }
  diag.warn(`threadline: register: endpoint must be an http(s) URL; using ${DEFAULT_ENDPOINT}`);
  return DEFAULT_ENDPOINT;
}

async function quietly(operation: string, url: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    diag.warn(`threadline: ${operation} failed; spans may be lost (is Threadline reachable at ${url}?)`, error);
  }
}
