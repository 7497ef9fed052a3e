import { THUMBS } from "../../api/annotations.ts";
import type { Annotation } from "../../api/types.ts";
import { formatScore } from "./format.ts";

/** Compact chips for a turn's annotations (thumbs are shown by their buttons instead). */
export function AnnotationChips({ annotations }: { annotations: Annotation[] }) {
  const shown = annotations.filter((a) => !(a.name === THUMBS.name && a.annotatorKind === "HUMAN"));
  if (shown.length === 0) return null;
  return (
    <ul className="annotation-chips" aria-label="Annotations">
      {shown.map((a) => (
        <li
          key={a.id}
          className={`annotation-chip annotation-chip--${a.annotatorKind.toLowerCase()}`}
          title={[`${a.name} (${a.annotatorKind.toLowerCase()})`, a.explanation].filter(Boolean).join("\n")}
          data-testid="annotation-chip"
        >
          <span className="annotation-chip__name">{a.name}</span>
          {a.score !== null && <span className="annotation-chip__score">{formatScore(a.score)}</span>}
          {a.label !== null && <span className="annotation-chip__label">{a.label}</span>}
        </li>
      ))}
    </ul>
  );
}
