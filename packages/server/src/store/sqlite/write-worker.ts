// The SQLite writer's thread. Commits take as long as the disk and the rollups need; running
// them here leaves the main thread free to receive and decode the next requests meanwhile.
import { parentPort, workerData } from "node:worker_threads";
import type { SpanRecord } from "../records.ts";
import { openDatabase } from "./database.ts";
import { SqliteWriter } from "./writer.ts";

export type WriteRequest = { id: number; spans: SpanRecord[] } | { id: number; close: true };
export type WriteReply = { id: number; error?: string };

const db = openDatabase((workerData as { path: string }).path);
const writer = new SqliteWriter(db);
const port = parentPort!;

port.on("message", (request: WriteRequest) => {
  if ("close" in request) {
    db.exec("PRAGMA optimize");
    db.close();
    port.postMessage({ id: request.id } satisfies WriteReply);
    port.close();
    return;
  }
  try {
    writer.write(request.spans);
    port.postMessage({ id: request.id } satisfies WriteReply);
  } catch (error) {
    port.postMessage({ id: request.id, error: (error as Error).message } satisfies WriteReply);
  }
});
