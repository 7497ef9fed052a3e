// The mixed load's ingest client on its own thread (mixed.ts: ingestPhasesOnThread): sending 16
// bodies of 2 MB at a time kept the bench's event loop busy enough to add up to 10 ms to the
// browsing client's answers, which a person's browser, in another process, never waits for.
// The thread runs at the server's background priority: on one machine with the server it stands
// in for clients on other machines, and must not take the cores from the server's API threads.
// workerData: { base, batches, seconds, concurrency }. Posts { phase } as each begins, then { result }.
import { parentPort, workerData } from "node:worker_threads";
import { runInBackground } from "../../packages/server/src/os/priority.ts";
import type { Batch } from "../traffic.ts";
import { ingestPhases } from "./mixed.ts";

runInBackground();
const { base, batches, seconds, concurrency } = workerData as { base: string; batches: Batch[]; seconds: number[]; concurrency: number };
const result = await ingestPhases(base, batches.values(), seconds, concurrency, (phase) => parentPort!.postMessage({ phase }));
parentPort!.postMessage({ result });
