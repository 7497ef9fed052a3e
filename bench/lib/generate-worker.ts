// Generates skewed traffic on a worker thread (bench/skewed.bench.ts pre-generates the mixed
// load's traffic on both cores before the clock starts). workerData: SkewedOptions. Posts
// { batches } in chunks (the bodies' buffers transferred), then { summary }.
import { parentPort, workerData } from "node:worker_threads";
import { emptySkewedSummary, generateSkewed, type SkewedOptions } from "../skewed.ts";
import type { Batch } from "../traffic.ts";

const options = workerData as SkewedOptions;
const summary = emptySkewedSummary(options);
let chunk: Batch[] = [];
const post = () => {
  // A body that is a view of a larger buffer is copied, so only its own bytes are transferred.
  const bodies = chunk.map((b) => (b.body.byteOffset === 0 && b.body.byteLength === b.body.buffer.byteLength ? b.body : b.body.slice()));
  parentPort!.postMessage(
    { batches: chunk.map((b, i) => ({ body: bodies[i], spans: b.spans })) },
    bodies.map((body) => body.buffer as ArrayBuffer),
  );
  chunk = [];
};
for (const batch of generateSkewed(options, summary)) {
  chunk.push(batch);
  if (chunk.length >= 50) post();
}
if (chunk.length) post();
parentPort!.postMessage({ summary });
