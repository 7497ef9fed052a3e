import type { SessionSortKey, SortOrder } from "../lib/sessionsSearch.ts";

interface SortHeaderProps {
  label: string;
  sortKey: SessionSortKey;
  activeSort: SessionSortKey;
  activeOrder: SortOrder;
  onSort: (key: SessionSortKey) => void;
  align?: "left" | "right";
}

/** A sortable column header: a real button inside a <th> carrying aria-sort. */
export function SortHeader({ label, sortKey, activeSort, activeOrder, onSort, align = "left" }: SortHeaderProps) {
  const active = sortKey === activeSort;
  const ariaSort = active ? (activeOrder === "asc" ? "ascending" : "descending") : "none";
  return (
    <th scope="col" aria-sort={ariaSort} className={`th-sort${align === "right" ? " num" : ""}`}>
      <button
        type="button"
        className={`sort-button${active ? " sort-button--active" : ""}`}
        onClick={() => onSort(sortKey)}
        title={`Sort by ${label.toLowerCase()}`}
        data-testid={`sort-${sortKey}`}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (activeOrder === "asc" ? "▲" : "▼") : "▼"}
        </span>
      </button>
    </th>
  );
}
