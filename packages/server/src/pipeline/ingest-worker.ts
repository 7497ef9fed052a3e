// An ingest thread: decodes, normalizes and hands spans to the store's writer by itself (the
// store's worker sink), so the main thread, which answers the API, never holds a span. Under
// full-speed ingest a list page then waits for no decoding.
import { parentPort, workerData } from "node:worker_threads";
import { DecodeError } from "../otlp/decode.ts";
import { BUILTIN_PRICES, PriceTable, readPriceFile } from "../normalize/prices.ts";
import { Redactor } from "../normalize/redact/redactor.ts";
import type { RedactionPlan } from "../normalize/redact/settings.ts";
import type { SpanRecord } from "../store/records.ts";
import { runInBackground } from "../os/priority.ts";
import { runStage, type RawExport } from "./stage.ts";
import type { SpanCaps } from "../normalize/caps.ts";
import { QueueFullError, WriteQueue, type WriteQueueLimits } from "./write-queue.ts";

export type IngestRequest = { id: number } & RawExport;
export type IngestReply = { id: number; result?: Awaited<ReturnType<typeof runStage>>; error?: { kind: "decode" | "queue" | "store"; message: string } };

const data = workerData as { pricesFile?: string; caps: SpanCaps; limits: WriteQueueLimits; queue: SharedArrayBuffer; sink: { module: string; data: unknown }; redaction?: RedactionPlan };
runInBackground();
const prices = PriceTable.fromFile(BUILTIN_PRICES);
if (data.pricesFile) prices.add(readPriceFile(data.pricesFile));
const queue = new WriteQueue(data.limits, data.queue);
const { connect } = (await import(data.sink.module)) as { connect(data: unknown): (spans: SpanRecord[]) => Promise<void> };
const write = connect(data.sink.data);
const redactor = data.redaction ? new Redactor(data.redaction) : undefined;
const port = parentPort!;

port.on("message", async (request: IngestRequest) => {
  try {
    port.postMessage({ id: request.id, result: await runStage(request, prices, data.caps, queue, write, redactor) } satisfies IngestReply);
  } catch (error) {
    const kind = error instanceof DecodeError ? "decode" : error instanceof QueueFullError ? "queue" : "store";
    port.postMessage({ id: request.id, error: { kind, message: (error as Error).message } } satisfies IngestReply);
  }
});
