// OpenInference's TraceConfig (masking before spans leave the app): register()'s `traceConfig`
// option over the OPENINFERENCE_* environment variables over the defaults, resolved by
// openinference-core's own generateTraceConfig. This file only checks what it is given first, so a
// typo is reported instead of silently recording what the app meant to hide.
import {
  generateTraceConfig,
  OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH,
  OPENINFERENCE_HIDE_EMBEDDING_VECTORS,
  OPENINFERENCE_HIDE_INPUT_IMAGES,
  OPENINFERENCE_HIDE_INPUT_MESSAGES,
  OPENINFERENCE_HIDE_INPUT_TEXT,
  OPENINFERENCE_HIDE_INPUTS,
  OPENINFERENCE_HIDE_LLM_TOOLS,
  OPENINFERENCE_HIDE_OUTPUT_MESSAGES,
  OPENINFERENCE_HIDE_OUTPUT_TEXT,
  OPENINFERENCE_HIDE_OUTPUTS,
  OPENINFERENCE_HIDE_PROMPTS,
  type TraceConfig,
  type TraceConfigOptions,
} from "@arizeai/openinference-core";
import { reject } from "./validate.ts";

export type { TraceConfig, TraceConfigOptions };

/** Each boolean option and the variable OpenInference reads it from. */
const FLAGS: Record<Exclude<keyof TraceConfigOptions, "base64ImageMaxLength">, string> = {
  hideInputs: OPENINFERENCE_HIDE_INPUTS,
  hideOutputs: OPENINFERENCE_HIDE_OUTPUTS,
  hideInputMessages: OPENINFERENCE_HIDE_INPUT_MESSAGES,
  hideOutputMessages: OPENINFERENCE_HIDE_OUTPUT_MESSAGES,
  hideInputText: OPENINFERENCE_HIDE_INPUT_TEXT,
  hideOutputText: OPENINFERENCE_HIDE_OUTPUT_TEXT,
  hideInputImages: OPENINFERENCE_HIDE_INPUT_IMAGES,
  hideEmbeddingVectors: OPENINFERENCE_HIDE_EMBEDDING_VECTORS,
  hideLLMTools: OPENINFERENCE_HIDE_LLM_TOOLS,
  hidePrompts: OPENINFERENCE_HIDE_PROMPTS,
};

/**
 * The full TraceConfig: each option given, else its OPENINFERENCE_* variable, else OpenInference's
 * default. Always resolved from an object: openinference-core ignores the environment when an
 * instrumentation is built with no traceConfig at all.
 */
export function resolveTraceConfig(options: unknown): TraceConfig {
  checkEnvironment();
  const clean: TraceConfigOptions = {};
  if (options === undefined) return generateTraceConfig(clean);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    reject("register", "traceConfig", "must be an object of OpenInference TraceConfig options; using the environment and defaults");
    return generateTraceConfig(clean);
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (key === "base64ImageMaxLength") {
      if (Number.isInteger(value) && (value as number) >= 0) clean.base64ImageMaxLength = value as number;
      else reject("register", `traceConfig.${key}`, `must be a non-negative integer, got ${JSON.stringify(value)}`);
    } else if (key in FLAGS) {
      if (typeof value === "boolean") clean[key as keyof typeof FLAGS] = value;
      else reject("register", `traceConfig.${key}`, `must be true or false, got ${JSON.stringify(value)}`);
    } else {
      reject("register", `traceConfig.${key}`, `is not a TraceConfig option (${[...Object.keys(FLAGS), "base64ImageMaxLength"].join(", ")})`);
    }
  }
  return generateTraceConfig(clean);
}

/** OpenInference reads any boolean text but "true" as false: say so, rather than record what was meant to be hidden. */
function checkEnvironment(): void {
  for (const variable of Object.values(FLAGS)) {
    const value = process.env[variable];
    if (value !== undefined && !/^(true|false)$/i.test(value)) {
      reject("register", variable, `must be "true" or "false", got ${JSON.stringify(value)}; OpenInference reads it as false`);
    }
  }
  const length = process.env[OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH];
  if (length !== undefined && !/^\s*\d+\s*$/.test(length)) {
    reject("register", OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH, `must be a whole number, got ${JSON.stringify(length)}; using the default`);
  }
}
