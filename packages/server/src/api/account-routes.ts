// Who is asking and the administration of who may: sign-in and sign-out for people, /me, the
// accounts (an admin of every project manages them) and each project's keys (its admins).
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { accountView, createAccount, createKey, keyView, updateAccount } from "../auth/admin.ts";
import { ALL_PROJECTS, type Authenticator, type Principal } from "../auth/authenticator.ts";
import { csrfToken } from "../http/web-session.ts";
import { QueryError } from "../query/params.ts";
import type { AuthStore } from "../store/auth.ts";
import * as A from "./admin-types.ts";
import { ApiError } from "./types.ts";
import { paths } from "./route-schemas.ts";
import { Type } from "typebox";

export interface AccountServices {
  auth: Authenticator;
  store: AuthStore;
}

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };
const AccountId = Type.Object({ accountId: Type.String() });
const KeyPath = Type.Object({ ...paths.project.properties, keyId: Type.String() });

export async function accountRoutes(app: FastifyInstance, { auth, store }: AccountServices): Promise<void> {
  // Guessing passwords: ten tries a minute from one address, then 429 with Retry-After.
  await app.register(rateLimit, { global: false });

  const me = (request: FastifyRequest): A.Me => {
    const principal = request.principal as Principal | null;
    if (!principal || principal.kind === "open") return { kind: "open", authRequired: auth.required, roles: null };
    if (principal.kind === "key") return { kind: "key", authRequired: true, roles: principal.role ? { [principal.project]: principal.role } : {} };
    return { kind: "account", authRequired: true, login: principal.login, roles: principal.roles, csrfToken: csrfToken(request) };
  };

  app.get("/api/v1/me", { config: { access: "self" }, schema: { summary: "Who is asking, with their roles, and the CSRF token of a signed-in browser", response: { 200: A.Me, ...errors } } },
    (request) => me(request));

  app.post("/api/v1/login", {
    config: { access: "public", rateLimit: { max: 10, timeWindow: 60_000 } },
    schema: { summary: "Sign in: sets the session cookie (HttpOnly, SameSite=Strict)", body: A.SignIn, response: { 200: A.Me, 429: ApiError, ...errors } },
  }, async (request, reply) => {
    if (!auth.required) throw new QueryError(400, "this server is open (loopback, no authentication): there is nothing to sign in to");
    const { login, password } = request.body as A.SignIn;
    const principal = await auth.signIn(login, password);
    if (!principal || principal.kind !== "account") return reply.code(401).send({ error: "wrong login or password" });
    // A new session id at sign-in: one planted in the browser before cannot be taken over.
    await request.session.regenerate();
    request.session.accountId = principal.accountId;
    request.principal = principal;
    return me(request);
  });

  app.post("/api/v1/logout", { config: { access: "public" }, schema: { summary: "Sign out: ends the session", response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      if (request.session?.accountId) await request.session.destroy();
      return reply.code(204).send();
    });

  // Accounts: an admin of every project ("*").
  const everyProject = { access: "admin" as const, project: ALL_PROJECTS };
  app.get("/api/v1/accounts", { config: everyProject, schema: { summary: "Every account with its roles", response: { 200: A.AccountList, ...errors } } },
    () => ({ accounts: store.listAccounts().map(accountView) }));
  app.post("/api/v1/accounts", { config: everyProject, schema: { summary: "Create an account", body: A.AccountInput, response: { 201: A.Account, 409: ApiError, ...errors } } },
    async (request, reply) => reply.code(201).send(accountView(await createAccount(store, request.body as A.AccountInput))));
  app.patch("/api/v1/accounts/:accountId", {
    config: everyProject, schema: { summary: "Replace an account's roles, or set its password", params: AccountId, body: A.AccountPatch, response: { 200: A.Account, ...errors } },
  }, async (request) => {
    const { accountId } = request.params as { accountId: string };
    const account = await updateAccount(store, accountId, request.body as A.AccountPatch);
    if (!account) throw new QueryError(404, `no account "${accountId}"`);
    return accountView(account);
  });
  app.delete("/api/v1/accounts/:accountId", { config: everyProject, schema: { summary: "Remove an account and sign it out everywhere", params: AccountId, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { accountId } = request.params as { accountId: string };
      if (!store.removeAccount(accountId)) throw new QueryError(404, `no account "${accountId}"`);
      return reply.code(204).send();
    });

  // A project's keys: its admins.
  const P = "/api/v1/projects/:project/keys";
  const admin = { access: "admin" as const };
  app.get(P, { config: admin, schema: { summary: "The project's keys, without their secrets", params: paths.project, response: { 200: A.ApiKeyList, ...errors } } }, (request) => {
    const { project } = request.params as { project: string };
    return { keys: store.listKeys().filter((k) => k.project === project).map(keyView) };
  });
  app.post(P, { config: admin, schema: { summary: "Create a key; the answer holds it, once", params: paths.project, body: A.ApiKeyInput, response: { 201: A.NewApiKey, ...errors } } },
    async (request, reply) => {
      const { project } = request.params as { project: string };
      const { key, token } = await createKey(store, { project, ...(request.body as A.ApiKeyInput) });
      return reply.code(201).send({ key: keyView(key), token });
    });
  app.delete(`${P}/:keyId`, { config: admin, schema: { summary: "Revoke a key: it stops working at once", params: KeyPath, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { project, keyId } = request.params as { project: string; keyId: string };
      const key = store.getKey(keyId);
      if (!key || key.project !== project || !store.revokeKey(keyId, Date.now() * 1000)) throw new QueryError(404, `no active key "${keyId}" in project "${project}"`);
      return reply.code(204).send();
    });
}
