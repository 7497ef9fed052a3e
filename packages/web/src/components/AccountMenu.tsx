import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useRouter } from "@tanstack/react-router";
import { adminApi, managesAccounts, meQuery } from "../api/admin.ts";
import "../styles/admin.css";

/** Who is signed in, the accounts page for those who manage them, and signing out. */
export function AccountMenu() {
  const { data: me } = useQuery(meQuery());
  const queryClient = useQueryClient();
  const router = useRouter();
  if (!me) return null;
  const signOut = async () => {
    await adminApi.signOut();
    queryClient.clear();
    await router.navigate({ to: "/login", search: { next: undefined } });
  };
  return (
    <div className="account-menu" data-testid="account-menu">
      {managesAccounts(me) && me.authRequired && (
        <Link to="/admin/accounts" className="topnav__link" activeProps={{ className: "topnav__link topnav__link--active" }}>
          Accounts
        </Link>
      )}
      {me.kind === "account" && (
        <>
          <span data-testid="signed-in-as">{me.login}</span>
          <button type="button" className="button button--ghost" onClick={() => void signOut()} data-testid="sign-out">
            Sign out
          </button>
        </>
      )}
    </div>
  );
}
