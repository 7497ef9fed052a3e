import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { flattenSpanTree, type SpanTree } from "../../lib/spanTree.ts";
import { formatDuration } from "../../lib/format.ts";
import { ChevronIcon } from "../icons.tsx";
import { SpanKindBadge } from "./SpanKindBadge.tsx";

const ROW_HEIGHT = 28;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

interface WaterfallProps {
  tree: SpanTree;
  selectedSpanId: string | null;
  onSelect: (spanId: string) => void;
  /** CSS max-height of the scrolling rows. */
  maxHeight?: string;
}

/** The span tree with each span's time as a bar on the trace's timeline. Rows are virtualized. */
export function Waterfall({ tree, selectedSpanId, onSelect, maxHeight = "50vh" }: WaterfallProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => flattenSpanTree(tree.roots, collapsed), [tree, collapsed]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 600, height: 400 },
  });
  const total = Math.max(tree.endMs - tree.startMs, 0.001);
  const selectedIndex = rows.findIndex((row) => row.node.span.spanId === selectedSpanId);

  const toggle = (spanId: string, open?: boolean) => {
    const next = new Set(collapsed);
    const isOpen = !next.has(spanId);
    if (open === undefined ? isOpen : !open) next.add(spanId);
    else next.delete(spanId);
    setCollapsed(next);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const row = rows[selectedIndex];
    if (row && event.key === "ArrowRight" && row.node.children.length > 0) return toggle(row.node.span.spanId, true);
    if (row && event.key === "ArrowLeft" && row.node.children.length > 0) return toggle(row.node.span.spanId, false);
    const moves: Record<string, number> = {
      ArrowDown: Math.min(rows.length - 1, selectedIndex + 1),
      ArrowUp: Math.max(0, selectedIndex - 1),
      Home: 0,
      End: rows.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = rows[next];
    if (target) {
      onSelect(target.node.span.spanId);
      virtualizer.scrollToIndex(next, { align: "auto" });
    }
  };

  return (
    <div className="waterfall" data-testid="waterfall">
      <div className="waterfall__head" aria-hidden="true">
        <div className="waterfall__name-col">
          Span <span className="muted">· {rows.length === tree.byId.size ? tree.byId.size : `${rows.length} of ${tree.byId.size}`}</span>
        </div>
        <div className="waterfall__axis">
          {TICKS.map((t) => (
            <span key={t} className="waterfall__tick" style={{ left: `${t * 100}%` }}>
              {formatDuration(t * total)}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        className="waterfall__scroll"
        style={{ maxHeight }}
        role="tree"
        aria-label="Spans"
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const { node, depth } = rows[item.index]!;
            const span = node.span;
            const left = ((node.startMs - tree.startMs) / total) * 100;
            const width = Math.max(((node.endMs - node.startMs) / total) * 100, 0.3);
            const error = span.status.code === "ERROR";
            const selected = span.spanId === selectedSpanId;
            const open = !collapsed.has(span.spanId);
            return (
              <div
                key={span.spanId}
                role="treeitem"
                aria-level={depth + 1}
                aria-selected={selected}
                aria-expanded={node.children.length > 0 ? open : undefined}
                className={`waterfall__row${selected ? " waterfall__row--selected" : ""}${error ? " waterfall__row--error" : ""}`}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                data-testid="waterfall-row"
                data-span-id={span.spanId}
                onClick={() => onSelect(span.spanId)}
              >
                <div className="waterfall__name-col" style={{ paddingLeft: 6 + depth * 14 }}>
                  {node.children.length > 0 ? (
                    <button
                      type="button"
                      className="waterfall__toggle"
                      aria-label={open ? "Collapse" : "Expand"}
                      tabIndex={-1}
                      onClick={(event) => {
                        event.stopPropagation();
                        toggle(span.spanId);
                      }}
                    >
                      <ChevronIcon open={open} />
                    </button>
                  ) : (
                    <span className="waterfall__toggle-space" />
                  )}
                  <SpanKindBadge span={span} />
                  <span className="waterfall__name" title={span.name} data-testid="waterfall-span-name">
                    {span.name}
                  </span>
                  {error && (
                    <span className="waterfall__error" title={span.status.message ?? "Error"}>
                      error
                    </span>
                  )}
                  {!open && <span className="waterfall__hidden muted">+{node.children.length}</span>}
                </div>
                <div className="waterfall__track">
                  <span
                    className={`waterfall__bar waterfall__bar--${(span.spanKind ?? "span").toLowerCase()}${error ? " waterfall__bar--error" : ""}`}
                    style={{ left: `${left}%`, width: `${width}%` }}
                  />
                  <span
                    className="waterfall__duration"
                    style={{ left: `${left + width}%` }}
                  >
                    {formatDuration(span.durationMs)}
                  </span>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
