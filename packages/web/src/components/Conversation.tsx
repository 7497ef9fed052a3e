import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { conversationQuery } from "../api/queries.ts";
import type { Annotation, ConversationTurn } from "../api/types.ts";
import { idleGapBefore, toolNamesById } from "../lib/conversation.ts";
import { formatNumber } from "../lib/format.ts";
import { EmptyState, ErrorState, LoadingState, Spinner } from "./states.tsx";
import { isPointer, Turn } from "./Turn.tsx";

/** Up to this many turns render as a plain list (find-in-page works); longer sessions are virtualized. */
export const PLAIN_LIST_MAX_TURNS = 150;

interface ConversationProps {
  project: string;
  sessionId: string;
  /** The session's turn count: decides up front whether to virtualize. */
  traceCount: number;
  userLabel: string;
  showSystem: boolean;
  activeTraceId: string | null;
  onOpenTrace: (traceId: string, spanId?: string) => void;
  /** The session's evaluations; those that point at a turn are marked on it. */
  pointers?: Annotation[];
}

/**
 * The session as a chat, turn after turn, each message once (the conversation endpoint drops the
 * history every LLM call re-sends). Turns load a page at a time as the reader scrolls; long sessions
 * render only the turns near the viewport.
 */
export function Conversation({ project, sessionId, traceCount, userLabel, showSystem, activeTraceId, onOpenTrace, pointers = [] }: ConversationProps) {
  const query = useInfiniteQuery(conversationQuery(project, sessionId));
  const turns = useMemo(() => query.data?.pages.flatMap((page) => page.turns) ?? [], [query.data]);
  const toolNames = useMemo(() => toolNamesById(turns), [turns]);
  // Evaluations that point at a turn, by its trace.
  const pointing = useMemo(() => Map.groupBy(pointers.filter(isPointer), (a) => a.metadata!.traceId as string), [pointers]);
  const { fetchNextPage: fetchNext } = query;
  const fetchNextPage = useCallback(() => void fetchNext(), [fetchNext]);
  // A link with ?trace= opens with that turn in view (once, when it is among the loaded turns).
  const [initialTraceId] = useState(activeTraceId);
  const initialIndex = useMemo(() => (initialTraceId ? turns.findIndex((t) => t.traceId === initialTraceId) : -1), [initialTraceId, turns]);

  if (query.isPending) return <LoadingState label="Loading conversation…" />;
  if (query.isError && turns.length === 0) {
    return <ErrorState title="Could not load the conversation" error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (turns.length === 0) return <EmptyState title="No turns in this session" />;

  const renderTurn = (index: number) => {
    const turn = turns[index]!;
    return (
      <Turn
        project={project}
        sessionId={sessionId}
        turn={turn}
        index={index}
        gapMs={idleGapBefore(turns[index - 1], turn)}
        showSystem={showSystem}
        toolNames={toolNames}
        userLabel={userLabel}
        onOpenTrace={onOpenTrace}
        active={turn.traceId === activeTraceId}
        pointers={pointing.get(turn.traceId)}
      />
    );
  };
  const paging = {
    hasNextPage: query.hasNextPage,
    isFetchingNextPage: query.isFetchingNextPage,
    fetchNextPage,
    error: query.isFetchNextPageError ? query.error : null,
  };
  const virtualize = traceCount > PLAIN_LIST_MAX_TURNS || turns.length > PLAIN_LIST_MAX_TURNS;
  return (
    <>
      {virtualize ? (
        <VirtualTurns turns={turns} renderTurn={renderTurn} initialIndex={initialIndex} {...paging} />
      ) : (
        <PlainTurns turns={turns} renderTurn={renderTurn} initialIndex={initialIndex} {...paging} />
      )}
      {!query.hasNextPage && (
        <p className="chat__end muted" data-testid="conversation-end">
          End of the session · {formatNumber(turns.length)} turn{turns.length === 1 ? "" : "s"}
        </p>
      )}
    </>
  );
}

interface TurnListProps {
  turns: ConversationTurn[];
  renderTurn: (index: number) => ReactNode;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  error: unknown;
  /** Scroll this turn into view once (-1: none). */
  initialIndex: number;
}

/** Runs `scroll` once, the first time `index` is a loaded turn. */
function useScrollOnce(index: number, scroll: (index: number) => void) {
  const done = useRef(false);
  useEffect(() => {
    if (done.current || index < 0) return;
    done.current = true;
    scroll(index);
  }, [index, scroll]);
}

function LoadMore({ isFetchingNextPage, fetchNextPage, error }: Pick<TurnListProps, "isFetchingNextPage" | "fetchNextPage" | "error">) {
  return (
    <div className="chat__more" data-testid="conversation-more">
      {isFetchingNextPage ? (
        <>
          <Spinner label="Loading more turns" /> <span className="muted">Loading more turns…</span>
        </>
      ) : (
        <>
          {error !== null && <span className="chat__error">Could not load more turns. </span>}
          <button type="button" className="button button--sm" onClick={fetchNextPage}>
            {error !== null ? "Try again" : "Load more turns"}
          </button>
        </>
      )}
    </div>
  );
}

function PlainTurns({ turns, renderTurn, hasNextPage, isFetchingNextPage, fetchNextPage, error, initialIndex }: TurnListProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  useScrollOnce(
    initialIndex,
    useCallback((index: number) => listRef.current?.children[index]?.scrollIntoView({ block: "center" }), []),
  );
  // Load the next page when its placeholder scrolls into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage || isFetchingNextPage || error !== null) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) fetchNextPage();
    }, { rootMargin: "600px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, error]);
  return (
    <div ref={listRef} className="chat" aria-label="Conversation" data-testid="conversation" data-loaded-turns={turns.length}>
      {turns.map((turn, index) => (
        <div key={turn.traceId} className="chat__item">
          {renderTurn(index)}
        </div>
      ))}
      {hasNextPage && (
        <div ref={sentinel}>
          <LoadMore isFetchingNextPage={isFetchingNextPage} fetchNextPage={fetchNextPage} error={error} />
        </div>
      )}
    </div>
  );
}

/** Window-scrolled virtual list: only the turns near the viewport are in the DOM; heights are measured. */
function VirtualTurns({ turns, renderTurn, hasNextPage, isFetchingNextPage, fetchNextPage, error, initialIndex }: TurnListProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // The list starts below the summary and the annotations, whose height changes: keep its offset current.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const update = () => setScrollMargin(Math.round(el.getBoundingClientRect().top + window.scrollY));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const count = turns.length + (hasNextPage ? 1 : 0);
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => 260,
    overscan: 4,
    scrollMargin,
    getItemKey: (index) => turns[index]?.traceId ?? "more",
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;
  useScrollOnce(
    initialIndex,
    useCallback((index: number) => virtualizer.scrollToIndex(index, { align: "center" }), [virtualizer]),
  );

  // Fetch the next page a little before the reader gets to the end of what is loaded.
  useEffect(() => {
    if (lastIndex >= turns.length - 10 && hasNextPage && !isFetchingNextPage && error === null) fetchNextPage();
  }, [lastIndex, turns.length, hasNextPage, isFetchingNextPage, fetchNextPage, error]);

  return (
    <div
      ref={listRef}
      className="chat chat--virtual"
      aria-label="Conversation"
      data-testid="conversation"
      data-loaded-turns={turns.length}
      style={{ height: virtualizer.getTotalSize() }}
    >
      {items.map((item) => (
        <div
          key={item.key}
          data-index={item.index}
          ref={virtualizer.measureElement}
          className="chat__item chat__item--virtual"
          style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
        >
          {item.index < turns.length ? (
            renderTurn(item.index)
          ) : (
            <LoadMore isFetchingNextPage={isFetchingNextPage} fetchNextPage={fetchNextPage} error={error} />
          )}
        </div>
      ))}
    </div>
  );
}
