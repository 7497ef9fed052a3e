// Where the write-ahead log's bytes go: writes fresh skewed traffic into a copy of a loaded
// database with the store's own writer and no checkpoints, then counts the log's frames by the
// b-tree that owns each page (dbstat). The log is what checkpoints copy into the database, so
// this is the write volume the disk and the writer work through, by index.
//   node bench/wal-pages.ts --db <loaded data dir>/threadline.db [--spans 100000] [--commit 4000]
//     [--without <regexp>]
// --without drops the indexes whose names match before writing: what the log and the writer would
// be without them, the most a redesign of those indexes could save (reads are not measured).
import { closeSync, copyFileSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../packages/server/src/store/sqlite/database.ts";
import { prepareSpans } from "../packages/server/src/store/sqlite/rows.ts";
import { writeApi } from "../packages/server/src/store/sqlite/write-api.ts";
import { records } from "./lib/ceiling.ts";
import { generateSkewed } from "./skewed.ts";

const { values } = parseArgs({ options: { db: { type: "string" }, spans: { type: "string", default: "100000" }, commit: { type: "string", default: "4000" }, without: { type: "string" } } });
if (!values.db) throw new Error("--db <path of a loaded threadline.db> is required");
const spans = Number(values.spans);
const commitSpans = Number(values.commit);
const dir = mkdtempSync(join(tmpdir(), "threadline-wal-pages-"));
const path = join(dir, "threadline.db");
try {
  copyFileSync(values.db, path);
  // Never closed: closing would checkpoint the log this counts (the copy is removed anyway).
  const db = openDatabase(path, { backgroundCheckpoints: true });
  if (values.without) {
    const pattern = new RegExp(values.without);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as Array<{ name: string }>;
    const dropped = indexes.map((i) => i.name).filter((name) => pattern.test(name));
    for (const name of dropped) db.exec(`DROP INDEX ${name}`);
    // Their pages go to the free list; a checkpoint now keeps that out of the log counted below.
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    console.log(`without ${dropped.length} indexes: ${dropped.join(", ")}`);
  }
  const write = writeApi(db).spans;
  const project = (db.prepare("SELECT project FROM sessions LIMIT 1").get() as { project: string }).project;
  const { users } = db.prepare("SELECT count(*) AS users FROM users").get() as { users: number };
  const { last } = db.prepare("SELECT max(end_us) / 1000 AS last FROM sessions").get() as { last: number };
  // A day of fresh sessions from the same user pool, after the loaded window.
  const traffic = generateSkewed({
    seed: 201, project, spans, users, everyUserOnce: false, startMs: last + 60_000, windowMs: 86_400_000,
    qualityAnnotations: 0, reviewAnnotations: 0, rareMetadataSessions: 0,
  });
  let written = 0;
  let writerMs = 0;
  for (const chunk of records(traffic, { ms: 0 }, commitSpans)) {
    const start = performance.now();
    write(prepareSpans(chunk));
    writerMs += performance.now() - start;
    written += chunk.length;
  }

  const pageSize = (db.prepare("PRAGMA page_size").get() as { page_size: number }).page_size;
  const walBytes = statSync(`${path}-wal`).size;
  // Frames: a 32-byte log header, then per frame 24 bytes (the page number first) and the page.
  const framesOf = new Map<number, number>();
  const fd = openSync(`${path}-wal`, "r");
  const header = Buffer.alloc(4);
  for (let at = 32; at + 24 + pageSize <= walBytes; at += 24 + pageSize) {
    readSync(fd, header, 0, 4, at);
    const page = header.readUInt32BE(0);
    framesOf.set(page, (framesOf.get(page) ?? 0) + 1);
  }
  closeSync(fd);
  const owner = new Map<number, string>();
  const reader = new DatabaseSync(path, { readOnly: true });
  for (const row of reader.prepare("SELECT name, pageno FROM dbstat").iterate() as Iterable<{ name: string; pageno: number }>) owner.set(row.pageno, row.name);
  const byTree = new Map<string, { frames: number; pages: number }>();
  for (const [page, frames] of framesOf) {
    const name = owner.get(page) ?? "(freed)";
    const tree = byTree.get(name) ?? { frames: 0, pages: 0 };
    tree.frames += frames;
    tree.pages++;
    byTree.set(name, tree);
  }
  console.log(`${written.toLocaleString()} spans in ${commitSpans.toLocaleString()}-span commits; writer ${Math.round((written / writerMs) * 1000).toLocaleString()} spans/s`);
  console.log(`log ${(walBytes / 2 ** 20).toFixed(0)} MiB = ${Math.round(walBytes / written).toLocaleString()} B/span, ${framesOf.size.toLocaleString()} distinct pages\n`);
  console.log(`${"b-tree".padEnd(36)} ${"B/span".padStart(7)} ${"frames".padStart(8)} ${"pages".padStart(7)}`);
  for (const [name, tree] of [...byTree].sort((a, b) => b[1].frames - a[1].frames))
    console.log(`${name.padEnd(36)} ${String(Math.round((tree.frames * pageSize) / written)).padStart(7)} ${String(tree.frames).padStart(8)} ${String(tree.pages).padStart(7)}`);
  reader.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
