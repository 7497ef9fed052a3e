import type { AnnotationSummary } from "../api/types.ts";
import { formatScore } from "../lib/figures.ts";
import "../styles/controls.css";
import "../styles/evaluations.css";

const KIND_NAMES: Record<string, string> = { HUMAN: "human annotation", LLM: "LLM evaluation", CODE: "code evaluation" };

/** Text of an annotation summary's tooltip: what the figures mean and how many went into them. */
export function annotationTitle(name: string, a: AnnotationSummary): string {
  const parts = [`${name} (${KIND_NAMES[a.annotatorKind] ?? a.annotatorKind})`];
  if (a.score !== null) parts.push(`mean score ${formatScore(a.score)}`);
  if (a.label !== null) parts.push(`most frequent label “${a.label}”`);
  parts.push(`${a.count} annotation${a.count === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

/** One annotation name on a session or user: the mean score and/or the most frequent label. */
export function AnnotationCell({ name, summary }: { name: string; summary: AnnotationSummary | undefined }) {
  if (!summary || (summary.score === null && summary.label === null)) return <span className="muted">—</span>;
  return (
    <span className="annotation-cell" title={annotationTitle(name, summary)} data-testid="annotation-cell">
      {summary.label !== null && <span className="label-pill">{summary.label}</span>}
      {summary.score !== null && <span className="annotation-cell__score">{formatScore(summary.score)}</span>}
      {summary.labels && <LabelCounts labels={summary.labels} />}
    </span>
  );
}

/** A user's sessions per label in the list's window (the last 7 days unless it says otherwise). */
function LabelCounts({ labels }: { labels: Record<string, number> }) {
  const entries = Object.entries(labels).sort((a, b) => b[1] - a[1]);
  const text = entries.length ? entries.map(([label, n]) => `${n} ${label}`).join(" · ") : "none";
  return <span className="label-counts" data-testid="label-counts" title={`Sessions per label this week: ${text}`}>wk: {text}</span>;
}
