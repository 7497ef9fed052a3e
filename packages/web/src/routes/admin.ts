import { createRoute } from "@tanstack/react-router";
import { AccountsPage } from "../pages/AccountsPage.tsx";
import { KeysPage } from "../pages/KeysPage.tsx";
import { LoginPage } from "../pages/LoginPage.tsx";
import { projectRoute } from "./project.ts";
import { rootRoute } from "./root.tsx";

/** Only same-site paths: a link cannot send someone elsewhere after signing in. */
const safeNext = (value: unknown) => (typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : undefined);

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (search: Record<string, unknown>): { next?: string } => ({ next: safeNext(search.next) }),
  component: LoginPage,
});

export const accountsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/admin/accounts",
  component: AccountsPage,
});

export const keysRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/keys",
  component: KeysPage,
});
