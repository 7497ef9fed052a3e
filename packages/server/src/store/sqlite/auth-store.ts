// The auth store in its own SQLite file (auth.db beside the spans): the server and the
// `threadline keys` / `threadline users` commands may both open it; WAL lets them.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Role } from "../../auth/tokens.ts";
import type { AccountRecord, AuthStore, KeyRecord, WebSessionRecord } from "../auth.ts";
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
);
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS memberships (
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  project TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (account_id, project)
);
-- Signed-in browsers, by sha256 of the cookie's session id: a copy of this file signs no one in.
CREATE TABLE IF NOT EXISTS web_sessions (
  id_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  data TEXT NOT NULL,
  expires_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
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
  readonly #sql: Record<string, StatementSync>;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
    this.#db.exec(SCHEMA);
    const statements: Record<string, string> = {
      insert: "INSERT INTO keys (id, kind, project, role, name, hash, created_us, revoked_us) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
      get: "SELECT * FROM keys WHERE id = ?",
      list: "SELECT * FROM keys ORDER BY created_us, id",
      revoke: "UPDATE keys SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL",
      active: "SELECT count(*) AS n FROM keys WHERE revoked_us IS NULL",
      insertAccount: "INSERT INTO accounts (id, login, password_hash, created_us) VALUES (?, ?, ?, ?)",
      account: "SELECT * FROM accounts WHERE id = ?",
      accountByLogin: "SELECT * FROM accounts WHERE login = ?",
      accounts: "SELECT * FROM accounts ORDER BY login",
      roles: "SELECT project, role FROM memberships WHERE account_id = ?",
      grant: "INSERT INTO memberships (account_id, project, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role",
      ungrant: "DELETE FROM memberships WHERE account_id = ? AND project = ?",
      password: "UPDATE accounts SET password_hash = ? WHERE id = ?",
      removeAccount: "DELETE FROM accounts WHERE id = ?",
      accountCount: "SELECT count(*) AS n FROM accounts",
      putSession: `INSERT INTO web_sessions (id_hash, account_id, data, expires_us) VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET account_id = excluded.account_id, data = excluded.data, expires_us = excluded.expires_us`,
      getSession: "SELECT * FROM web_sessions WHERE id_hash = ? AND expires_us > ?",
      deleteSession: "DELETE FROM web_sessions WHERE id_hash = ?",
      expireSessions: "DELETE FROM web_sessions WHERE expires_us <= ?",
      getSecret: "SELECT value FROM secrets WHERE name = ?",
      putSecret: "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
    };
    this.#sql = Object.fromEntries(Object.entries(statements).map(([name, text]) => [name, this.#db.prepare(text)]));
    this.#sql.expireSessions.run(Date.now() * 1000);
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

  createAccount(account: AccountRecord): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      this.#sql.insertAccount.run(account.id, account.login, account.passwordHash, account.createdUs);
      for (const [project, role] of Object.entries(account.roles)) this.#sql.grant.run(account.id, project, role);
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  getAccount(id: string): AccountRecord | null {
    return this.#account(this.#sql.account.get(id) as Row | undefined);
  }

  findAccount(login: string): AccountRecord | null {
    return this.#account(this.#sql.accountByLogin.get(login) as Row | undefined);
  }

  listAccounts(): AccountRecord[] {
    return (this.#sql.accounts.all() as Row[]).map((row) => this.#account(row)!);
  }

  setRole(accountId: string, project: string, role: Role | null): boolean {
    if (!this.#sql.account.get(accountId)) return false;
    if (role) this.#sql.grant.run(accountId, project, role);
    else this.#sql.ungrant.run(accountId, project);
    return true;
  }

  setPassword(accountId: string, passwordHash: string): boolean {
    return this.#sql.password.run(passwordHash, accountId).changes > 0;
  }

  removeAccount(id: string): boolean {
    return this.#sql.removeAccount.run(id).changes > 0;
  }

  accountCount(): number {
    return (this.#sql.accountCount.get() as Row).n as number;
  }

  putWebSession(idHash: string, session: WebSessionRecord): void {
    this.#sql.putSession.run(idHash, session.accountId, session.data, session.expiresUs);
  }

  getWebSession(idHash: string, nowUs: number): WebSessionRecord | null {
    const row = this.#sql.getSession.get(idHash, nowUs) as Row | undefined;
    return row ? { accountId: row.account_id as string, data: row.data as string, expiresUs: row.expires_us as number } : null;
  }

  deleteWebSession(idHash: string): void {
    this.#sql.deleteSession.run(idHash);
  }

  secret(name: string): string {
    this.#sql.putSecret.run(name, randomBytes(32).toString("base64url"));
    return (this.#sql.getSecret.get(name) as Row).value as string;
  }

  #account(row: Row | undefined): AccountRecord | null {
    if (!row) return null;
    const roles = Object.fromEntries((this.#sql.roles.all(row.id as string) as Row[]).map((r) => [r.project as string, r.role as Role]));
    return { id: row.id as string, login: row.login as string, passwordHash: row.password_hash as string, roles, createdUs: row.created_us as number };
  }

  close(): void {
    this.#db.close();
  }
}
