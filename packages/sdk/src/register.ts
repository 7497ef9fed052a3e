import { OITracer } from "@arizeai/openinference-core";
import { diag } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
// sdk-trace-node re-exports the sdk-trace-base it was built with; using it avoids mixing two SDK copies.
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-node";
import { OutboundOnlyBaggagePropagator } from "./baggage.ts";
import { DEFAULT_ENDPOINT, resolveConnection } from "./config.ts";
import { autoInstrument, enableInstrumentations, type AutoInstrumentReport, type Instrumentation } from "./instrumentations.ts";
import { ThreadlineSpanProcessor } from "./processor.ts";
import { resolveTraceConfig, type TraceConfig, type TraceConfigOptions } from "./trace-config.ts";
import { setActiveTraceConfig, tracerWithHelpers, type OpenInferenceTracer } from "./tracing.ts";
import { setStrictMode } from "./validate.ts";

export { DEFAULT_ENDPOINT };

// Resource keys, spelled out to avoid two dependencies for two strings.
const ATTR_SERVICE_NAME = "service.name";
const ATTR_PROJECT_NAME = "openinference.project.name";

export type RegisterOptions = {
  /** Project the traces belong to. Default: THREADLINE_PROJECT, else "default". */
  projectName?: string;
  /**
   * Base URL of the Threadline server; spans go to `${endpoint}/v1/traces`. Default: THREADLINE_ENDPOINT,
   * then OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL), OTEL_EXPORTER_OTLP_ENDPOINT, then http://localhost:4318.
   */
  endpoint?: string;
  /** Sent as `authorization: Bearer <apiKey>`. Default: THREADLINE_API_KEY. */
  apiKey?: string;
  /** Extra HTTP headers for every export (OTEL_EXPORTER_OTLP_HEADERS is honoured too). */
  headers?: Record<string, string>;
  /** `service.name` resource attribute. Default: OTEL_SERVICE_NAME, else the project name. */
  serviceName?: string;
  /** Export in batches in the background (default true); false exports each span as it ends, for scripts and tests. */
  batch?: boolean;
  /** OpenTelemetry instrumentations to enable with this provider (HTTP, databases, OpenInference, ...). */
  instrumentations?: Instrumentation[];
  /** Load every installed OpenInference instrumentation register() knows; `instrumented` tells which. */
  autoInstrument?: boolean;
  /** Throw a TypeError on invalid input instead of warning and dropping it (also THREADLINE_STRICT=1). For tests. */
  strict?: boolean;
  /**
   * Drop W3C baggage that arrives with inbound requests, and never take session or user ids from it.
   * For a service at a trust boundary (facing the internet): otherwise callers could choose them.
   */
  ignoreInboundBaggage?: boolean;
  /** Send spans here instead of OTLP/HTTP to Threadline, e.g. a ConsoleSpanExporter or an in-memory one. */
  exporter?: SpanExporter;
  /**
   * OpenInference's masking (`hideInputs`, `hideOutputs`, `hideInputMessages`, `hideOutputText`, ...),
   * applied in the app before spans are exported: by the instrumentations register() loads or enables
   * and by its span helpers. Each option over its OPENINFERENCE_* environment variable over the default.
   */
  traceConfig?: TraceConfigOptions;
};

export type Threadline = {
  provider: NodeTracerProvider;
  /** A tracer of this provider named after the project, with `.chain`, `.agent`, `.tool`, ... helpers. */
  tracer: OpenInferenceTracer;
  /** Which OpenInference instrumentations `autoInstrument` loaded (settles at once without it). */
  instrumented: Promise<AutoInstrumentReport>;
  /** The resolved TraceConfig, for instrumentations you build yourself: `new XInstrumentation({ traceConfig })`. */
  traceConfig: TraceConfig;
  /** Exports every pending span. Never rejects: failures are reported through `diag`. */
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and disables the instrumentations it enabled. Never rejects. */
  shutdown(): Promise<void>;
};

/**
 * Sets up OpenTelemetry to send traces to Threadline and registers it globally (tracer provider,
 * AsyncLocalStorage context manager, W3C trace-context and baggage propagators), so instrumentations
 * and the `with*` helpers work. Call it once per process, before the code it should trace is loaded.
 */
export function register(options: RegisterOptions = {}): Threadline {
  if (typeof options !== "object" || options === null) options = {};
  if (options.strict !== undefined) setStrictMode(options.strict === true);
  const connection = resolveConnection(options);
  const traceConfig = resolveTraceConfig(options.traceConfig);
  setActiveTraceConfig(traceConfig);
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: connection.tracesUrl, headers: connection.headers });

  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_PROJECT_NAME]: connection.projectName, [ATTR_SERVICE_NAME]: connection.serviceName }),
    ),
    // Context processor first, so the attributes are on the span before anything else sees it.
    spanProcessors: [
      new ThreadlineSpanProcessor({ readBaggage: options.ignoreInboundBaggage !== true }),
      options.batch === false ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  const baggage = options.ignoreInboundBaggage === true ? new OutboundOnlyBaggagePropagator() : new W3CBaggagePropagator();
  provider.register({ propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), baggage] }) });

  const enabled = enableInstrumentations(options.instrumentations ?? [], provider, traceConfig);
  const instrumented =
    options.autoInstrument === true
      ? autoInstrument(provider, enabled, traceConfig)
      : Promise.resolve({ loaded: [], notInstalled: [], failed: [] });

  const where = options.exporter ? "the configured exporter" : connection.tracesUrl;
  return {
    provider,
    tracer: tracerWithHelpers(new OITracer({ tracer: provider.getTracer(connection.projectName), traceConfig })),
    instrumented,
    traceConfig,
    forceFlush: () => quietly("forceFlush", where, () => provider.forceFlush()),
    shutdown: () =>
      quietly("shutdown", where, async () => {
        await instrumented.catch(() => undefined);
        for (const instrumentation of enabled) instrumentation.disable();
        await provider.shutdown();
      }),
  };
}

async function quietly(operation: string, where: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    diag.warn(`threadline: ${operation} failed; spans may be lost (is Threadline reachable at ${where}?)`, error);
  }
}
