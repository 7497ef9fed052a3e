// Spans for app code: chain, agent, tool, LLM, retriever and embedding wrappers built on
// openinference-core's withSpan, each usable three ways:
//   traceChain(fn, options?)          wraps a function (openinference-core's signature)
//   @traceChain                        TC39 method decorator, span named after the method
//   @traceChain({ name: "plan" })      decorator (or wrapper) factory with options
// and `getTracer(name)`, whose `tracer.chain` etc. are the TypeScript twins of Python's `@tracer.chain`.
import { trace, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";
import { OITracer, withSpan, type SpanTraceOptions, type TraceConfig } from "@arizeai/openinference-core";

export type { SpanTraceOptions } from "@arizeai/openinference-core";

type AnyFunction = (...args: never[]) => unknown;
export type TraceOptions = Omit<SpanTraceOptions, "kind">;
export type SpanKindName = NonNullable<SpanTraceOptions["kind"]>;

/** Wraps or decorates a function/method so each call is a span of one OpenInference kind. */
export type SpanWrapper = {
  <F extends AnyFunction>(fn: F, options?: TraceOptions): F;
  <F extends AnyFunction>(method: F, decoratorContext: ClassMethodDecoratorContext): F;
  (options: TraceOptions): <F extends AnyFunction>(fn: F, decoratorContext?: ClassMethodDecoratorContext) => F;
};

let activeTraceConfig: TraceConfig | undefined;

/** Set by register(): what the SDK's own span helpers hide (OpenInference TraceConfig). */
export function setActiveTraceConfig(config: TraceConfig | undefined): void {
  activeTraceConfig = config;
}

/**
 * A tracer resolved through the global provider at each span, masking with register()'s TraceConfig
 * (openinference-core's OITracer). Decorators are applied when a class is defined, often before
 * register() runs, so the configuration is looked up when the span starts, not when it is wrapped.
 */
class ConfiguredTracer implements Tracer {
  readonly #name: string;
  readonly #version: string | undefined;
  #masking: { config: TraceConfig; tracer: OITracer } | undefined;

  constructor(name: string, version?: string) {
    this.#name = name;
    this.#version = version;
  }

  #current(): Tracer {
    const plain = trace.getTracer(this.#name, this.#version); // a proxy: follows the global provider
    const config = activeTraceConfig;
    if (config === undefined) return plain;
    if (this.#masking?.config !== config) this.#masking = { config, tracer: new OITracer({ tracer: plain, traceConfig: config }) };
    return this.#masking.tracer;
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return this.#current().startSpan(name, options, context);
  }

  startActiveSpan(...args: unknown[]): never {
    return (this.#current().startActiveSpan as (...args: unknown[]) => never)(...args);
  }
}

/** The tracer of the helpers not given one: openinference-core's default name, masked like register() says. */
const DEFAULT_TRACER = new ConfiguredTracer("openinference-core");

/** A span wrapper/decorator for any OpenInference span kind, optionally pinned to a tracer. */
export function spanWrapper(kind: SpanKindName, tracer: Tracer = DEFAULT_TRACER): SpanWrapper {
  const traced = <F extends AnyFunction>(fn: F, options: TraceOptions | undefined, methodName?: string): F =>
    withSpan(fn as unknown as (...args: unknown[]) => unknown, {
      tracer,
      ...options,
      name: options?.name ?? methodName,
      kind,
    }) as unknown as F;

  function wrap(first: AnyFunction | TraceOptions, second?: TraceOptions | ClassMethodDecoratorContext): unknown {
    if (typeof first === "function") {
      return isDecoratorContext(second) ? traced(first, undefined, String(second.name)) : traced(first, second as TraceOptions | undefined);
    }
    const options = first ?? {};
    return <F extends AnyFunction>(fn: F, decoratorContext?: ClassMethodDecoratorContext): F =>
      traced(fn, options, isDecoratorContext(decoratorContext) ? String(decoratorContext.name) : undefined);
  }
  return wrap as SpanWrapper;
}

/** A span for a step of a pipeline or workflow (OpenInference kind CHAIN). */
export const traceChain = spanWrapper("CHAIN");
/** A span for an agent's turn (AGENT). */
export const traceAgent = spanWrapper("AGENT");
/** A span for a tool call (TOOL). */
export const traceTool = spanWrapper("TOOL");
/** A span for a model call you make without an instrumentation (LLM). */
export const traceLLM = spanWrapper("LLM");
/** A span for document retrieval (RETRIEVER). */
export const traceRetriever = spanWrapper("RETRIEVER");
/** A span for an embedding call (EMBEDDING). */
export const traceEmbedding = spanWrapper("EMBEDDING");

/** An OpenTelemetry tracer with OpenInference span wrappers/decorators: `@tracer.chain`, `tracer.tool(fn)`. */
export type OpenInferenceTracer = Tracer & {
  chain: SpanWrapper;
  agent: SpanWrapper;
  tool: SpanWrapper;
  llm: SpanWrapper;
  retriever: SpanWrapper;
  embedding: SpanWrapper;
};

/**
 * `getTracer("support-bot")`: like `trace.getTracer`, plus `.chain`, `.agent`, `.tool`, `.llm`,
 * `.retriever` and `.embedding`. Resolved through the global provider at each call, so it can be
 * created before `register()`, and masks what register()'s `traceConfig` hides.
 */
export function getTracer(name: string, version?: string): OpenInferenceTracer {
  return tracerWithHelpers(new ConfiguredTracer(name, version));
}

export function tracerWithHelpers(tracer: Tracer): OpenInferenceTracer {
  return {
    startSpan: tracer.startSpan.bind(tracer),
    startActiveSpan: tracer.startActiveSpan.bind(tracer) as Tracer["startActiveSpan"],
    chain: spanWrapper("CHAIN", tracer),
    agent: spanWrapper("AGENT", tracer),
    tool: spanWrapper("TOOL", tracer),
    llm: spanWrapper("LLM", tracer),
    retriever: spanWrapper("RETRIEVER", tracer),
    embedding: spanWrapper("EMBEDDING", tracer),
  };
}

function isDecoratorContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "method" && "name" in value;
}
