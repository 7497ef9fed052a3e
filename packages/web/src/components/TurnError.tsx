import { useQuery } from "@tanstack/react-query";
import { traceQuery } from "../api/queries.ts";
import type { SpanView, TraceDetail } from "../api/types.ts";

interface FoundError {
  spanName: string;
  message: string | null;
}

function exceptionMessage(span: SpanView): string | null {
  for (const event of span.events) {
    if (event.name !== "exception") continue;
    const type = event.attributes["exception.type"];
    const message = event.attributes["exception.message"];
    if (typeof message === "string" && message) return typeof type === "string" && type ? `${type}: ${message}` : message;
    if (typeof type === "string" && type) return type;
  }
  return null;
}

/** The most specific failure of a trace: the latest-starting failed span that has a message. */
export function findTraceError(trace: TraceDetail): FoundError | null {
  const failed = trace.spans
    .filter((span) => span.status.code === "ERROR")
    .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime));
  if (failed.length === 0) return null;
  for (const span of failed) {
    const message = span.status.message || exceptionMessage(span);
    if (message) return { spanName: span.name, message };
  }
  return { spanName: failed[0]!.name, message: null };
}

/** Error details of a failed turn, loaded from the trace's spans. */
export function TurnError({ project, traceId }: { project: string; traceId: string }) {
  const { data, isPending, isError } = useQuery(traceQuery(project, traceId));
  const found = data ? findTraceError(data) : null;

  return (
    <div className="turn-error" role="alert" data-testid="turn-error-detail">
      <span className="turn-error__label">Turn failed</span>
      {isPending && <span className="muted"> — loading error details…</span>}
      {isError && <span> — the error details could not be loaded.</span>}
      {data && !found && <span> — no span reported an error message.</span>}
      {found && (
        <>
          <span className="turn-error__span">
            {" "}
            in <code className="code">{found.spanName}</code>
          </span>
          {found.message && <pre className="turn-error__message">{found.message}</pre>}
        </>
      )}
    </div>
  );
}
