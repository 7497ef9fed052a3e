// Span bodies as one append-only byte stream, kept in rows of PAGE_BYTES: a compressed block is
// written at the end of the stream and found again by its offset and length. Stored one block a
// row, blocks of 1-4 KB left a third of each 4 KB database page empty (measured: 1,010 bytes on
// disk per span for 671 of data); rows that each fill a page waste next to nothing.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Row } from "./rows.ts";

/** The bytes a row holds: what fits on one 4 KB SQLite page with its record header. */
export const PAGE_BYTES = 4000;

/** Appends blocks within the writer's transaction; `commit` writes the pages they touched. */
export class BodyLog {
  readonly #put: StatementSync;
  readonly #last: StatementSync;
  /** The page being filled and its bytes so far. */
  #page = 0;
  #tail: Uint8Array = new Uint8Array(0);
  #dirty = new Map<number, Uint8Array>();

  constructor(db: DatabaseSync) {
    this.#put = db.prepare("INSERT OR REPLACE INTO body_pages (page, data) VALUES (?, ?)");
    this.#last = db.prepare("SELECT page, data FROM body_pages ORDER BY page DESC LIMIT 1");
    this.reload();
  }

  /** Where the next block will start. */
  get end(): number {
    return this.#page * PAGE_BYTES + this.#tail.length;
  }

  append(block: Uint8Array): void {
    let rest = block;
    while (rest.length > 0) {
      const room = PAGE_BYTES - this.#tail.length;
      const page = new Uint8Array(this.#tail.length + Math.min(room, rest.length));
      page.set(this.#tail);
      page.set(rest.subarray(0, room), this.#tail.length);
      this.#dirty.set(this.#page, page);
      rest = rest.subarray(room);
      if (page.length === PAGE_BYTES) {
        this.#page++;
        this.#tail = new Uint8Array(0);
      } else this.#tail = page;
    }
  }

  /** Writes the touched pages (inside the transaction). */
  commit(): void {
    for (const [page, data] of this.#dirty) this.#put.run(page, data);
    this.#dirty.clear();
  }

  /** Back to what is stored (after a rollback, and at start). */
  reload(): void {
    this.#dirty.clear();
    const last = this.#last.get() as Row | undefined;
    const data = last ? (last.data as Uint8Array) : new Uint8Array(0);
    this.#page = last ? (last.page as number) + (data.length === PAGE_BYTES ? 1 : 0) : 0;
    this.#tail = data.length === PAGE_BYTES ? new Uint8Array(0) : data;
  }
}

/** Reads blocks back: each (offset, length) once, from the pages that hold it. */
export function readBlocks(pages: StatementSync, wanted: Iterable<[number, number]>): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const [offset, length] of wanted) {
    if (out.has(offset)) continue;
    const first = Math.floor(offset / PAGE_BYTES);
    const rows = pages.all(first, Math.floor((offset + length - 1) / PAGE_BYTES)) as Row[];
    const joined = rows.length === 1 ? (rows[0].data as Uint8Array) : Buffer.concat(rows.map((r) => r.data as Uint8Array));
    const start = offset - first * PAGE_BYTES;
    out.set(offset, joined.subarray(start, start + length));
  }
  return out;
}
