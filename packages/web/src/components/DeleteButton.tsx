import { useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { adminApi, type Deleted } from "../api/admin.ts";
import { errorMessage } from "./states.tsx";
import "../styles/admin.css";

interface DeleteButtonProps {
  project: string;
  kind: "sessions" | "traces" | "users";
  id: string;
  /** What the button says and the dialog asks about, e.g. "Delete session". */
  label: string;
  /** What will be gone, for the person to read before confirming. */
  consequence: string;
  onDeleted: (deleted: Deleted) => void;
}

/** An admin's delete, behind a dialog that says what goes and asks to be confirmed. */
export function DeleteButton({ project, kind, id, label, consequence, onDeleted }: DeleteButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const deleted = await adminApi.erase(project, kind, id);
      dialog.current?.close();
      // Lists, stats, users: everything of the project may have changed.
      await queryClient.invalidateQueries({ queryKey: ["projects"] });
      onDeleted(deleted);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button--danger" onClick={() => dialog.current?.showModal()} data-testid={`delete-${kind}`}>
        {label}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`confirm-${kind}-title`} data-testid="confirm-dialog">
        <h2 id={`confirm-${kind}-title`} className="page-title">{label}?</h2>
        <p>{consequence}</p>
        <p className="muted">This cannot be undone.</p>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="confirm-dialog__actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={busy} data-testid="confirm-delete">
            {busy ? "Deleting…" : label}
          </button>
        </div>
      </dialog>
    </>
  );
}
