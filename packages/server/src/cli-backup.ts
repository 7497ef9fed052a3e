// `threadline backup <dir>`: a consistent copy of the data directory's databases, taken with
// SQLite's online backup while the server runs (copying the files themselves can tear).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { backup, DatabaseSync } from "node:sqlite";

const DATABASES = ["threadline.db", "auth.db"];

export async function backupCommand(target: string | undefined, dataDir: string, fail: (message: string) => never): Promise<void> {
  if (!target) fail("backup needs a directory to write the copy to: threadline backup <dir>");
  if (DATABASES.some((name) => existsSync(join(target, name)))) fail(`${target} already holds a backup; choose an empty directory`);
  mkdirSync(target, { recursive: true });
  for (const name of DATABASES) {
    const source = join(dataDir, name);
    if (!existsSync(source)) continue;
    const db = new DatabaseSync(source, { readOnly: true });
    try {
      const pages = await backup(db, join(target, name));
      process.stderr.write(`${name}: ${pages} pages copied\n`);
    } finally {
      db.close();
    }
  }
  process.stderr.write(`backup in ${target}; start a server on it with --data-dir ${target}\n`);
}
