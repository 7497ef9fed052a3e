// Keeps the write-ahead log bounded under sustained ingest. The checkpointer thread copies the
// log into the database without blocking anyone (PASSIVE), but SQLite only starts the log over
// once a checkpoint has copied all of it while no reader still needs it, which never happens
// while commits keep coming: the log grew to 14 GB. So when it passes its limit, the writer
// itself, between two commits, runs a RESTART checkpoint: it copies what the checkpointer has not,
// waits briefly for readers to move off the log, and makes the next commit start the log over
// (journal_size_limit then truncates the file to a quarter of the limit).
import { statSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import type { Row } from "./rows.ts";

/** How long the RESTART may wait for readers before it is retried after the next commit. */
const WAIT_MS = 2_000;
const NORMAL_BUSY_TIMEOUT_MS = 10_000;

export class WalGuard {
  readonly #db: DatabaseSync;
  readonly #walPath: string;
  readonly #limit: number;
  readonly #log: (line: string) => void;
  #consecutive = 0;
  /** Restarts that could not complete (readers or the checkpointer held on), in all. */
  failures = 0;
  restarts = 0;

  constructor(db: DatabaseSync, path: string, limitBytes: number, log: (line: string) => void) {
    this.#db = db;
    this.#walPath = `${path}-wal`;
    this.#limit = limitBytes;
    this.#log = log;
    // When a commit starts the log over, the file is cut back to a quarter of the limit.
    db.exec(`PRAGMA journal_size_limit = ${Math.floor(limitBytes / 4)}`);
  }

  /** After every commit (a stat call): one commit can write megabytes of log. */
  afterCommit(): void {
    let size: number;
    try {
      size = statSync(this.#walPath).size;
    } catch {
      return;
    }
    if (size <= this.#limit) {
      this.#consecutive = 0;
      return;
    }
    this.#db.exec(`PRAGMA busy_timeout = ${WAIT_MS}`);
    let failure: string | null = null;
    try {
      const result = this.#db.prepare("PRAGMA wal_checkpoint(RESTART)").get() as Row;
      if (result.busy !== 0) failure = result.log === -1 ? "the checkpointer thread was busy" : `readers kept ${(result.log as number) - (result.checkpointed as number)} pages of it in use`;
    } catch (error) {
      failure = (error as Error).message;
    } finally {
      this.#db.exec(`PRAGMA busy_timeout = ${NORMAL_BUSY_TIMEOUT_MS}`);
    }
    if (!failure) {
      this.restarts++;
      this.#consecutive = 0;
      return;
    }
    // Retried after the next commit. Busy now and then is normal; logged when it goes on.
    this.failures++;
    this.#consecutive++;
    if ([20, 200, 2000].includes(this.#consecutive) || this.#consecutive % 20_000 === 0) {
      this.#log(`sqlite: the write-ahead log is ${mib(size)} (limit ${mib(this.#limit)}) and ${this.#consecutive} checkpoints in a row could not start it over: ${failure}`);
    }
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
