// Endless traffic.ts traffic on a worker thread, for the soak (bench/soak.bench.ts): chunk after
// chunk of sessions, each chunk with its own seed (new session, trace and user-session ids) and
// the next time window, so the data keeps growing. Generates only what the main thread asks for
// ({ credit: n } batches), so a slow server never piles bodies up in memory; posts { batches }
// with the bodies' buffers transferred.
import { parentPort, workerData } from "node:worker_threads";
import { emptySummary, generateTraffic, type Batch, type TrafficOptions } from "../traffic.ts";

export interface SoakTrafficOptions extends TrafficOptions {
  /** Sessions per chunk; each chunk spans `windowMs` after the one before. */
  sessions: number;
  startMs: number;
  windowMs: number;
}

function* endless(options: SoakTrafficOptions): Generator<Batch> {
  for (let chunk = 0; ; chunk++) {
    const o = { ...options, seed: (options.seed ?? 1) * 1_000_003 + chunk, startMs: options.startMs + chunk * options.windowMs };
    yield* generateTraffic(o, emptySummary(o));
  }
}

const batches = endless(workerData as SoakTrafficOptions);
let credit = 0;
parentPort!.on("message", (message: { credit: number }) => {
  credit += message.credit;
  let chunk: Batch[] = [];
  const post = () => {
    // A body that is a view of a larger buffer is copied, so only its own bytes are transferred.
    const bodies = chunk.map((b) => (b.body.byteOffset === 0 && b.body.byteLength === b.body.buffer.byteLength ? b.body : b.body.slice()));
    parentPort!.postMessage({ batches: chunk.map((b, i) => ({ body: bodies[i], spans: b.spans })) }, bodies.map((body) => body.buffer as ArrayBuffer));
    chunk = [];
  };
  for (; credit > 0; credit--) {
    chunk.push(batches.next().value as Batch);
    if (chunk.length >= 10) post();
  }
  if (chunk.length) post();
});
