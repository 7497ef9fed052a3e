import type { SpanView } from "../../api/types.ts";

/** The OpenInference kind (LLM, TOOL, AGENT...) or, without one, the OTLP kind, as a small colored badge. */
export function SpanKindBadge({ span }: { span: Pick<SpanView, "spanKind" | "kind"> }) {
  const kind = span.spanKind ?? (span.kind === "INTERNAL" || span.kind === "UNSPECIFIED" ? "SPAN" : span.kind);
  return (
    <span className={`kind-badge kind-badge--${kind.toLowerCase()}`} title={`${span.spanKind ? "OpenInference kind" : "Span kind"}: ${kind}`}>
      {kind}
    </span>
  );
}
