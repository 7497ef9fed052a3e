// Opens the SQLite database with the pragmas Threadline relies on, creating the schema.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Row } from "./rows.ts";
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from "./schema.ts";

export interface OpenOptions {
  /** Leave checkpoints to a checkpointer thread instead of the committing writer. */
  backgroundCheckpoints?: boolean;
  /** A read-only connection of a reader thread, on a database whose schema is in place. */
  reader?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): DatabaseSync {
  if (options.reader) {
    const db = new DatabaseSync(path, { readOnly: true });
    db.exec("PRAGMA busy_timeout = 10000; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;");
    // Not memory-mapped: at 5M spans under full-speed ingest, mapped readers' slowest answers took
    // 134-287 ms, each while a checkpoint wrote into the file, against 44-47 ms reading it with
    // system calls (and 930 vs 560 MiB resident); BENCHMARKS.md.
    return db;
  }
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // WAL with synchronous=NORMAL: a commit survives the process being killed (the OTLP
  // acknowledgement promise); only an OS crash or power loss can lose the last commits.
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
  // A bigger page cache keeps the rollup indexes hot while spans stream in.
  db.exec("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;");
  // After a burst, the log shrinks back to this size once it has been checkpointed.
  db.exec("PRAGMA journal_size_limit = 67108864");
  if (options.backgroundCheckpoints) db.exec("PRAGMA wal_autocheckpoint = 0");
  let version = (db.prepare("PRAGMA user_version").get() as Row).user_version as number;
  // Each step takes a format to the next one, in its own transaction.
  for (; MIGRATIONS[version]; version++) db.exec(`BEGIN IMMEDIATE; ${MIGRATIONS[version]}; PRAGMA user_version = ${version + 1}; COMMIT;`);
  if (version !== 0 && version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${path} holds Threadline data in format ${version}; this version reads format ${SCHEMA_VERSION}. ` +
        `Use another --data-dir (or move the old one away).`,
    );
  }
  db.exec(SCHEMA);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  return db;
}
