// The SQLite writer's thread. Commits take as long as the disk and the rollups need; running
// them here leaves the main thread free to receive and decode the next requests meanwhile.
// Group commit happens here: requests that arrive together share one transaction, so
// transactions grow with the load, and each request is answered once its spans are durable.
// Annotation writes come here too, between span commits, so they queue behind a commit instead
// of polling for the database lock.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { runInBackground } from "../../os/priority.ts";
import { openDatabase } from "./database.ts";
import type { Reply } from "./read-api.ts";
import type { PreparedTrace } from "./rows.ts";
import { WalGuard } from "./wal-guard.ts";
import { writeApi, type WriteApi } from "./write-api.ts";

export type WriteRequest =
  | { id: number; op: "spans"; traces: PreparedTrace[]; spans: number }
  /** A port of another thread (an ingest thread) that sends "spans" requests of its own. */
  | { id: number; op: "port"; port: MessagePort }
  | { id: number; op: "call"; method: Exclude<keyof WriteApi, "spans">; args: unknown[] }
  | { id: number; op: "close" };
/** Besides replies, the thread tells its store what to log. */
export type WriterMessage = Reply | { log: string };

/** A transaction takes waiting requests up to this many spans. */
const MAX_GROUP_SPANS = 20_000;
/**
 * A smaller group waits this long for more requests before committing: every commit has a fixed
 * cost (the log write, the full-text index's new segment), so a few milliseconds of waiting buys
 * much larger transactions under load (BENCHMARKS.md) and costs a lone request next to nothing.
 */
const MIN_GROUP_SPANS = 2_000;
const GROUP_WAIT_MS = 5;

const { path, walLimitBytes } = workerData as { path: string; walLimitBytes: number };
runInBackground();
const db = openDatabase(path, { backgroundCheckpoints: true });
const api = writeApi(db);
const port = parentPort!;
const wal = new WalGuard(db, path, walLimitBytes, (line) => port.postMessage({ log: line } satisfies WriterMessage));

type Waiting = { id: number; traces: PreparedTrace[]; spans: number; reply: Replier };
type Replier = { postMessage(message: Reply): void };
let waiting: Waiting[] = [];
let waitingSpans = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let immediate: ReturnType<typeof setImmediate> | null = null;

port.on("message", (request: WriteRequest) => handle(request, port));

function handle(request: WriteRequest, reply: Replier): void {
  if (request.op === "port") {
    request.port.on("message", (message: WriteRequest) => handle(message, request.port));
    return;
  }
  if (request.op === "spans") {
    waiting.push({ ...request, reply });
    waitingSpans += request.spans;
    // Past the minimum, the commit still waits for the messages already queued behind this one
    // (delivered before immediates run): under load a commit then takes what piled up meanwhile.
    if (waitingSpans >= MAX_GROUP_SPANS) flush();
    else if (waitingSpans >= MIN_GROUP_SPANS) immediate ??= setImmediate(flush);
    else timer ??= setTimeout(flush, GROUP_WAIT_MS);
    return;
  }
  flush();
  if (request.op === "close") {
    db.exec("PRAGMA optimize");
    db.close();
    port.postMessage({ id: request.id } satisfies Reply);
    port.close();
    return;
  }
  try {
    const result = (api[request.method] as (...args: unknown[]) => unknown)(...request.args);
    reply.postMessage({ id: request.id, result });
  } catch (error) {
    reply.postMessage({ id: request.id, error: (error as Error).message });
  }
  // Small commits add up too: 12,500 annotations in a row took the log from 256 to 940 MiB.
  wal.afterCommit();
}

/** Commits everything waiting, in groups of at most MAX_GROUP_SPANS. */
function flush(): void {
  if (timer) clearTimeout(timer);
  if (immediate) clearImmediate(immediate);
  timer = immediate = null;
  const requests = waiting;
  waiting = [];
  waitingSpans = 0;
  let group: typeof requests = [];
  let size = 0;
  for (const request of requests) {
    if (size > 0 && size + request.spans > MAX_GROUP_SPANS) {
      commit(group);
      group = [];
      size = 0;
    }
    group.push(request);
    size += request.spans;
  }
  commit(group);
}

function commit(group: Waiting[]): void {
  if (group.length === 0) return;
  try {
    api.spans(group.length === 1 ? group[0].traces : group.flatMap((request) => request.traces));
    for (const { id, reply } of group) reply.postMessage({ id });
  } catch (error) {
    // One request's spans must not sink the others': retry each on its own.
    if (group.length > 1) return group.forEach((request) => commit([request]));
    group[0].reply.postMessage({ id: group[0].id, error: (error as Error).message });
  }
  wal.afterCommit();
}
