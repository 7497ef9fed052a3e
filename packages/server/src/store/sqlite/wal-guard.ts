// Keeps the write-ahead log bounded under sustained ingest. The checkpointer thread copies the
// log into the database without blocking anyone (PASSIVE), but SQLite only starts the log over
// once a checkpoint has copied all of it while no reader still needs it, which never happens
// while commits keep coming: the log grew to 14 GB. So when it passes its limit, the writer
// itself, between two commits, runs a RESTART checkpoint: it copies what the checkpointer has not,
// waits briefly for readers to move off the log, and makes the next commit start the log over
// (journal_size_limit then truncates the file).
import { statSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import type { Row } from "./rows.ts";

/** Checked at most this often (a stat call). */
const CHECK_EVERY_MS = 250;
/** How long the RESTART may wait for readers and the checkpointer before it is retried later. */
const WAIT_MS = 2_000;
const NORMAL_BUSY_TIMEOUT_MS = 10_000;

export class WalGuard {
  readonly #db: DatabaseSync;
  readonly #walPath: string;
  readonly #limit: number;
  readonly #log: (line: string) => void;
  #lastCheck = 0;
  /** Restarts that could not complete (readers or the checkpointer held on). */
  failures = 0;
  restarts = 0;

  constructor(db: DatabaseSync, path: string, limitBytes: number, log: (line: string) => void) {
    this.#db = db;
    this.#walPath = `${path}-wal`;
    this.#limit = limitBytes;
    this.#log = log;
  }

  afterCommit(): void {
    const now = Date.now();
    if (now - this.#lastCheck < CHECK_EVERY_MS) return;
    this.#lastCheck = now;
    let size: number;
    try {
      size = statSync(this.#walPath).size;
    } catch {
      return;
    }
    if (size <= this.#limit) return;
    this.#db.exec(`PRAGMA busy_timeout = ${WAIT_MS}`);
    try {
      const result = this.#db.prepare("PRAGMA wal_checkpoint(RESTART)").get() as Row;
      if (result.busy === 0) this.restarts++;
      else this.#failed(`the log is ${mib(size)}, and a RESTART checkpoint could not finish (${result.checkpointed} of ${result.log} pages copied; readers still on the log)`);
    } catch (error) {
      this.#failed(`the log is ${mib(size)}, and a RESTART checkpoint failed: ${(error as Error).message}`);
    } finally {
      this.#db.exec(`PRAGMA busy_timeout = ${NORMAL_BUSY_TIMEOUT_MS}`);
    }
  }

  #failed(reason: string): void {
    this.failures++;
    // Logged the first time and then every tenth, so a stuck reader is seen without flooding the log.
    if (this.failures === 1 || this.failures % 10 === 0) this.#log(`sqlite: ${reason}; ${this.failures} failed so far, retrying`);
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
