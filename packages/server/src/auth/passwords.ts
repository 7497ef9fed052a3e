// People's passwords, hashed with argon2id (@node-rs/argon2, its defaults: 19 MiB, 2 passes),
// which runs on libuv's thread pool, off the event loop.
import { hash, verify } from "@node-rs/argon2";

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** An unknown login is checked against this, so it takes as long as a wrong password. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (stored === null) {
    await verify(await (decoy ??= hash("not a password of anyone's")), password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** Why a new password will not do, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return "a password has at most 1024 characters";
  return null;
}
