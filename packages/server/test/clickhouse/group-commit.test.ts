// Group commit (store/clickhouse/group-commit.ts): writes that arrive while one is under way are
// written together, whole and up to the bound; a failed batch fails exactly the writes in it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GroupCommit } from "../../src/store/clickhouse/group-commit.ts";

test("writes arriving during a write go into the next batch together, whole, up to the bound", async () => {
  const batches: number[][] = [];
  let release!: () => void;
  const first = new Promise<void>((resolve) => (release = resolve));
  const commits = new GroupCommit<number>(async (items) => {
    batches.push(items);
    if (batches.length === 1) await first;
  }, 5);
  const writes = [commits.add([1]), commits.add([2, 3]), commits.add([4, 5]), commits.add([6]), commits.add([7, 8, 9, 10, 11, 12])];
  release();
  await Promise.all(writes);
  assert.deepEqual(batches, [[1], [2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
});

test("a failed batch rejects the writes in it, and the next batch is written", async () => {
  let calls = 0;
  let release!: () => void;
  const first = new Promise<void>((resolve) => (release = resolve));
  const commits = new GroupCommit<string>(async (items) => {
    calls++;
    if (calls === 1) await first;
    if (items.includes("bad")) throw new Error("engine refused");
  }, 100);
  const ok = commits.add(["a"]);
  const failing = [commits.add(["bad"]), commits.add(["b"])];
  release();
  await ok;
  for (const write of failing) await assert.rejects(write, /engine refused/);
  await commits.add(["c"]);
  assert.equal(calls, 3);
});
