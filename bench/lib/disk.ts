// What a data dir takes on disk: the database, its write-ahead log and shared-memory index
// separately, and the largest the log grew to while it was sampled.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const DB_FILE = "threadline.db";

export interface DiskUsage {
  db: number;
  wal: number;
  shm: number;
  /** Every file in the data dir, those three included. */
  total: number;
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function diskUsage(dataDir: string): DiskUsage {
  let total = 0;
  for (const entry of readdirSync(dataDir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += size(join(entry.parentPath, entry.name));
  }
  const db = join(dataDir, DB_FILE);
  return { db: size(db), wal: size(`${db}-wal`), shm: size(`${db}-shm`), total };
}

/** Samples the size of `dataDir`'s WAL file every `everyMs`; `stop()` returns the largest seen. */
export function sampleWal(dataDir: string, everyMs = 500) {
  const wal = join(dataDir, `${DB_FILE}-wal`);
  let max = size(wal);
  const timer = setInterval(() => {
    max = Math.max(max, size(wal));
  }, everyMs);
  return {
    max: () => max,
    stop(): number {
      clearInterval(timer);
      return (max = Math.max(max, size(wal)));
    },
  };
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(0)} KiB`;
  return `${bytes} B`;
}
