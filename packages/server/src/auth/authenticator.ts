// Who is asking, and may they: keys presented as `Authorization: Bearer <key>` or `x-api-key`,
// and people signed in with a password (their browser's session names the account), checked
// against the auth store. With authentication off (loopback, the local default) everyone
// may do everything; the HTTP guard and the gRPC receiver call this either way.
import { createHash } from "node:crypto";
import type { AuthStore, KeyRecord } from "../store/auth.ts";
import { verifyPassword } from "./passwords.ts";
import { parseToken, verifySecret, type KeyKind, type Role } from "./tokens.ts";

/**
 * What a route needs: to read a project, to annotate in it, to administer it, to send spans, or
 * only to be someone (who am I, sign out).
 */
export type Access = "read" | "annotate" | "admin" | "ingest" | "self";

export type Principal =
  | { kind: "open" }
  | { kind: "key"; keyId: string; keyKind: KeyKind; project: string; role: Role | null }
  | { kind: "account"; accountId: string; login: string; roles: Record<string, Role> };

/** Every project, in an account's roles; asked for by the routes that manage accounts. */
export const ALL_PROJECTS = "*";

/** A request refused: 401 (no or a bad key), 403 (a key that may not do this), 503 (busy). */
export class AuthError extends Error {
  readonly status: 401 | 403 | 503;
  constructor(status: 401 | 403 | 503, message: string) {
    super(message);
    this.status = status;
  }
}

const OPEN: Principal = { kind: "open" };
const RANK: Record<Role, number> = { viewer: 0, annotator: 1, admin: 2 };
const NEEDS: Record<Exclude<Access, "ingest" | "self">, Role> = { read: "viewer", annotate: "annotator", admin: "admin" };
/** scrypt checks at once: a flood of wrong secrets for a real key id cannot take every core. */
const MAX_CHECKS = 2;
/** How long a refused token is answered from memory. */
const REFUSED_MS = 60_000;
const MAX_REMEMBERED = 10_000;

export class Authenticator {
  readonly required: boolean;
  readonly #store: AuthStore | null;
  /** sha256 of a verified token → its key id (revocation is still checked on every request). */
  readonly #verified = new Map<string, string>();
  readonly #refused = new Map<string, number>();
  #checks = 0;

  constructor(store: AuthStore | null, required: boolean) {
    this.#store = store;
    this.required = required;
  }

  /** The key of a request's headers (HTTP or gRPC metadata, lower-case names). */
  static tokenOf(header: (name: string) => string | undefined): string | null {
    const authorization = header("authorization")?.trim();
    // Basic, as Langfuse's SDKs send their public and secret keys: the key is the password.
    const basic = authorization && /^Basic\s+(.+)$/i.exec(authorization)?.[1];
    if (basic) return Buffer.from(basic, "base64").toString("utf8").split(":").slice(1).join(":").trim() || null;
    if (authorization) return /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? authorization;
    return header("x-api-key")?.trim() || null;
  }

  async authenticate(token: string | null): Promise<Principal> {
    if (!this.required) return OPEN;
    if (!token) throw new AuthError(401, "authentication required: send a key as `Authorization: Bearer <key>` or `x-api-key: <key>`");
    const parsed = parseToken(token);
    if (!parsed) throw new AuthError(401, "that is not a Threadline key (keys look like tl_ingest_… or tl_api_…)");
    const digest = createHash("sha256").update(token.trim()).digest("base64url");
    const known = this.#verified.get(digest);
    const key = this.#store?.getKey(parsed.id) ?? null;
    if (known && key && key.revokedUs === null) return principalOf(key);
    if ((this.#refused.get(digest) ?? 0) > Date.now() || !key || key.revokedUs !== null || key.kind !== parsed.kind) {
      throw this.#refuse(digest);
    }
    if (this.#checks >= MAX_CHECKS) throw new AuthError(503, "too many key checks at once; retry shortly");
    this.#checks++;
    try {
      if (!(await verifySecret(parsed.secret, key.hash))) throw this.#refuse(digest);
    } finally {
      this.#checks--;
    }
    if (this.#verified.size >= MAX_REMEMBERED) this.#verified.clear();
    this.#verified.set(digest, key.id);
    return principalOf(key);
  }

  /** The signed-in account a browser session names, or null when it is gone. */
  account(accountId: string): Principal | null {
    const account = this.#store?.getAccount(accountId);
    return account ? { kind: "account", accountId: account.id, login: account.login, roles: account.roles } : null;
  }

  /** The account whose login and password these are, or null (after as long as a real check takes). */
  async signIn(login: string, password: string): Promise<Principal | null> {
    if (this.#checks >= MAX_CHECKS) throw new AuthError(503, "too many sign-ins at once; retry shortly");
    this.#checks++;
    try {
      const account = this.#store?.findAccount(login) ?? null;
      if (!(await verifyPassword(password, account?.passwordHash ?? null)) || !account) return null;
      return this.account(account.id);
    } finally {
      this.#checks--;
    }
  }

  #refuse(digest: string): AuthError {
    if (this.#refused.size >= MAX_REMEMBERED) this.#refused.clear();
    this.#refused.set(digest, Date.now() + REFUSED_MS);
    return new AuthError(401, "unknown or revoked key");
  }

  /** Throws 403 unless the principal may have this access (in this project, when one is named). */
  check(principal: Principal, access: Access, project?: string): void {
    if (principal.kind === "open" || access === "self") return;
    if (principal.kind === "account") return checkAccount(principal.roles, access, project);
    if (principal.keyKind === "ingest" && access !== "ingest") throw new AuthError(403, "an ingest key can only send spans; use an API key to read");
    if (principal.keyKind === "api" && access === "ingest") throw new AuthError(403, "an API key cannot send spans; use an ingest key");
    if (access !== "ingest" && RANK[principal.role!] < RANK[NEEDS[access]]) {
      throw new AuthError(403, `a ${principal.role} key cannot ${access === "admin" ? "administer" : access} this project`);
    }
    if (project !== undefined && project !== principal.project) throw new AuthError(403, `this key is for project "${principal.project}", not "${project}"`);
  }
}

function checkAccount(roles: Record<string, Role>, access: Exclude<Access, "self">, project?: string): void {
  if (access === "ingest") throw new AuthError(403, "people do not send spans; use an ingest key");
  const role = project === undefined ? highest(Object.values(roles)) : project === ALL_PROJECTS ? roles[ALL_PROJECTS] : (roles[project] ?? roles[ALL_PROJECTS]);
  const where = project === undefined ? "any project" : project === ALL_PROJECTS ? "every project" : `project "${project}"`;
  if (!role) throw new AuthError(403, `you have no role in ${where}; an admin can give you one`);
  if (RANK[role] < RANK[NEEDS[access]]) throw new AuthError(403, `a ${role} cannot ${access === "admin" ? "administer" : access} ${where}`);
}

function highest(roles: Role[]): Role | undefined {
  return roles.sort((a, b) => RANK[b] - RANK[a])[0];
}

function principalOf(key: KeyRecord): Principal {
  return { kind: "key", keyId: key.id, keyKind: key.kind, project: key.project, role: key.role };
}
