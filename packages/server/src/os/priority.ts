// Background threads (ingest, the writer, checkpoints) yield the CPU to the threads a person waits
// on (the main thread, the readers) when the cores are all busy: without it, a list page under
// full-speed ingest took 4x its idle time on 2 cores. Throughput work is untouched when the CPU
// is free: a nice value only decides who runs first.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** Lowers the calling thread's scheduling priority (Linux: per thread; elsewhere nothing). */
export function runInBackground(nice = 10): void {
  if (process.platform !== "linux") return;
  try {
    // /proc/thread-self is this thread's entry: "<pid>/task/<tid>"; setpriority on a tid sets that thread.
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid)) setPriority(tid, nice);
  } catch {
    // Not permitted or not available: the thread keeps its priority.
  }
}
