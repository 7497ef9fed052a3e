import { useId, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useAnnotationMutations } from "../../api/annotations.ts";
import { annotationsQuery } from "../../api/queries.ts";
import type { Annotation, AnnotationInput, AnnotationTarget } from "../../api/types.ts";
import { errorMessage } from "../states.tsx";
import { LongText } from "../LongText.tsx";
import { TimeText } from "../TimeText.tsx";
import { formatScore } from "./format.ts";
import "../../styles/controls.css";
import "../../styles/session.css";

interface AnnotationsPanelProps {
  project: string;
  target: AnnotationTarget;
  /** The session the target belongs to, to refresh its figures after a change. */
  sessionId?: string | null;
  /** Annotations already loaded with the page (e.g. SessionDetail.sessionAnnotations), shown until the list loads. */
  initial?: Annotation[];
  title?: string;
  /** What a new annotation is called unless the reviewer renames it. */
  defaultName?: string;
}

/** The annotations of a session, trace or span: each one's score, label and note, editable; and a form to add one. */
export function AnnotationsPanel({
  project,
  target,
  sessionId,
  initial,
  title = "Annotations",
  defaultName = "quality",
}: AnnotationsPanelProps) {
  const list = useQuery({
    ...annotationsQuery(project, target),
    placeholderData: initial ? { annotations: initial } : undefined,
  });
  const { save, update, remove } = useAnnotationMutations(project, sessionId ?? (target.type === "session" ? target.sessionId : null));
  const [editing, setEditing] = useState<string | null>(null); // an annotation id, or "new"
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const annotations = list.data?.annotations ?? [];

  return (
    <section className="annotations" aria-label={title} data-testid="annotations-panel">
      <header className="annotations__header">
        <h2 className="annotations__title">
          {title}
          {annotations.length > 0 && <span className="annotations__count">{annotations.length}</span>}
        </h2>
        {editing !== "new" && (
          <button type="button" className="button button--sm" data-testid="annotation-add" onClick={() => setEditing("new")}>
            Add annotation
          </button>
        )}
      </header>
      {list.isError && <p className="annotations__error">Could not load annotations: {errorMessage(list.error)}</p>}
      {editing === "new" && (
        <AnnotationForm
          defaultName={defaultName}
          busy={save.isPending}
          error={save.error}
          onCancel={() => {
            save.reset();
            setEditing(null);
          }}
          onSubmit={(input) =>
            save.mutate({ target, input: { ...input, annotatorKind: "HUMAN" } }, { onSuccess: () => setEditing(null) })
          }
        />
      )}
      {annotations.length === 0 && editing !== "new" && !list.isPending && (
        <p className="annotations__empty muted">No annotations yet: add a score, a label or a note.</p>
      )}
      {annotations.length > 0 && (
        <ul className="annotations__list">
          {annotations.map((a) =>
            editing === a.id ? (
              <li key={a.id}>
                <AnnotationForm
                  initial={a}
                  busy={update.isPending}
                  error={update.error}
                  onCancel={() => {
                    update.reset();
                    setEditing(null);
                  }}
                  onSubmit={({ score, label, explanation }) =>
                    // The name (with the identifier) identifies the annotation: the API does not change it.
                    update.mutate({ annotation: a, input: { score, label, explanation } }, { onSuccess: () => setEditing(null) })
                  }
                />
              </li>
            ) : (
              <li key={a.id} className="annotation" data-testid="annotation-row" data-name={a.name}>
                <div className="annotation__line">
                  <span className="annotation__name" data-testid="annotation-name">
                    {a.name}
                  </span>
                  {a.score !== null && (
                    <span className="annotation__score" title="Score" data-testid="annotation-score">
                      {formatScore(a.score)}
                    </span>
                  )}
                  {a.label !== null && (
                    <span className="annotation__label" title="Label" data-testid="annotation-label">
                      {a.label}
                    </span>
                  )}
                  {a.annotatorKind !== "HUMAN" && (
                    <span className="annotation__kind" title="Annotator">
                      {a.annotatorKind}
                    </span>
                  )}
                  {a.identifier && <span className="annotation__identifier mono">{a.identifier}</span>}
                  <span className="annotation__time muted">
                    <TimeText iso={a.updatedAt} style="relative" />
                  </span>
                  <span className="annotation__actions">
                    {confirmDelete === a.id ? (
                      <>
                        <button
                          type="button"
                          className="button button--sm button--danger"
                          disabled={remove.isPending}
                          data-testid="annotation-confirm-delete"
                          onClick={() => remove.mutate(a, { onSettled: () => setConfirmDelete(null) })}
                        >
                          Delete
                        </button>
                        <button type="button" className="button button--sm button--ghost" onClick={() => setConfirmDelete(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <>
                        <button
                          type="button"
                          className="button button--sm button--ghost"
                          data-testid="annotation-edit"
                          onClick={() => {
                            update.reset();
                            setEditing(a.id);
                          }}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button button--sm button--ghost"
                          aria-label={`Delete ${a.name}`}
                          data-testid="annotation-delete"
                          onClick={() => setConfirmDelete(a.id)}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </span>
                </div>
                {a.explanation && <LongText text={a.explanation} className="annotation__note" maxChars={600} maxLines={8} testId="annotation-note" />}
              </li>
            ),
          )}
        </ul>
      )}
      {remove.error && <p className="annotations__error">Could not delete: {errorMessage(remove.error)}</p>}
    </section>
  );
}

interface AnnotationFormProps {
  initial?: Annotation;
  defaultName?: string;
  busy: boolean;
  error: unknown;
  onSubmit: (input: AnnotationInput) => void;
  onCancel: () => void;
}

/** Name, score, label and note. Empty fields are sent as null, so editing can clear them. */
function AnnotationForm({ initial, defaultName = "", busy, error, onSubmit, onCancel }: AnnotationFormProps) {
  const id = useId();
  const [name, setName] = useState(initial?.name ?? defaultName);
  const [score, setScore] = useState(initial?.score === null || initial?.score === undefined ? "" : String(initial.score));
  const [label, setLabel] = useState(initial?.label ?? "");
  const [note, setNote] = useState(initial?.explanation ?? "");
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const scoreValue = score.trim() === "" ? null : Number(score);
    if (!name.trim()) return setProblem("Give the annotation a name.");
    if (scoreValue !== null && !Number.isFinite(scoreValue)) return setProblem("The score must be a number.");
    if (scoreValue === null && !label.trim() && !note.trim()) return setProblem("Add a score, a label or a note.");
    setProblem(null);
    onSubmit({ name: name.trim(), score: scoreValue, label: label.trim() || null, explanation: note.trim() ? note : null });
  };

  return (
    <form className="ann-form" onSubmit={submit} data-testid="annotation-form" aria-label={initial ? `Edit ${initial.name}` : "New annotation"}>
      <div className="ann-form__row">
        <label className="ann-field ann-field--name" htmlFor={`${id}-name`}>
          <span className="ann-field__label">Name</span>
          <input
            id={`${id}-name`}
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="quality"
            data-testid="annotation-name-input"
            disabled={initial !== undefined}
            title={initial ? "The name identifies the annotation; add another one for a new name." : undefined}
            autoFocus={initial === undefined}
          />
        </label>
        <label className="ann-field ann-field--score" htmlFor={`${id}-score`}>
          <span className="ann-field__label">Score</span>
          <input
            id={`${id}-score`}
            className="input"
            inputMode="decimal"
            value={score}
            onChange={(e) => setScore(e.target.value)}
            placeholder="0–1"
            data-testid="annotation-score-input"
          />
        </label>
        <label className="ann-field ann-field--label" htmlFor={`${id}-label`}>
          <span className="ann-field__label">Label</span>
          <input
            id={`${id}-label`}
            className="input"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            placeholder="e.g. resolved"
            data-testid="annotation-label-input"
          />
        </label>
      </div>
      <label className="ann-field ann-field--note" htmlFor={`${id}-note`}>
        <span className="ann-field__label">Note</span>
        <textarea
          id={`${id}-note`}
          className="input ann-textarea"
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="What went well or wrong"
          data-testid="annotation-note-input"
        />
      </label>
      {(problem !== null || error !== null) && (
        <p className="annotations__error" role="alert">
          {problem ?? `Could not save: ${errorMessage(error)}`}
        </p>
      )}
      <div className="ann-form__actions">
        <button type="submit" className="button button--primary button--sm" disabled={busy} data-testid="annotation-save">
          {busy ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button button--sm button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
