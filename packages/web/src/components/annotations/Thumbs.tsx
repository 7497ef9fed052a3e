import { findThumbs, THUMBS, thumbsValue, useAnnotationMutations, type ThumbsValue } from "../../api/annotations.ts";
import type { Annotation } from "../../api/types.ts";
import { errorMessage } from "../states.tsx";
import { ThumbDownIcon, ThumbUpIcon } from "../icons.tsx";

interface ThumbsProps {
  project: string;
  traceId: string;
  /** The session the trace belongs to, to refresh its figures. */
  sessionId?: string | null;
  annotations: Annotation[];
}

/** Thumbs up / down on a trace (see THUMBS for the convention). Shows the pending choice at once. */
export function Thumbs({ project, traceId, sessionId, annotations }: ThumbsProps) {
  const { save, remove } = useAnnotationMutations(project, sessionId);
  const current = findThumbs(annotations);
  const pending = save.isPending || remove.isPending;
  let value = thumbsValue(current);
  if (save.isPending) value = save.variables.input.label as ThumbsValue;
  else if (remove.isPending) value = null;
  const error = save.error ?? remove.error;

  const choose = (choice: ThumbsValue) => {
    if (pending) return;
    if (current && thumbsValue(current) === choice) {
      remove.mutate(current);
    } else {
      save.mutate({
        target: { type: "trace", traceId },
        input: { name: THUMBS.name, ...THUMBS[choice], annotatorKind: "HUMAN" },
      });
    }
  };

  return (
    <span className="thumbs" role="group" aria-label="Rate this turn" data-testid="thumbs" data-value={value ?? ""}>
      <button
        type="button"
        className={`thumbs__button${value === "up" ? " thumbs__button--up" : ""}`}
        aria-pressed={value === "up"}
        aria-label="Thumbs up"
        title={value === "up" ? "Remove thumbs up" : "Thumbs up"}
        data-testid="thumbs-up"
        onClick={() => choose("up")}
      >
        <ThumbUpIcon />
      </button>
      <button
        type="button"
        className={`thumbs__button${value === "down" ? " thumbs__button--down" : ""}`}
        aria-pressed={value === "down"}
        aria-label="Thumbs down"
        title={value === "down" ? "Remove thumbs down" : "Thumbs down"}
        data-testid="thumbs-down"
        onClick={() => choose("down")}
      >
        <ThumbDownIcon />
      </button>
      {error && (
        <span className="thumbs__error" role="alert" title={errorMessage(error)}>
          Not saved
        </span>
      )}
    </span>
  );
}
