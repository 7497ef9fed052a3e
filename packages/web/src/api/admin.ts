// Who is signed in, signing in and out, and what admins do: accounts, keys, deletion.
import { queryOptions } from "@tanstack/react-query";
import type { Account, AccountList, ApiKey, ApiKeyList, Deleted, Me, NewApiKey } from "../../../server/src/api/admin-types.ts";
import { buildUrl, getJson, seg, sendJson, setCsrfToken } from "./client.ts";

export type { Account, ApiKey, Deleted, Me, NewApiKey };
export type Role = "viewer" | "annotator" | "admin";

export const meQuery = () =>
  queryOptions({
    queryKey: ["me"] as const,
    queryFn: async ({ signal }) => {
      const me = await getJson<Me>(buildUrl("/me"), signal);
      setCsrfToken(me.csrfToken ?? null);
      return me;
    },
    staleTime: 60_000,
    retry: false,
  });

/** The role `me` has in a project ("admin" when the server is open). */
export function roleIn(me: Me | undefined, project: string): Role | null {
  if (!me) return null;
  if (me.roles === null) return "admin";
  return (me.roles[project] ?? me.roles["*"] ?? null) as Role | null;
}

/** Whether `me` manages accounts: an admin of every project, or anyone on an open server. */
export const managesAccounts = (me: Me | undefined) => Boolean(me && (me.roles === null || me.roles["*"] === "admin"));

export const accountsQuery = () => queryOptions({ queryKey: ["accounts"] as const, queryFn: ({ signal }) => getJson<AccountList>(buildUrl("/accounts"), signal) });
export const keysQuery = (project: string) =>
  queryOptions({ queryKey: ["projects", project, "keys"] as const, queryFn: ({ signal }) => getJson<ApiKeyList>(buildUrl(`/projects/${seg(project)}/keys`), signal) });

export const adminApi = {
  async signIn(login: string, password: string): Promise<Me> {
    const me = (await sendJson<Me>("POST", buildUrl("/login"), { login, password }))!;
    setCsrfToken(me.csrfToken ?? null);
    return me;
  },
  async signOut(): Promise<void> {
    await sendJson("POST", buildUrl("/logout"));
    setCsrfToken(null);
  },
  createAccount: (input: { login: string; password: string; roles: Record<string, Role> }) => sendJson<Account>("POST", buildUrl("/accounts"), input),
  updateAccount: (id: string, patch: { roles?: Record<string, Role>; password?: string }) => sendJson<Account>("PATCH", buildUrl(`/accounts/${seg(id)}`), patch),
  removeAccount: (id: string) => sendJson("DELETE", buildUrl(`/accounts/${seg(id)}`)),
  createKey: (project: string, input: { kind: "ingest" | "api"; role?: Role; name?: string }) =>
    sendJson<NewApiKey>("POST", buildUrl(`/projects/${seg(project)}/keys`), input),
  revokeKey: (project: string, id: string) => sendJson("DELETE", buildUrl(`/projects/${seg(project)}/keys/${seg(id)}`)),
  /** Deletes for good: a session, a trace, or every session of a user. */
  async erase(project: string, kind: "sessions" | "traces" | "users", id: string): Promise<Deleted> {
    return (await sendJson<Deleted>("DELETE", buildUrl(`/projects/${seg(project)}/${kind}/${seg(id)}`)))!;
  },
};
