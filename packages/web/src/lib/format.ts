// Display formatting for figures and times. Numbers use en-US grouping so
// figures look the same everywhere; dates use the viewer's locale and time zone.

const EMPTY = "—";

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 12345 → "12,345". */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return integerFormat.format(value);
}

/** Token count with thousands separators: 1234 → "1,234". */
export const formatTokens = formatNumber;

/**
 * Durations: 850 → "850 ms", 1234 → "1.2 s", 184000 → "3 min 4 s",
 * 7_500_000 → "2 h 5 min", 90_000_000 → "1 d 1 h".
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return EMPTY;
  if (ms === 0) return "0 ms";
  if (ms < 1) return "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 60) return `${tenths.toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    const min = Math.floor(totalSeconds / 60);
    const sec = totalSeconds % 60;
    return sec ? `${min} min ${sec} s` : `${min} min`;
  }
  const totalMinutes = Math.round(ms / 60_000);
  if (totalMinutes < 24 * 60) {
    const h = Math.floor(totalMinutes / 60);
    const min = totalMinutes % 60;
    return min ? `${h} h ${min} min` : `${h} h`;
  }
  const totalHours = Math.round(ms / 3_600_000);
  const d = Math.floor(totalHours / 24);
  const h = totalHours % 24;
  return h ? `${d} d ${h} h` : `${d} d`;
}

const costLarge = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const costCents = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const costTiny = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumSignificantDigits: 3,
});

/** USD with precision that fits its size: "$12.35", "$0.0123", "$0.00042", "$0.00". */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return EMPTY;
  if (usd === 0) return "$0.00";
  const abs = Math.abs(usd);
  if (abs < 0.000001) return usd > 0 ? "<$0.000001" : "-<$0.000001";
  if (abs >= 1) return costLarge.format(usd);
  if (abs >= 0.01) return costCents.format(usd);
  return costTiny.format(usd);
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const sameYearFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const otherYearFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
});
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Full local date and time, e.g. "Mar 5, 2026, 14:03:12". */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : EMPTY;
}

/** Compact local date and time to the minute ("Mar 5, 14:03"); just the date for other years. */
export function formatShortDateTime(value: string | number | Date | null | undefined, now: Date = new Date()): string {
  const date = toDate(value);
  if (!date) return EMPTY;
  return date.getFullYear() === now.getFullYear() ? sameYearFormat.format(date) : otherYearFormat.format(date);
}

/** Local time of day, e.g. "14:03:12". */
export function formatTime(value: string | number | Date | null | undefined): string {
  const date = toDate(value);
  return date ? timeFormat.format(date) : EMPTY;
}

const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "long" });

/** Relative to now: "just now", "5 minutes ago", "3 hours ago", "yesterday", "2 months ago". */
export function formatRelativeTime(value: string | number | Date | null | undefined, now: Date = new Date()): string {
  const date = toDate(value);
  if (!date) return EMPTY;
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["minute", 60],
    ["hour", 3600],
    ["day", 86_400],
    ["week", 604_800],
    ["month", 2_629_800],
    ["year", 31_557_600],
  ];
  let unit: Intl.RelativeTimeFormatUnit = "minute";
  let size = 60;
  for (const [u, s] of units) {
    if (abs >= s * 0.95) {
      unit = u;
      size = s;
    }
  }
  return relativeFormat.format(Math.round(seconds / size), unit);
}

/** Collapses whitespace so multi-line text fits a one-line table cell. */
export function oneLine(text: string | null | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}
