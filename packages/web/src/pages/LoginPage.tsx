import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useRouter } from "@tanstack/react-router";
import { adminApi } from "../api/admin.ts";
import { errorMessage } from "../components/states.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/admin.css";

const route = getRouteApi("/login");

/** Sign in with a login and password; the server sets the session cookie. */
export function LoginPage() {
  useDocumentTitle("Sign in");
  const { next } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await adminApi.signIn(login, password);
      queryClient.clear();
      queryClient.setQueryData(["me"], me);
      await router.navigate({ href: next ?? "/", replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <div className="page page--narrow">
      <form className="signin" onSubmit={(e) => void submit(e)} data-testid="signin-form">
        <h1 className="page-title">Sign in to Threadline</h1>
        <label className="field">
          <span>Login</span>
          <input className="input" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus data-testid="signin-login" />
        </label>
        <label className="field">
          <span>Password</span>
          <input className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="signin-password" />
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="button button--primary" disabled={busy} data-testid="signin-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p className="muted small">No account? An admin creates one: <code>threadline users create</code>.</p>
      </form>
    </div>
  );
}
