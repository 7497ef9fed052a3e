// The SQLite store's worker sink (store.ts: workerSink): on an ingest thread, prepares spans for
// the writer (compressed blocks, search text) and sends them to the writer's thread over this
// thread's own port, so they never pass through the main thread.
import type { MessagePort } from "node:worker_threads";
import type { SpanRecord } from "../records.ts";
import { prepareSpans, resourceSerializer } from "./rows.ts";
import { Calls } from "./threads.ts";

export function connect({ port }: { port: MessagePort }): (spans: SpanRecord[]) => Promise<void> {
  const writer = new Calls(port);
  const resourceJson = resourceSerializer();
  return (spans) => writer.call({ op: "spans", traces: prepareSpans(spans, resourceJson), spans: spans.length });
}
