// The SQLite writer's thread. Commits take as long as the disk and the rollups need; running
// them here leaves the main thread free to receive and decode the next requests meanwhile.
// Group commit happens here: requests that arrive together share one transaction, so
// transactions grow with the load, and each request is answered once its spans are durable.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "./database.ts";
import type { PreparedSpan } from "./rows.ts";
import { SqliteWriter } from "./writer.ts";

export type WriteRequest = { id: number; spans: PreparedSpan[] } | { id: number; close: true };
export type WriteReply = { id: number; error?: string };

/** A transaction takes waiting requests up to this many spans. */
const MAX_GROUP_SPANS = 20_000;
/**
 * A smaller group waits this long for more requests before committing: every commit has a fixed
 * cost (the log write, the full-text index's new segment), so a few milliseconds of waiting buys
 * much larger transactions under load (BENCHMARKS.md) and costs a lone request next to nothing.
 */
const MIN_GROUP_SPANS = 2_000;
const GROUP_WAIT_MS = 5;

const db = openDatabase((workerData as { path: string }).path, { backgroundCheckpoints: true });
const writer = new SqliteWriter(db);
const port = parentPort!;

let waiting: Array<{ id: number; spans: PreparedSpan[] }> = [];
let waitingSpans = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

port.on("message", (request: WriteRequest) => {
  if ("close" in request) {
    flush();
    db.exec("PRAGMA optimize");
    db.close();
    port.postMessage({ id: request.id } satisfies WriteReply);
    port.close();
    return;
  }
  waiting.push(request);
  waitingSpans += request.spans.length;
  if (waitingSpans >= MIN_GROUP_SPANS) flush();
  else timer ??= setTimeout(flush, GROUP_WAIT_MS);
});

/** Commits everything waiting, in groups of at most MAX_GROUP_SPANS. */
function flush(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  const requests = waiting;
  waiting = [];
  waitingSpans = 0;
  let group: typeof requests = [];
  let size = 0;
  for (const request of requests) {
    if (size > 0 && size + request.spans.length > MAX_GROUP_SPANS) {
      commit(group);
      group = [];
      size = 0;
    }
    group.push(request);
    size += request.spans.length;
  }
  commit(group);
}

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
