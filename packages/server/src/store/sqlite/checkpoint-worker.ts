// Copies the write-ahead log back into the database file on its own thread. SQLite would
// otherwise do it inside a writer's COMMIT every few megabytes, with an fsync, stalling ingest
// (measured: the writer went from 18.7k to 28.5k spans/s without it; see BENCHMARKS.md).
// Past the log's limit it stands aside: the writer's RESTART (wal-guard.ts) needs the checkpoint
// lock, which SQLite refuses at once, without waiting, while a checkpoint runs here. At 5M spans a
// PASSIVE pass took long enough that the writer never got the lock, and the log grew to 4 GiB.
import { statSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { runInBackground } from "../../os/priority.ts";

const { path, intervalMs, walLimitBytes } = workerData as { path: string; intervalMs: number; walLimitBytes: number | null };
const overLimit = () => walLimitBytes != null && (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > walLimitBytes;
runInBackground();
const db = new DatabaseSync(path);
db.exec("PRAGMA busy_timeout = 1000");
let failures = 0;

const timer = setInterval(() => {
  if (overLimit()) return;
  try {
    // PASSIVE never blocks the writer or readers; it copies what it can and tries again later.
    db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (error) {
    // Busy or locked now and then is normal; the next tick tries again. Told once in a while if it goes on.
    if (++failures % 50 === 0) parentPort!.postMessage({ log: `sqlite: ${failures} background checkpoints failed in a row: ${(error as Error).message}` });
  }
}, intervalMs);

parentPort!.on("message", () => {
  clearInterval(timer);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  parentPort!.postMessage("closed");
  parentPort!.close();
});
