// The built-in evaluators, run on a thread of their own (evaluate/thread/) rather than the
// server's main thread: the same evaluators, their results passed back as they are.
import { ModuleThread } from "../thread/thread.ts";
import type { EvaluationResultRecord } from "../../store/store.ts";
import type { Evaluator } from "./types.ts";

/** A built-in that has not answered in this long is stuck: its thread is restarted. */
const TIMEOUT_MS = 60_000;

export function builtInsOffThread(chosen: Evaluator[]): { evaluators: Evaluator[]; close(): Promise<void> } {
  if (chosen.length === 0) return { evaluators: [], close: async () => {} };
  const url = new URL("./entry.ts", import.meta.url).href;
  const thread = new ModuleThread(
    chosen.map((e) => ({ name: e.name, module: "built-in", url, exportName: e.name })),
    new Map(chosen.map((e) => [e.name, TIMEOUT_MS])),
    "the built-in evaluators",
  );
  return {
    evaluators: chosen.map((e) => ({ ...e, run: async (transcript) => (await thread.call(e.name, transcript, TIMEOUT_MS)) as EvaluationResultRecord | null })),
    close: () => thread.close(),
  };
}
