// The auth store in its own SQLite file (auth.db beside the spans): the server and the
// `threadline keys` command may both open it; WAL lets them.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { AuthStore, KeyRecord } from "../auth.ts";
import type { Row } from "./rows.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  project TEXT NOT NULL,
  role TEXT,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  revoked_us INTEGER
);`;

const toKey = (row: Row): KeyRecord => ({
  id: row.id as string,
  kind: row.kind as KeyRecord["kind"],
  project: row.project as string,
  role: (row.role as KeyRecord["role"]) ?? null,
  name: row.name as string,
  hash: row.hash as string,
  createdUs: row.created_us as number,
  revokedUs: (row.revoked_us as number | null) ?? null,
});

export class SqliteAuthStore implements AuthStore {
  readonly #db: DatabaseSync;
  readonly #sql: Record<"insert" | "get" | "list" | "revoke" | "active", StatementSync>;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    this.#db.exec(SCHEMA);
    this.#sql = {
      insert: this.#db.prepare("INSERT INTO keys (id, kind, project, role, name, hash, created_us, revoked_us) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)"),
      get: this.#db.prepare("SELECT * FROM keys WHERE id = ?"),
      list: this.#db.prepare("SELECT * FROM keys ORDER BY created_us, id"),
      revoke: this.#db.prepare("UPDATE keys SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL"),
      active: this.#db.prepare("SELECT count(*) AS n FROM keys WHERE revoked_us IS NULL"),
    };
  }

  createKey(key: KeyRecord): void {
    this.#sql.insert.run(key.id, key.kind, key.project, key.role, key.name, key.hash, key.createdUs);
  }

  getKey(id: string): KeyRecord | null {
    const row = this.#sql.get.get(id) as Row | undefined;
    return row ? toKey(row) : null;
  }

  listKeys(): KeyRecord[] {
    return (this.#sql.list.all() as Row[]).map(toKey);
  }

  revokeKey(id: string, atUs: number): boolean {
    return this.#sql.revoke.run(atUs, id).changes > 0;
  }

  activeKeyCount(): number {
    return (this.#sql.active.get() as Row).n as number;
  }

  close(): void {
    this.#db.close();
  }
}
