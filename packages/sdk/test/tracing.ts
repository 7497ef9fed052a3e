import { diag, DiagLogLevel } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { ThreadlineSpanProcessor, type ThreadlineSpanProcessorOptions } from "../src/index.ts";

/** A provider that keeps spans in memory, with the Threadline context processor first, like register() does. */
export function startInMemoryTracing(options?: ThreadlineSpanProcessorOptions) {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new ThreadlineSpanProcessor(options), new SimpleSpanProcessor(exporter)],
  });
  provider.register(); // AsyncLocalStorage context manager, needed for context to follow awaits
  const tracer = provider.getTracer("threadline-test");
  return {
    provider,
    tracer,
    exporter,
    /** Finished spans by name (throws when missing, to keep assertions short). */
    span(name: string) {
      const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
      if (!span) throw new Error(`no finished span named ${name}`);
      return span;
    },
    /** Starts and ends a span with the tracer, in the active context. */
    emit(name: string) {
      tracer.startSpan(name).end();
    },
  };
}

/** Collects `diag.warn` messages so tests can check that dropped input is reported. */
export function captureWarnings(): string[] {
  const warnings: string[] = [];
  const ignore = () => {};
  diag.setLogger(
    { warn: (message: string) => warnings.push(message), error: ignore, info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return warnings;
}

/** Runs `fn` with THREADLINE_STRICT=1, restoring the environment after. */
export async function strictly<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = process.env.THREADLINE_STRICT;
  process.env.THREADLINE_STRICT = "1";
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.THREADLINE_STRICT;
    else process.env.THREADLINE_STRICT = before;
  }
}
