// Skewed traffic generated before the clock starts, on one worker thread per part (parts run in
// parallel, one per core); the batches come back in part order.
import { Worker } from "node:worker_threads";
import type { SkewedOptions } from "../skewed.ts";
import type { SkewedSummary } from "./skewed-summary.ts";
import type { Batch } from "../traffic.ts";

export async function pregenerate(parts: SkewedOptions[]): Promise<{ batches: Batch[]; summaries: SkewedSummary[] }> {
  const results = await Promise.all(
    parts.map(
      (options) =>
        new Promise<{ batches: Batch[]; summary: SkewedSummary }>((resolve, reject) => {
          const worker = new Worker(new URL("./generate-worker.ts", import.meta.url), { workerData: options });
          const batches: Batch[] = [];
          let summary: SkewedSummary | null = null;
          worker.on("message", (message: { batches?: Batch[]; summary?: SkewedSummary }) => {
            if (message.batches) batches.push(...message.batches);
            if (message.summary) summary = message.summary;
          });
          worker.once("error", reject);
          worker.once("exit", (code) => (summary && code === 0 ? resolve({ batches, summary }) : reject(new Error(`generator worker exited with ${code}`))));
        }),
    ),
  );
  return { batches: results.flatMap((r) => r.batches), summaries: results.map((r) => r.summary) };
}
