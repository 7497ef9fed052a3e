// Who may use Threadline: keys for programs, accounts for people, and people's signed-in
// sessions. Kept apart from the span store: it is small,
// written rarely, and stays in SQLite whichever store holds the spans.
import type { KeyKind, Role } from "../auth/tokens.ts";

export interface KeyRecord {
  id: string;
  kind: KeyKind;
  /** The one project the key reads or writes. */
  project: string;
  /** An API key's role; null for an ingest key. */
  role: Role | null;
  name: string;
  /** scrypt hash of the secret (tokens.ts). */
  hash: string;
  createdUs: number;
  revokedUs: number | null;
}

/** A person. `roles` by project name; "*" gives the role in every project. */
export interface AccountRecord {
  id: string;
  login: string;
  /** argon2id (passwords.ts). */
  passwordHash: string;
  roles: Record<string, Role>;
  createdUs: number;
}

/** A signed-in browser, stored under a hash of its cookie's id. */
export interface WebSessionRecord {
  accountId: string;
  /** What the session plugin keeps (the CSRF secret). */
  data: string;
  expiresUs: number;
}

export interface AuthStore {
  createKey(key: KeyRecord): void;
  getKey(id: string): KeyRecord | null;
  listKeys(): KeyRecord[];
  /** Whether a key was revoked now (false: no such key, or revoked before). */
  revokeKey(id: string, atUs: number): boolean;
  /** Keys not revoked. */
  activeKeyCount(): number;

  createAccount(account: AccountRecord): void;
  getAccount(id: string): AccountRecord | null;
  findAccount(login: string): AccountRecord | null;
  listAccounts(): AccountRecord[];
  /** Sets (or with null removes) the account's role in a project; false when there is no such account. */
  setRole(accountId: string, project: string, role: Role | null): boolean;
  setPassword(accountId: string, passwordHash: string): boolean;
  /** Removes the account and signs it out everywhere. */
  removeAccount(id: string): boolean;
  accountCount(): number;

  putWebSession(idHash: string, session: WebSessionRecord): void;
  getWebSession(idHash: string, nowUs: number): WebSessionRecord | null;
  deleteWebSession(idHash: string): void;

  /** A random secret made once and kept (the session cookie's signing key). */
  secret(name: string): string;
  close(): void;
}
