import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { adminApi, keysQuery, type NewApiKey, type Role } from "../api/admin.ts";
import { ErrorState, LoadingState, errorMessage } from "../components/states.tsx";
import { TimeText } from "../components/TimeText.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/admin.css";
import "../styles/controls.css";

const route = getRouteApi("/projects/$project/keys");

/** A project's keys: ingest keys for apps, API keys with a role; created once-shown, revoked at once. */
export function KeysPage() {
  const { project } = route.useParams();
  useDocumentTitle("Keys", project);
  const keys = useQuery(keysQuery(project));
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<"ingest" | "api">("ingest");
  const [role, setRole] = useState<Role>("viewer");
  const [name, setName] = useState("");
  const [made, setMade] = useState<NewApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keysQuery(project).queryKey });

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setMade(await adminApi.createKey(project, { kind, name, ...(kind === "api" ? { role } : {}) }));
      setName("");
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const revoke = async (id: string) => {
    if (!window.confirm(`Revoke key ${id}? Whatever uses it stops working at once.`)) return;
    try {
      await adminApi.revokeKey(project, id);
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Keys of {project}</h1>
      </div>
      <form className="admin-form admin-form--inline" onSubmit={(e) => void create(e)} data-testid="key-form">
        <label className="field">
          <span>Kind</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as "ingest" | "api")} data-testid="key-kind">
            <option value="ingest">ingest (an app sends spans)</option>
            <option value="api">API (a program reads)</option>
          </select>
        </label>
        {kind === "api" && (
          <label className="field">
            <span>Role</span>
            <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="viewer">viewer</option>
              <option value="annotator">annotator</option>
              <option value="admin">admin</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. checkout service" data-testid="key-name" />
        </label>
        <button type="submit" className="button button--primary" data-testid="key-create">Create key</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      {made && (
        <div className="secret-once" data-testid="key-token">
          <strong>Copy this key now; it is not shown again:</strong>
          <div className="mono">{made.token}</div>
        </div>
      )}
      {keys.isPending ? (
        <LoadingState label="Loading keys…" />
      ) : keys.isError ? (
        <ErrorState title="Could not load the keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : (
        <table className="admin-table" data-testid="keys-table">
          <thead>
            <tr><th>Id</th><th>Kind</th><th>Role</th><th>Name</th><th>Created</th><th>State</th><th /></tr>
          </thead>
          <tbody>
            {keys.data.keys.map((k) => (
              <tr key={k.id}>
                <td className="mono">{k.id}</td>
                <td>{k.kind}</td>
                <td>{k.role ?? "—"}</td>
                <td>{k.name}</td>
                <td><TimeText iso={k.createdAt} /></td>
                <td>{k.revokedAt ? "revoked" : "active"}</td>
                <td>{!k.revokedAt && <button type="button" className="button button--danger" onClick={() => void revoke(k.id)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
