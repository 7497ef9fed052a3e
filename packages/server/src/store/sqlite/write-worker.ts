// The SQLite writer's thread. Commits take as long as the disk and the rollups need; running
// them here leaves the main thread free to receive and decode the next requests meanwhile.
// Group commit happens here: every request already waiting when a transaction starts joins it,
// so transactions grow with the load and each request is answered once its spans are durable.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { openDatabase } from "./database.ts";
import type { PreparedSpan } from "./rows.ts";
import { SqliteWriter } from "./writer.ts";

export type WriteRequest = { id: number; spans: PreparedSpan[] } | { id: number; close: true };
export type WriteReply = { id: number; error?: string };

/** A transaction stops taking waiting requests past this many spans. */
const MAX_GROUP_SPANS = 20_000;

const db = openDatabase((workerData as { path: string }).path, { backgroundCheckpoints: true });
const writer = new SqliteWriter(db);
const port = parentPort!;

port.on("message", (first: WriteRequest) => {
  const group: Array<{ id: number; spans: PreparedSpan[] }> = [];
  let close: WriteRequest | null = null;
  let size = 0;
  for (let request: WriteRequest | undefined = first; request; ) {
    if ("close" in request) close = request;
    else {
      group.push(request);
      size += request.spans.length;
    }
    request = close || size >= MAX_GROUP_SPANS ? undefined : (receiveMessageOnPort(port)?.message as WriteRequest | undefined);
  }
  commit(group);
  if (close) {
    db.exec("PRAGMA optimize");
    db.close();
    port.postMessage({ id: close.id } satisfies WriteReply);
    port.close();
  }
});

function commit(group: Array<{ id: number; spans: PreparedSpan[] }>): void {
  if (group.length === 0) return;
  try {
    writer.write(group.length === 1 ? group[0].spans : group.flatMap((request) => request.spans));
    for (const { id } of group) port.postMessage({ id } satisfies WriteReply);
  } catch (error) {
    // One request's spans must not sink the others': retry each on its own.
    if (group.length > 1) return group.forEach((request) => commit([request]));
    port.postMessage({ id: group[0].id, error: (error as Error).message } satisfies WriteReply);
  }
}
