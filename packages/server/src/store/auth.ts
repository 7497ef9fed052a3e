// Who may use Threadline: keys (and, later, accounts). Kept apart from the span store: it is small,
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

export interface AuthStore {
  createKey(key: KeyRecord): void;
  getKey(id: string): KeyRecord | null;
  listKeys(): KeyRecord[];
  /** Whether a key was revoked now (false: no such key, or revoked before). */
  revokeKey(id: string, atUs: number): boolean;
  /** Keys not revoked. */
  activeKeyCount(): number;
  close(): void;
}
