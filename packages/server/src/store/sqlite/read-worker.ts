// A reader thread: runs the store's reads on its own connection, so a slow query never holds up
// the thread that receives exports, nor the writer, nor the other readers (WAL lets readers and
// the writer work at once).
import { parentPort, workerData } from "node:worker_threads";
import { runInBackground } from "../../os/priority.ts";
import { openDatabase } from "./database.ts";
import { readApi, type ReadRequest, type Reply } from "./read-api.ts";

const { path, background } = workerData as { path: string; background?: boolean };
// The background reader (evaluations) yields the CPU to the readers a person waits on.
if (background) runInBackground();
const db = openDatabase(path, { reader: true });
const api = readApi(db) as Record<string, (...args: unknown[]) => unknown>;
const port = parentPort!;

port.on("message", (request: ReadRequest | "close") => {
  if (request === "close") {
    db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ id: request.id, result: api[request.method](...request.args) } satisfies Reply);
  } catch (error) {
    port.postMessage({ id: request.id, error: (error as Error).message } satisfies Reply);
  }
});
