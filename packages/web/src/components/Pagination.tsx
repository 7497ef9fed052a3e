interface PaginationProps {
  /** Whether the current page is not the first one (a cursor is set). */
  hasPrevious: boolean;
  nextCursor: string | null;
  onFirst: () => void;
  onNext: (cursor: string) => void;
  summary?: string;
}

/** Cursor pagination: the API only gives a cursor forward, so "First page" resets. */
export function Pagination({ hasPrevious, nextCursor, onFirst, onNext, summary }: PaginationProps) {
  return (
    <nav className="pagination" aria-label="Pagination">
      <span className="pagination__summary muted">{summary}</span>
      <button type="button" className="button" disabled={!hasPrevious} onClick={onFirst}>
        First page
      </button>
      <button
        type="button"
        className="button"
        disabled={nextCursor === null}
        onClick={() => {
          if (nextCursor !== null) onNext(nextCursor);
        }}
      >
        Next page
      </button>
    </nav>
  );
}
