import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { annotationsQuery } from "../../api/queries.ts";
import { Thumbs } from "../annotations/Thumbs.tsx";
import { CloseIcon, ExternalIcon } from "../icons.tsx";
import { TraceView } from "./TraceView.tsx";

interface TraceDrawerProps {
  project: string;
  sessionId: string;
  traceId: string;
  spanId: string | null;
  onSelectSpan: (spanId: string) => void;
  onClose: () => void;
}

/** A side panel over the session page with one turn's trace: waterfall and span detail. Esc closes it. */
export function TraceDrawer({ project, sessionId, traceId, spanId, onSelectSpan, onClose }: TraceDrawerProps) {
  const annotations = useQuery(annotationsQuery(project, { type: "trace", traceId }));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== "Escape" || target?.closest("input, textarea, select, [contenteditable]")) return;
      onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);

  return (
    <aside className="drawer" aria-label={`Trace ${traceId}`} data-testid="trace-drawer" data-trace-id={traceId}>
      <header className="drawer__header">
        <h2 className="drawer__title">
          Trace <span className="mono">{traceId}</span>
        </h2>
        <Thumbs project={project} traceId={traceId} sessionId={sessionId} annotations={annotations.data?.annotations ?? []} />
        <Link
          to="/projects/$project/traces/$traceId"
          params={{ project, traceId }}
          search={spanId ? { span: spanId } : {}}
          className="button button--sm"
          data-testid="drawer-trace-page"
        >
          Open trace page <ExternalIcon />
        </Link>
        <button type="button" className="button button--sm button--ghost drawer__close" onClick={onClose} aria-label="Close trace">
          <CloseIcon />
        </button>
      </header>
      <div className="drawer__body">
        <TraceView project={project} traceId={traceId} selectedSpanId={spanId} onSelectSpan={onSelectSpan} layout="stacked" />
      </div>
    </aside>
  );
}
