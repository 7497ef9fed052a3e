// The executor over chdb, the ClickHouse engine embedded in this process. A chdb Session runs one
// query at a time, so a small pool of Sessions on the same path gives reads and writes their own.
// Only the asynchronous calls are used (the synchronous `query` blocks the event loop). Parameters
// go through queryBindAsync, which binds them for that one call (measured: nothing is left on the
// Session afterwards, and quotes, backslashes, tabs, newlines and any Unicode arrive unchanged),
// and insert settings through insert()'s own `settings`, also scoped to that insert; never `SET`,
// which would stay in force on the Session for whatever runs on it next.
import { SYNC_INSERT, type Executor, type Params, type Row, type Settings } from "./executor.ts";

interface ChdbResult {
  text(): string;
}
interface ChdbSession {
  queryAsync(sql: string, opts?: { format?: string }): Promise<ChdbResult>;
  queryBindAsync(sql: string, params: object, opts?: { format?: string }): Promise<ChdbResult>;
  insert(params: { table: string; values: string; format: "JSONEachRow"; settings?: Settings }): Promise<unknown>;
  close(): void;
}
type ChdbModule = { Session: new (path: string) => ChdbSession };

/** chdb is an optional dependency (a large download): loaded only when a chdb store is asked for. */
async function loadChdb(): Promise<ChdbModule> {
  try {
    return (await import("chdb")) as unknown as ChdbModule;
  } catch (error) {
    throw new Error(`a chdb: store needs the optional package "chdb" (npm install chdb@3.4), which could not be loaded: ${(error as Error).message}`, { cause: error });
  }
}

const SLOW_CALL_MS = 60_000;
const CLOSE_WAIT_MS = 30_000;

/** One engine per process, so one data directory: the path every Session of this process opens. */
let openPath: string | null = null;
let openCount = 0;
/** Settles when the insert before the next one has finished (see insert). */
let insertTurn: Promise<void> = Promise.resolve();

export class ChdbExecutor implements Executor {
  readonly #sessions: ChdbSession[];
  readonly #free: ChdbSession[];
  readonly #waiting: Array<(session: ChdbSession) => void> = [];
  #closed = false;

  private constructor(sessions: ChdbSession[]) {
    this.#sessions = sessions;
    this.#free = [...sessions];
  }

  /** Opens `size` Sessions on `path` (created if missing). */
  static async open(path: string, size = 2): Promise<ChdbExecutor> {
    if (openPath !== null && openPath !== path) {
      throw new Error(`chdb runs one data directory per process: ${openPath} is open, so ${path} cannot be`);
    }
    const { Session } = await loadChdb();
    const sessions = Array.from({ length: Math.max(1, size) }, () => new Session(path));
    openPath = path;
    openCount++;
    return new ChdbExecutor(sessions);
  }

  async #with<T>(what: string, run: (session: ChdbSession) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error("the chdb store is closed");
    const session = this.#free.pop() ?? (await new Promise<ChdbSession>((resolve) => this.#waiting.push(resolve)));
    // A native call cannot be cancelled, but one that never returns should be named, not silent.
    const slow = setTimeout(() => process.emitWarning(`a chdb call has not returned after ${SLOW_CALL_MS / 1000} s: ${what.slice(0, 300)}`, "ChdbSlowCall"), SLOW_CALL_MS);
    slow.unref();
    try {
      return await run(session);
    } finally {
      clearTimeout(slow);
      const next = this.#waiting.shift();
      if (next) next(session);
      else this.#free.push(session);
    }
  }

  async query<T extends Row = Row>(sql: string, params: Params = {}): Promise<T[]> {
    const text = await this.#with(sql, async (s) => (await this.#run(s, sql, params, "JSONEachRow")).text());
    return text ? text.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as T) : [];
  }

  async command(sql: string, params: Params = {}): Promise<void> {
    await this.#with(sql, (s) => this.#run(s, sql, params));
  }

  #run(session: ChdbSession, sql: string, params: Params, format?: string): Promise<ChdbResult> {
    const opts = format ? { format } : {};
    return Object.keys(params).length ? session.queryBindAsync(sql, params, opts) : session.queryAsync(sql, opts);
  }

  async insert(table: string, rows: Row[], settings: Settings = {}): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((row) => JSON.stringify(row)).join("\n");
    // One insert at a time in the process: two at once on different Sessions (the span writer's
    // rollup tables) now and then never returned (1 run in 12 of a test writing from two stores
    // on a loaded machine, chdb 3.4). Queries still run side by side.
    const turn = insertTurn;
    let done!: () => void;
    insertTurn = new Promise<void>((resolve) => (done = resolve));
    try {
      await turn;
      await this.#with(`INSERT INTO ${table}`, (s) => s.insert({ table, values, format: "JSONEachRow", settings: { ...SYNC_INSERT, ...settings } }));
    } finally {
      done();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true; // refuses new calls; those under way finish first, within a bound
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while (this.#free.length < this.#sessions.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.#free.length < this.#sessions.length) process.emitWarning(`closing chdb with ${this.#sessions.length - this.#free.length} call(s) still under way after ${CLOSE_WAIT_MS / 1000} s`, "ChdbSlowCall");
    for (const session of this.#sessions) session.close();
    if (--openCount === 0) openPath = null;
  }
}
