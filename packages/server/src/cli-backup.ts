// `threadline backup <dir>`: a consistent copy of the data directory's databases, taken with
// SQLite's online backup while the server runs (copying the files themselves can tear), and the
// redaction key, without which the copy's pseudonyms would no longer match new traffic's.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { backup, DatabaseSync } from "node:sqlite";
import { SECRET_FILE } from "./normalize/redact/secret.ts";

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
  if (existsSync(join(dataDir, SECRET_FILE))) {
    copyFileSync(join(dataDir, SECRET_FILE), join(target, SECRET_FILE));
    process.stderr.write(`${SECRET_FILE}: copied (keep the backup as private as the data folder)\n`);
  }
  process.stderr.write(`backup in ${target}; start a server on it with --data-dir ${target}\n`);
}
