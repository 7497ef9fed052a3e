// Spans for app code: chain, agent, tool, LLM, retriever and embedding wrappers built on
// openinference-core's withSpan, each usable three ways:
//   traceChain(fn, options?)          wraps a function (openinference-core's signature)
//   @traceChain                        TC39 method decorator, span named after the method
//   @traceChain({ name: "plan" })      decorator (or wrapper) factory with options
// and `getTracer(name)`, whose `tracer.chain` etc. are the TypeScript twins of Python's `@tracer.chain`.
import { trace, type Tracer } from "@opentelemetry/api";
import { withSpan, type SpanTraceOptions } from "@arizeai/openinference-core";

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

/** A span wrapper/decorator for any OpenInference span kind, optionally pinned to a tracer. */
export function spanWrapper(kind: SpanKindName, tracer?: Tracer): SpanWrapper {
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
 * created before `register()`.
 */
export function getTracer(name: string, version?: string): OpenInferenceTracer {
  return tracerWithHelpers(trace.getTracer(name, version));
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
