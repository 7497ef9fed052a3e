import { diag, DiagLogLevel } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { ThreadlineSpanProcessor } from "../src/index.ts";

/** A provider that keeps spans in memory, with the Threadline context processor first, like register() does. */
export function startInMemoryTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new ThreadlineSpanProcessor(), new SimpleSpanProcessor(exporter)],
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
