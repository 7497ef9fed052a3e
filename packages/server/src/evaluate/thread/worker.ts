// The thread that runs evaluators' modules (the built-ins', or your own): it imports each one (a .ts module by Node's
// type stripping, .js or .mjs as they are), reports what it could not load, then calls the
// functions with the transcripts the server sends. A module that hangs or throws here stops
// this thread at worst, never the server's.
import { parentPort, workerData } from "node:worker_threads";
import { runInBackground } from "../../os/priority.ts";

// Background work: people's pages and ingest go first when the cores are busy.
runInBackground();

export interface ModuleToLoad {
  name: string;
  /** As written in the configuration, for messages. */
  module: string;
  url: string;
  exportName: string;
}

export type ToWorker = { id: number; name: string; transcript: unknown };
export type FromWorker =
  | { importing: string }
  | { problem: { name: string; field: "module" | "export"; message: string } }
  | { ready: true }
  | { id: number; value: unknown }
  | { id: number; error: string };

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const functions = new Map<string, (transcript: unknown) => unknown>();

const loaded = (async () => {
  for (const spec of (workerData as { modules: ModuleToLoad[] }).modules) {
    post({ importing: spec.name });
    let exports: Record<string, unknown>;
    try {
      exports = await import(spec.url);
    } catch (error) {
      post({ problem: { name: spec.name, field: "module", message: `cannot load ${spec.module}: ${reason(error)}` } });
      continue;
    }
    const fn = exports[spec.exportName];
    if (typeof fn !== "function") {
      const names = Object.keys(exports);
      post({ problem: { name: spec.name, field: "export", message: `"${spec.exportName}" is not a function exported by ${spec.module} (it exports ${names.length ? names.join(", ") : "nothing"})` } });
      continue;
    }
    functions.set(spec.name, fn as (transcript: unknown) => unknown);
  }
  post({ ready: true });
})();

port.on("message", async ({ id, name, transcript }: ToWorker) => {
  await loaded;
  const fn = functions.get(name);
  if (!fn) return post({ id, error: `the module of "${name}" is not loaded` });
  let value: unknown;
  try {
    value = await fn(transcript);
  } catch (error) {
    return post({ id, error: `threw: ${reason(error)}` });
  }
  try {
    post({ id, value });
  } catch (error) {
    // A function, a symbol or a class with private state cannot cross to the server's thread.
    post({ id, error: `returned a value that cannot be sent back: ${reason(error)}` });
  }
});

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
