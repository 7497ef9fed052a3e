import type { ReactNode } from "react";
import type { SortOrder } from "../lib/sessionsSearch.ts";

interface SortHeaderProps<K extends string> {
  label: ReactNode;
  /** Accessible name and tooltip when the label is not plain text. */
  title?: string;
  sortKey: K;
  activeSort: K;
  activeOrder: SortOrder;
  onSort: (key: K) => void;
  align?: "left" | "right";
  testId?: string;
}

/** A sortable column header: a real button inside a <th> carrying aria-sort. */
export function SortHeader<K extends string>({
  label,
  title,
  sortKey,
  activeSort,
  activeOrder,
  onSort,
  align = "left",
  testId,
}: SortHeaderProps<K>) {
  const active = sortKey === activeSort;
  const ariaSort = active ? (activeOrder === "asc" ? "ascending" : "descending") : "none";
  const name = title ?? (typeof label === "string" ? label : sortKey);
  return (
    <th scope="col" aria-sort={ariaSort} className={`th-sort${align === "right" ? " num" : ""}`}>
      <button
        type="button"
        className={`sort-button${active ? " sort-button--active" : ""}`}
        onClick={() => onSort(sortKey)}
        title={`Sort by ${title ?? name.toLowerCase()}`}
        data-testid={testId ?? `sort-${sortKey}`}
      >
        <span className="sort-button__label">{label}</span>
        <span className="sort-arrow" aria-hidden="true">
          {active ? (activeOrder === "asc" ? "▲" : "▼") : "▼"}
        </span>
      </button>
    </th>
  );
}
