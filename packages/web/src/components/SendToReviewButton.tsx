import { useRef, useState } from "react";
import { useNavigate } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { runFilter } from "../api/evaluations.ts";
import { reviewApi, reviewKeys } from "../api/reviews.ts";
import { ANNOTATION_SORT_PREFIX, type ResolvedSessionsSearch } from "../lib/sessionsSearch.ts";
import { errorMessage } from "./states.tsx";
import "../styles/admin.css";

/** Sends the sessions the list shows (its filters and order) to a new review queue, and opens it. */
export function SendToReviewButton({ project, search, names, count }: { project: string; search: ResolvedSessionsSearch; names: string[]; count: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sorted = typeof search.sort === "string" && search.sort.startsWith(ANNOTATION_SORT_PREFIX) ? search.sort.slice(ANNOTATION_SORT_PREFIX.length) : undefined;
  const [annotation, setAnnotation] = useState(search.filters.annotation ?? sorted ?? names[0] ?? "");
  const [name, setName] = useState("");
  const [limit, setLimit] = useState(Math.min(count, 100));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const queue = await reviewApi.create(project, {
        name: name.trim() || `Review of ${annotation}`, annotation, filter: runFilter(search.filters), sort: search.sort, order: search.order, limit,
      });
      dialog.current?.close();
      await queryClient.invalidateQueries({ queryKey: reviewKeys.all(project) });
      void navigate({ to: "/projects/$project/review/$queueId", params: { project, queueId: queue.id } });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => dialog.current?.showModal()} data-testid="send-to-review">
        Send to review
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="review-dialog-title" data-testid="review-dialog">
        <h2 id="review-dialog-title" className="page-title">New review queue</h2>
        <p className="muted">The first sessions of this list, in its order, for people to step through one at a time.</p>
        <form className="admin-form" onSubmit={(event) => { event.preventDefault(); void create(); }}>
          <label className="field">
            Name
            <input className="input" value={name} placeholder={`Review of ${annotation}`} onChange={(e) => setName(e.target.value)} data-testid="review-name" />
          </label>
          <label className="field">
            Reviewers score
            <input className="input" list="review-annotation-names" value={annotation} required onChange={(e) => setAnnotation(e.target.value)} data-testid="review-annotation" />
            <datalist id="review-annotation-names">{names.map((n) => <option key={n} value={n} />)}</datalist>
          </label>
          <label className="field">
            Sessions (of {count})
            <input className="input" type="number" min={1} max={Math.min(count, 1000)} value={limit} onChange={(e) => setLimit(Number(e.target.value))} data-testid="review-limit" />
          </label>
          {error && <p className="form-error" role="alert">{error}</p>}
          <div className="confirm-dialog__actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()} disabled={busy}>Cancel</button>
            <button type="submit" className="button button--primary" disabled={busy || !annotation} data-testid="create-review-queue">
              {busy ? "Creating…" : "Create queue"}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
