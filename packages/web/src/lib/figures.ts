// Figures for stats cards, chart axes and annotation cells (format.ts has the basics).
import { formatCost, formatNumber } from "./format.ts";

const EMPTY = "—";

/** A share from 0 to 1 as a percentage: 0.125 → "12.5%", 0 → "0%", 1 → "100%". */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return EMPTY;
  const pct = share * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  if (pct < 0.1 && pct > 0) return "<0.1%";
  return `${pct.toFixed(pct < 10 ? 1 : 0)}%`;
}

/** A mean, with up to 1 decimal: 3.25 → "3.3", 4 → "4". */
export function formatMean(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return Number.isInteger(value) ? formatNumber(value) : value.toFixed(1);
}

/** An annotation's (mean) score: up to 2 decimals, trailing zeros dropped: 0.5 → "0.5", 0.8333 → "0.83". */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return String(Number(value.toFixed(2)));
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Axis labels: 1200 → "1.2K". */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return EMPTY;
  return Math.abs(value) < 1000 ? String(Number(value.toFixed(2))) : compact.format(value);
}

/** Axis labels for money: "$0", "$0.05", "$1.2K". */
export function formatCompactCost(value: number): string {
  if (!Number.isFinite(value)) return EMPTY;
  if (value === 0) return "$0";
  if (Math.abs(value) >= 1000) return `$${compact.format(value)}`;
  return formatCost(value);
}
