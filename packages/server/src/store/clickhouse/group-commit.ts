// Writes that arrive while one is under way go into the next one together (group commit).
// ClickHouse wants few large inserts, and a batch costs the same dozen round trips whatever its
// size, so under load the OTLP requests of a moment become one batch instead of a queue of small
// ones. A failed batch fails every write in it; each caller's exporter retries, and writes are
// idempotent (docs/clickhouse.md, "Exactness"), so a retry that lands in another group is exact.
export class GroupCommit<T> {
  readonly #write: (items: T[]) => Promise<void>;
  readonly #maxItems: number;
  #pending: Array<{ items: T[]; done: (error?: unknown) => void }> = [];
  #running = false;

  constructor(write: (items: T[]) => Promise<void>, maxItems: number) {
    this.#write = write;
    this.#maxItems = maxItems;
  }

  /** Resolves once a batch holding these items is written. */
  add(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ items, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#pending.length) {
      // Whole writes, up to maxItems (a single larger write goes alone).
      let count = 0;
      let take = 0;
      while (take < this.#pending.length && (take === 0 || count + this.#pending[take].items.length <= this.#maxItems)) count += this.#pending[take++].items.length;
      const group = this.#pending.splice(0, take);
      try {
        await this.#write(group.flatMap((w) => w.items));
        for (const w of group) w.done();
      } catch (error) {
        for (const w of group) w.done(error ?? new Error("write failed"));
      }
    }
    this.#running = false;
  }
}
