import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { accountsQuery, adminApi, type Account, type Role } from "../api/admin.ts";
import { ErrorState, LoadingState, errorMessage } from "../components/states.tsx";
import { TimeText } from "../components/TimeText.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/admin.css";
import "../styles/controls.css";

const ROLES: Role[] = ["viewer", "annotator", "admin"];
const describeRoles = (roles: Account["roles"]) =>
  Object.entries(roles).map(([project, role]) => `${role} of ${project === "*" ? "every project" : project}`).join(", ") || "no role";

/** People: an admin of every project creates accounts, gives and takes roles, removes them. */
export function AccountsPage() {
  useDocumentTitle("Accounts");
  const accounts = useQuery(accountsQuery());
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ login: "", password: "", project: "", role: "viewer" as Role });
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountsQuery().queryKey });
  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      await adminApi.createAccount({ login: form.login, password: form.password, roles: { [form.project || "*"]: form.role } });
      setForm({ ...form, login: "", password: "" });
    });
  };
  const setRole = (account: Account, project: string, role: Role | "none") => {
    const roles = { ...account.roles };
    if (role === "none") delete roles[project];
    else roles[project] = role;
    void attempt(() => adminApi.updateAccount(account.id, { roles }));
  };
  const remove = (account: Account) => {
    if (window.confirm(`Remove ${account.login}? They are signed out at once.`)) void attempt(() => adminApi.removeAccount(account.id));
  };

  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Accounts</h1>
      </div>
      <form className="admin-form admin-form--inline" onSubmit={create} data-testid="account-form">
        <label className="field">
          <span>Login</span>
          <input className="input" value={form.login} onChange={(e) => setForm({ ...form, login: e.target.value })} required data-testid="account-login" />
        </label>
        <label className="field">
          <span>Password (10+ characters)</span>
          <input className="input" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required minLength={10} data-testid="account-password" />
        </label>
        <label className="field">
          <span>Project (empty: every project)</span>
          <input className="input" value={form.project} onChange={(e) => setForm({ ...form, project: e.target.value })} data-testid="account-project" />
        </label>
        <label className="field">
          <span>Role</span>
          <select className="input" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="account-role">
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" className="button button--primary" data-testid="account-create">Create account</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      {accounts.isPending ? (
        <LoadingState label="Loading accounts…" />
      ) : accounts.isError ? (
        <ErrorState title="Could not load the accounts" error={accounts.error} onRetry={() => void accounts.refetch()} />
      ) : (
        <table className="admin-table" data-testid="accounts-table">
          <thead>
            <tr><th>Login</th><th>Roles</th><th>Created</th><th>Change a role</th><th /></tr>
          </thead>
          <tbody>
            {accounts.data.accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.login}</td>
                <td>{describeRoles(a.roles)}</td>
                <td><TimeText iso={a.createdAt} /></td>
                <td><RoleEditor account={a} onSet={setRole} /></td>
                <td><button type="button" className="button button--danger" onClick={() => remove(a)}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RoleEditor({ account, onSet }: { account: Account; onSet: (a: Account, project: string, role: Role | "none") => void }) {
  const [project, setProject] = useState("");
  const [role, setRole] = useState<Role | "none">("viewer");
  return (
    <span className="account-menu">
      <input className="input input--sm" placeholder="project or *" value={project} onChange={(e) => setProject(e.target.value)} aria-label={`Project for ${account.login}`} />
      <select className="input input--sm" value={role} onChange={(e) => setRole(e.target.value as Role | "none")} aria-label={`Role for ${account.login}`}>
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        <option value="none">no role</option>
      </select>
      <button type="button" className="button" disabled={!project} onClick={() => onSet(account, project, role)}>Set</button>
    </span>
  );
}
