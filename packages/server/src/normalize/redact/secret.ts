// The per-install key of identity pseudonyms (redactor.ts): 32 random bytes in the data folder,
// readable by the server's user only. Kept apart from the database, so a copy of the database
// alone cannot tell whose id a pseudonym stands for, even by trying candidates.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECRET_FILE = "redaction.key";

/** The key as hex, made on first start. Throws, naming the file, when it is there but unusable. */
export function redactionSecret(dataDir: string): string {
  const file = join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot create ${file}: ${(error as Error).message}`, { cause: error });
  }
  // Someone widened it (a copy, a restore): narrow it again rather than leave the key readable.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) {
    throw new Error(`${file} is damaged (want 64 hex characters); restore it from a backup, or delete it to start new pseudonyms`);
  }
  return secret;
}
