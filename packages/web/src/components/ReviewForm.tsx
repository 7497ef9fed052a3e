import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { reviewApi, reviewKeys, type ReviewItem, type ReviewQueue } from "../api/reviews.ts";
import { queryKeys } from "../api/queries.ts";
import { errorMessage } from "./states.tsx";

/**
 * The reviewer's label, score and note for one item. Keys: 1–9 pick a label, s the score, n the
 * note, Enter saves and moves on (Ctrl+Enter inside the note), Escape leaves a field.
 */
export function ReviewForm({ project, queue, item, onSaved }: { project: string; queue: ReviewQueue; item: ReviewItem; onSaved: () => void }) {
  const queryClient = useQueryClient();
  const [label, setLabel] = useState<string | null>(item.review?.label ?? null);
  const [score, setScore] = useState(item.review?.score != null ? String(item.review.score) : "");
  const [note, setNote] = useState(item.review?.explanation ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scoreRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const save = async () => {
    if (busy) return;
    if (label === null && score.trim() === "" && note.trim() === "") return setError("Pick a label, give a score or write a note.");
    setBusy(true);
    setError(null);
    try {
      await reviewApi.review(project, queue.id, item.position, { label, score: score.trim() === "" ? null : Number(score), explanation: note.trim() || null });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: reviewKeys.all(project) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.session(project, item.sessionId) }),
      ]);
      onSaved();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const inField = event.target instanceof HTMLElement && event.target.closest("input, textarea, select");
      if (event.key === "Escape" && inField) return void (event.target as HTMLElement).blur();
      if (event.key === "Enter" && (!inField || (event.target as HTMLElement).tagName === "INPUT" || event.ctrlKey || event.metaKey)) {
        // A focused button does its own thing, but a label just picked does not swallow the save.
        if (event.target instanceof HTMLButtonElement && event.target.getAttribute("role") !== "radio") return;
        event.preventDefault();
        return void save();
      }
      if (inField || event.metaKey || event.ctrlKey || event.altKey) return;
      const pick = Number(event.key);
      if (Number.isInteger(pick) && pick >= 1 && pick <= queue.labels.length) setLabel(queue.labels[pick - 1]!);
      else if (event.key === "s") scoreRef.current?.focus();
      else if (event.key === "n") noteRef.current?.focus();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <form className="review-form" onSubmit={(event) => { event.preventDefault(); void save(); }} data-testid="review-form">
      {queue.labels.length > 0 && (
        <div className="review-form__labels" role="radiogroup" aria-label="Label">
          {queue.labels.map((l, i) => (
            <button key={l} type="button" role="radio" aria-checked={label === l} className={`button${label === l ? " button--primary" : ""}`}
              onClick={() => setLabel(label === l ? null : l)} data-testid={`review-label-${l}`}>
              <kbd>{i + 1}</kbd> {l}
            </button>
          ))}
        </div>
      )}
      <label className="field">
        <span>Score <kbd>s</kbd></span>
        <input ref={scoreRef} className="input" type="number" step="any" value={score} onChange={(e) => setScore(e.target.value)} data-testid="review-score" />
      </label>
      <label className="field">
        <span>Note <kbd>n</kbd></span>
        <textarea ref={noteRef} className="input" rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="review-note" />
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button type="submit" className="button button--primary" disabled={busy} data-testid="review-save">
        {busy ? "Saving…" : item.review ? "Update and next" : "Save and next"} <kbd>Enter</kbd>
      </button>
      <p className="muted small">Keys: <kbd>j</kbd>/<kbd>k</kbd> next and previous · <kbd>1</kbd>–<kbd>{Math.max(1, queue.labels.length)}</kbd> label · <kbd>s</kbd> score · <kbd>n</kbd> note · <kbd>Enter</kbd> save and next</p>
    </form>
  );
}
