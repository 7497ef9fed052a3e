import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { isNotFoundError } from "../../api/client.ts";
import { traceQuery } from "../../api/queries.ts";
import { buildSpanTree, defaultSpanId, traceFigures } from "../../lib/spanTree.ts";
import { formatCost, formatDuration, formatNumber, formatTokens } from "../../lib/format.ts";
import { EmptyState, ErrorState, LoadingState } from "../states.tsx";
import { TimeText } from "../TimeText.tsx";
import { SpanDetail } from "./SpanDetail.tsx";
import { Waterfall } from "./Waterfall.tsx";
import "../../styles/trace.css";

interface TraceViewProps {
  project: string;
  traceId: string;
  /** The span shown in detail; null picks the failing span, else the root. */
  selectedSpanId: string | null;
  onSelectSpan: (spanId: string) => void;
  /** "split": waterfall and detail side by side (trace page); "stacked": one above the other (side panel). */
  layout: "split" | "stacked";
}

/** A trace's figures, its span tree as a waterfall, and the selected span's detail. */
export function TraceView({ project, traceId, selectedSpanId, onSelectSpan, layout }: TraceViewProps) {
  const query = useQuery(traceQuery(project, traceId));
  const tree = useMemo(() => (query.data ? buildSpanTree(query.data.spans) : null), [query.data]);
  const figures = useMemo(() => (query.data ? traceFigures(query.data.spans) : null), [query.data]);

  if (query.isPending) return <LoadingState label="Loading trace…" />;
  if (query.isError) {
    return isNotFoundError(query.error) ? (
      <EmptyState title="Trace not found">
        <p className="muted">There is no trace with this id in project “{project}”.</p>
      </EmptyState>
    ) : (
      <ErrorState title="Could not load the trace" error={query.error} onRetry={() => void query.refetch()} />
    );
  }
  const trace = query.data;
  if (!tree || !figures || trace.spans.length === 0) return <EmptyState title="This trace has no spans" />;
  const selectedId = (selectedSpanId && tree.byId.has(selectedSpanId) ? selectedSpanId : null) ?? defaultSpanId(tree, trace.spans);
  const selected = selectedId ? tree.byId.get(selectedId)?.span : undefined;

  return (
    <div className={`trace-view trace-view--${layout}`} data-testid="trace-view" data-trace-id={traceId}>
      <dl className="trace-figures" data-testid="trace-figures">
        <div>
          <dt>Start</dt>
          <dd>
            <TimeText iso={new Date(tree.startMs).toISOString()} style="full" />
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(tree.endMs - tree.startMs)}</dd>
        </div>
        <div>
          <dt>Spans</dt>
          <dd>{formatNumber(figures.spanCount)}</dd>
        </div>
        <div>
          <dt>LLM calls</dt>
          <dd>{formatNumber(figures.llmCount)}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd title={`${formatTokens(figures.tokens.prompt)} prompt + ${formatTokens(figures.tokens.completion)} completion`}>
            {formatTokens(figures.tokens.total)}
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{formatCost(figures.cost)}</dd>
        </div>
        <div className={figures.errorCount > 0 ? "trace-figures--error" : undefined}>
          <dt>Errors</dt>
          <dd>{formatNumber(figures.errorCount)}</dd>
        </div>
      </dl>
      <div className="trace-view__panes">
        <div className="trace-view__waterfall">
          <Waterfall
            tree={tree}
            selectedSpanId={selectedId}
            onSelect={onSelectSpan}
            maxHeight={layout === "split" ? "calc(100vh - 260px)" : "38vh"}
          />
        </div>
        <div className="trace-view__detail">
          {selected && <SpanDetail project={project} traceId={traceId} sessionId={trace.sessionId} span={selected} />}
        </div>
      </div>
    </div>
  );
}
