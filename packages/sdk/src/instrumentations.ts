import { diag, type TracerProvider } from "@opentelemetry/api";
import type { TraceConfig } from "./trace-config.ts";

/** What `register()` needs from an OpenTelemetry instrumentation (any `InstrumentationBase` fits). */
export type Instrumentation = {
  instrumentationName: string;
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable(): void;
};

/** An instrumentation that also patches a module handed to it: needed for ES modules, which are not hooked. */
type ManualInstrumentation = Instrumentation & { manuallyInstrument?(module: unknown): void };

/** The OpenInference instrumentations `autoInstrument` knows, and the library each one patches. */
export const KNOWN_INSTRUMENTATIONS = [
  { name: "openai", packageName: "@arizeai/openinference-instrumentation-openai", exportName: "OpenAIInstrumentation", target: "openai" },
  { name: "anthropic", packageName: "@arizeai/openinference-instrumentation-anthropic", exportName: "AnthropicInstrumentation", target: "@anthropic-ai/sdk" },
  { name: "langchain", packageName: "@arizeai/openinference-instrumentation-langchain", exportName: "LangChainInstrumentation", target: "@langchain/core/callbacks/manager" },
  { name: "bedrock", packageName: "@arizeai/openinference-instrumentation-bedrock", exportName: "BedrockInstrumentation", target: "@aws-sdk/client-bedrock-runtime" },
  { name: "bedrock-agent-runtime", packageName: "@arizeai/openinference-instrumentation-bedrock-agent-runtime", exportName: "BedrockAgentInstrumentation", target: "@aws-sdk/client-bedrock-agent-runtime" },
  // MCP's manual form takes several of the SDK's modules at once; it is left to its require hooks.
  { name: "mcp", packageName: "@arizeai/openinference-instrumentation-mcp", exportName: "MCPInstrumentation", target: undefined },
] as const;

export type AutoInstrumentReport = {
  /** Instrumentations found and enabled, by short name (e.g. "openai"). */
  loaded: string[];
  /** Known instrumentations whose package is not installed. */
  notInstalled: string[];
  /** Installed but could not be loaded or enabled (the reason went to `diag`). */
  failed: string[];
};

/**
 * Points the given instrumentations at `provider` and turns them on; a faulty one is reported, not thrown.
 * An OpenInference instrumentation built without a traceConfig gets `traceConfig`, so what register()
 * was told to hide is hidden there too (its own traceConfig, when it has one, is left alone).
 */
export function enableInstrumentations(
  instrumentations: readonly Instrumentation[],
  provider: TracerProvider,
  traceConfig?: TraceConfig,
): Instrumentation[] {
  const enabled: Instrumentation[] = [];
  for (const instrumentation of instrumentations) {
    try {
      // Every @arizeai/openinference-instrumentation-* keeps its constructor's traceConfig in this field,
      // and setTracerProvider builds its masking tracer from it.
      if (traceConfig && Object.hasOwn(instrumentation, "traceConfig") && (instrumentation as { traceConfig?: unknown }).traceConfig === undefined) {
        (instrumentation as { traceConfig?: unknown }).traceConfig = traceConfig;
      }
      instrumentation.setTracerProvider(provider);
      instrumentation.enable();
      enabled.push(instrumentation);
    } catch (error) {
      diag.warn(`threadline: register: could not enable instrumentation ${describeInstrumentation(instrumentation)}`, error);
    }
  }
  return enabled;
}

/**
 * Loads every known OpenInference instrumentation that is installed (dynamic import, so none is a
 * dependency), enables it for `provider`, and patches its library directly when that is installed too,
 * which ES-module apps need. `enabled` receives each instrumentation as soon as it is on. Each is built
 * with `{ traceConfig }`, OpenInference's masking options.
 */
export async function autoInstrument(provider: TracerProvider, enabled: Instrumentation[], traceConfig?: TraceConfig): Promise<AutoInstrumentReport> {
  const report: AutoInstrumentReport = { loaded: [], notInstalled: [], failed: [] };
  await Promise.all(
    KNOWN_INSTRUMENTATIONS.map(async ({ name, packageName, exportName, target }) => {
      const exports = await importIfInstalled(packageName);
      if (exports === MISSING) return void report.notInstalled.push(name);
      if (exports === FAILED) return void report.failed.push(name);
      try {
        const Instrumentation = (exports as Record<string, unknown>)[exportName] as new (config?: { traceConfig?: TraceConfig }) => ManualInstrumentation;
        const instrumentation = new Instrumentation({ traceConfig });
        if (enableInstrumentations([instrumentation], provider).length === 0) return void report.failed.push(name);
        enabled.push(instrumentation);
        const library = target === undefined ? MISSING : await importIfInstalled(target);
        if (library !== MISSING && library !== FAILED) instrumentation.manuallyInstrument?.(patchable(library));
        report.loaded.push(name);
      } catch (error) {
        diag.warn(`threadline: autoInstrument: could not load ${packageName}`, error);
        report.failed.push(name);
      }
    }),
  );
  for (const list of Object.values(report)) list.sort();
  diag.info(
    `threadline: autoInstrument: loaded ${report.loaded.join(", ") || "none"}; ` +
      `not installed: ${report.notInstalled.join(", ") || "none"}${report.failed.length ? `; failed: ${report.failed.join(", ")}` : ""}`,
  );
  return report;
}

/**
 * What to hand manuallyInstrument: the default export when there is one (the OpenAI and Anthropic
 * classes, or a CommonJS module's exports), since the instrumentations mark what they patched on it
 * and an ES module namespace is frozen; the namespace otherwise.
 */
function patchable(library: unknown): unknown {
  const fallback = (library as { default?: unknown }).default;
  return (typeof fallback === "object" && fallback !== null) || typeof fallback === "function" ? fallback : library;
}

const MISSING = Symbol("missing");
const FAILED = Symbol("failed");

/** The module, MISSING when the package itself is not installed, FAILED (reported) for any other error. */
async function importIfInstalled(specifier: string): Promise<unknown> {
  try {
    return await import(specifier);
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    // A missing dependency of an installed package has the same code; only its own name means "not installed".
    const notFound = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
    if (notFound && String(message).includes(`'${packageOf(specifier)}`)) return MISSING;
    diag.warn(`threadline: autoInstrument: could not import ${specifier}`, error);
    return FAILED;
  }
}

function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function describeInstrumentation(value: unknown): string {
  return typeof value === "object" && value !== null && "instrumentationName" in value ? String(value.instrumentationName) : typeof value;
}
