// Walking keyset pages to the end, checking the paging contract on the way: full pages until the
// last, a cursor on every page but the last, and no row twice.
import assert from "node:assert/strict";
import type { Cursor, Page } from "../../src/store/store.ts";

export async function allPages<T>(page: (after: Cursor | null) => Promise<Page<T>>, limit: number, id: (row: T) => string): Promise<T[]> {
  const rows: T[] = [];
  let after: Cursor | null = null;
  for (let n = 0; ; n++) {
    assert.ok(n < 1000, "paging does not end");
    const result: Page<T> = await page(after);
    assert.ok(result.rows.length <= limit, `a page of ${result.rows.length} rows, limit ${limit}`);
    assert.ok(n === 0 || result.rows.length > 0, "a cursor that led to an empty page (the page before was the last)");
    rows.push(...result.rows);
    if (!result.next) break;
    assert.equal(result.rows.length, limit, "a page with a cursor is full");
    after = result.next;
  }
  const ids = rows.map(id);
  assert.equal(new Set(ids).size, ids.length, "a row on two pages");
  return rows;
}
