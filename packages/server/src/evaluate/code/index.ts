// Evaluators of your own, declared under `codeEvaluators` in the configuration file: each a
// JavaScript or TypeScript module exporting a function from the session's transcript to a result,
// run like the built-ins. The modules live in one worker thread, so one that loops or throws
// cannot block or crash the server. Loading waits for every module: a missing file, an import
// that throws, an export that is not a function or a name already taken refuses the start with a
// ConfigError naming the file, the evaluator and the field.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, type Config } from "../../config.ts";
import { BUILT_IN_EVALUATORS } from "../evaluators/index.ts";
import type { Evaluator } from "../evaluators/types.ts";
import { DEFAULT_JUDGES } from "../llm/templates.ts";
import { toResult } from "./result.ts";
import { ModuleThread } from "../thread/thread.ts";
import type { ModuleToLoad } from "../thread/worker.ts";

export type CodeEvaluatorSpecs = NonNullable<Config["codeEvaluators"]>;

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The loaded evaluators, and their thread to stop when the server closes. */
export interface CodeEvaluators {
  evaluators: Evaluator[];
  close(): Promise<void>;
}

/**
 * Loads the modules (paths relative to the configuration file's folder) into their thread.
 * `judgeNames`: the configuration's own LLM judges (llm.templates), whose names are taken too.
 */
export async function loadCodeEvaluators(configFile: string, specs: CodeEvaluatorSpecs, judgeNames: string[] = []): Promise<CodeEvaluators> {
  const refuse = (name: string, field: string | null, message: string) =>
    new ConfigError(`${configFile}: codeEvaluators.${name}${field ? `.${field}` : ""}: ${message}`);
  const builtIn = new Set(BUILT_IN_EVALUATORS.map((e) => e.name));
  const judges = new Set([...Object.keys(DEFAULT_JUDGES), ...judgeNames]);
  const modules: ModuleToLoad[] = [];
  const timeouts = new Map<string, number>();
  for (const [name, spec] of Object.entries(specs)) {
    // Results are annotations named after their evaluator: two evaluators of one name would overwrite each other's.
    if (builtIn.has(name)) throw refuse(name, null, `"${name}" is the name of a built-in evaluator; choose another`);
    if (judges.has(name)) throw refuse(name, null, `"${name}" is the name of an LLM judge; choose another`);
    const path = resolve(dirname(configFile), spec.module);
    if (!existsSync(path)) throw refuse(name, "module", `cannot load ${spec.module}: no such file (${path})`);
    modules.push({ name, module: spec.module, url: pathToFileURL(path).href, exportName: spec.export ?? "default" });
    timeouts.set(name, spec.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }
  const thread = new ModuleThread(modules, timeouts);
  let problems;
  try {
    problems = await thread.start();
  } catch (error) {
    await thread.close();
    throw new ConfigError(`${configFile}: codeEvaluators: cannot start their thread: ${(error as Error).message}`);
  }
  if (problems.length) {
    await thread.close();
    throw new ConfigError(problems.map((p) => refuse(p.name, p.field, p.message).message).join("\n"));
  }
  const evaluators = Object.entries(specs).map(([name, spec]): Evaluator => ({
    name,
    description: spec.description ?? `Code evaluator of your own: ${spec.module}`,
    kind: "CODE",
    worst: spec.worst,
    async run(transcript) {
      return toResult(await thread.call(name, transcript, timeouts.get(name)!), transcript);
    },
  }));
  return { evaluators, close: () => thread.close() };
}
