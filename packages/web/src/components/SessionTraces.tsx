import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { sessionTracesQuery } from "../api/queries.ts";
import { formatCost, formatDuration, formatNumber, formatTokens, formatTime } from "../lib/format.ts";
import { oneLinePreview } from "../lib/text.ts";
import { EmptyState, ErrorState, LoadingState, Spinner } from "./states.tsx";

const ROW_HEIGHT = 36;

interface SessionTracesProps {
  project: string;
  sessionId: string;
  activeTraceId: string | null;
  onOpenTrace: (traceId: string) => void;
}

/** The session's traces as a table in time order; each row opens its waterfall. Paged and virtualized. */
export function SessionTraces({ project, sessionId, activeTraceId, onOpenTrace }: SessionTracesProps) {
  const query = useInfiniteQuery(sessionTracesQuery(project, sessionId));
  const traces = useMemo(() => query.data?.pages.flatMap((page) => page.traces) ?? [], [query.data]);
  const { fetchNextPage: fetchNext, hasNextPage, isFetchingNextPage, isFetchNextPageError } = query;
  const fetchNextPage = useCallback(() => void fetchNext(), [fetchNext]);

  const listRef = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const update = () => setScrollMargin(Math.round(el.getBoundingClientRect().top + window.scrollY));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [query.isPending]);
  const virtualizer = useWindowVirtualizer({
    count: traces.length + (hasNextPage ? 1 : 0),
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    scrollMargin,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;
  useEffect(() => {
    if (lastIndex >= traces.length - 20 && hasNextPage && !isFetchingNextPage && !isFetchNextPageError) fetchNextPage();
  }, [lastIndex, traces.length, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  if (query.isPending) return <LoadingState label="Loading traces…" />;
  if (query.isError && traces.length === 0) {
    return <ErrorState title="Could not load the traces" error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (traces.length === 0) return <EmptyState title="No traces in this session" />;

  return (
    <div className="trace-table" role="table" aria-label="Traces" data-testid="session-traces" aria-rowcount={traces.length + 1}>
      <div className="trace-table__row trace-table__row--head" role="row">
        <span role="columnheader" className="num">#</span>
        <span role="columnheader">Time</span>
        <span role="columnheader">Name</span>
        <span role="columnheader">Input</span>
        <span role="columnheader">Output</span>
        <span role="columnheader" className="num">Latency</span>
        <span role="columnheader" className="num">Tokens</span>
        <span role="columnheader" className="num">Cost</span>
      </div>
      <div ref={listRef} style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="rowgroup">
        {items.map((item) => {
          const trace = traces[item.index];
          const style = { height: ROW_HEIGHT, transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` };
          if (!trace) {
            return (
              <div key="more" className="trace-table__row trace-table__row--more" style={style} role="row">
                {isFetchNextPageError ? (
                  <button type="button" className="button button--sm" onClick={fetchNextPage}>
                    Could not load more traces — try again
                  </button>
                ) : (
                  <Spinner label="Loading more traces" />
                )}
              </div>
            );
          }
          const failed = trace.status === "ERROR";
          return (
            <div
              key={trace.traceId}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={trace.traceId === activeTraceId}
              tabIndex={0}
              className={`trace-table__row${failed ? " trace-table__row--error" : ""}${trace.traceId === activeTraceId ? " trace-table__row--active" : ""}`}
              style={style}
              data-testid="trace-row"
              data-trace-id={trace.traceId}
              onClick={() => onOpenTrace(trace.traceId)}
              onKeyDown={(event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  onOpenTrace(trace.traceId);
                }
              }}
            >
              <span role="cell" className="num muted">{formatNumber(item.index + 1)}</span>
              <span role="cell" className="nowrap">{formatTime(trace.startTime)}</span>
              <span role="cell" className="truncate mono" title={trace.rootSpanName ?? undefined}>
                {trace.rootSpanName ?? "—"}
                {failed && <span className="badge badge--error trace-table__badge">Error</span>}
              </span>
              <span role="cell" className="truncate" title={oneLinePreview(trace.input, 400)}>{oneLinePreview(trace.input) || "—"}</span>
              <span role="cell" className="truncate" title={oneLinePreview(trace.output, 400)}>{oneLinePreview(trace.output) || "—"}</span>
              <span role="cell" className="num">{formatDuration(trace.durationMs)}</span>
              <span role="cell" className="num">{formatTokens(trace.tokens.total)}</span>
              <span role="cell" className="num">{formatCost(trace.cost.total)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
