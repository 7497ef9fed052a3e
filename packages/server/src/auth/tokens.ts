// Keys as people paste them: `tl_<kind>_<id>_<secret>`. The id finds the stored key; only a
// scrypt hash of the secret is stored, so a copy of the database gives no working key.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export const KEY_KINDS = ["ingest", "api"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];
/** What an API key may do in its project: read, read and annotate, or everything. */
export const ROLES = ["viewer", "annotator", "admin"] as const;
export type Role = (typeof ROLES)[number];

const TOKEN = /^tl_(ingest|api)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
// scrypt's interactive cost (N=2^14, r=8, p=1: ~50 ms of CPU). The secret is 256 random bits, so
// the hash guards a stolen database, not a guessable password; verified keys are remembered in
// memory (authenticator.ts), so an exporter pays it once, not per request.
const SCRYPT: ScryptOptions = { N: 2 ** 14, r: 8, p: 1 };
const KEY_LENGTH = 32;

export interface NewToken {
  id: string;
  token: string;
  secret: string;
}

export function newToken(kind: KeyKind): NewToken {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, secret, token: `tl_${kind}_${id}_${secret}` };
}

export function parseToken(token: string): { kind: KeyKind; id: string; secret: string } | null {
  const match = TOKEN.exec(token.trim());
  return match ? { kind: match[1] as KeyKind, id: match[2], secret: match[3] } : null;
}

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, KEY_LENGTH, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$<salt>$<hash>`, both base64url. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString("base64url")}$${(await derive(secret, salt)).toString("base64url")}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(secret, Buffer.from(salt, "base64url"));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
