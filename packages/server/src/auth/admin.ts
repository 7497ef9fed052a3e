// Keys and accounts as people manage them (the CLI and the admin routes): checks what is asked
// for, hashes what is secret, and shapes what is shown (never a hash).
import { randomUUID } from "node:crypto";
import type { Account, ApiKey } from "../api/admin-types.ts";
import { QueryError } from "../query/params.ts";
import type { AccountRecord, AuthStore, KeyRecord } from "../store/auth.ts";
import { hashPassword, passwordProblem } from "./passwords.ts";
import { hashSecret, KEY_KINDS, newToken, ROLES, type KeyKind, type Role } from "./tokens.ts";

const iso = (us: number) => new Date(us / 1000).toISOString();

export function keyView(key: KeyRecord): ApiKey {
  const { id, kind, project, role, name } = key;
  return { id, kind, project, role, name, createdAt: iso(key.createdUs), revokedAt: key.revokedUs === null ? null : iso(key.revokedUs) };
}

export function accountView(account: AccountRecord): Account {
  return { id: account.id, login: account.login, roles: account.roles, createdAt: iso(account.createdUs) };
}

/** A new key; its token is returned this once. Throws QueryError(400) on a kind/role mismatch. */
export async function createKey(store: AuthStore, input: { project: string; kind: string; role?: string | null; name?: string }): Promise<{ key: KeyRecord; token: string }> {
  const kind = input.kind as KeyKind;
  if (!KEY_KINDS.includes(kind)) throw new QueryError(400, `kind must be ${KEY_KINDS.join(" or ")}`);
  if (kind === "api" && !ROLES.includes(input.role as Role)) throw new QueryError(400, `an API key needs a role: ${ROLES.join(", ")}`);
  if (kind === "ingest" && input.role) throw new QueryError(400, "an ingest key has no role");
  const { id, token, secret } = newToken(kind);
  const key: KeyRecord = {
    id, kind, project: input.project, role: kind === "api" ? (input.role as Role) : null, name: input.name ?? "",
    hash: await hashSecret(secret), createdUs: Date.now() * 1000, revokedUs: null,
  };
  store.createKey(key);
  return { key, token };
}

export async function createAccount(store: AuthStore, input: { login: string; password: string; roles: Record<string, Role> }): Promise<AccountRecord> {
  const problem = passwordProblem(input.password);
  if (problem) throw new QueryError(400, problem);
  if (store.findAccount(input.login)) throw new QueryError(409, `there is already an account "${input.login}"`);
  const account: AccountRecord = { id: randomUUID(), login: input.login, passwordHash: await hashPassword(input.password), roles: input.roles, createdUs: Date.now() * 1000 };
  store.createAccount(account);
  return account;
}

/** Replaces the account's roles and/or password; null when there is no such account. */
export async function updateAccount(store: AuthStore, id: string, patch: { password?: string; roles?: Record<string, Role> }): Promise<AccountRecord | null> {
  const account = store.getAccount(id);
  if (!account) return null;
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password);
    if (problem) throw new QueryError(400, problem);
    store.setPassword(id, await hashPassword(patch.password));
  }
  if (patch.roles) {
    for (const project of Object.keys(account.roles)) if (!(project in patch.roles)) store.setRole(id, project, null);
    for (const [project, role] of Object.entries(patch.roles)) store.setRole(id, project, role);
  }
  return store.getAccount(id);
}
