// Time series helpers for the charts: dense buckets, "nice" axis ticks, bucket labels.
import type { SeriesPoint } from "../api/types.ts";

/** Charts never draw more buckets than this (gaps are not filled beyond it). */
const MAX_BUCKETS = 1000;

export interface FillOptions {
  /** Stretch the axis to cover this window (the filter's from/to), epoch ms. */
  fromMs?: number;
  toMs?: number;
  /** Show at least this many buckets (ending at the last one), so a burst is seen in context. */
  minBuckets?: number;
}

const DAY_MS = 86_400_000;

/** At least a day of hours, or two weeks of days. */
export function defaultMinBuckets(bucketMs: number): number {
  return bucketMs < DAY_MS ? 24 : 14;
}

function emptyPoint(t: number): SeriesPoint {
  return { time: new Date(t).toISOString(), sessionCount: 0, traceCount: 0, tokens: 0, cost: 0, errorCount: 0 };
}

/**
 * The API leaves out empty buckets; charts want every bucket of the window, empty ones as zero
 * (scores as missing). The grid follows the API's buckets; the window covers the data, the
 * filter's from/to when given, and at least `minBuckets`.
 */
export function fillSeries(series: readonly SeriesPoint[], bucketMs: number, options: FillOptions = {}): SeriesPoint[] {
  if (series.length === 0) return [];
  const sorted = [...series].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  if (!(bucketMs > 0)) return sorted;
  const first = Date.parse(sorted[0].time);
  const last = Date.parse(sorted[sorted.length - 1].time);
  const byTime = new Map(sorted.map((p) => [Date.parse(p.time), p]));
  // Points off the bucket grid (should not happen) are kept as they are rather than lost.
  for (const t of byTime.keys()) if ((t - first) % bucketMs !== 0) return sorted;

  let start = first;
  let end = last;
  if (options.fromMs !== undefined && Number.isFinite(options.fromMs) && options.fromMs < first) {
    start = first - Math.floor((first - options.fromMs) / bucketMs) * bucketMs;
  }
  if (options.toMs !== undefined && Number.isFinite(options.toMs) && options.toMs > last) {
    end = last + Math.floor((options.toMs - last) / bucketMs) * bucketMs;
  }
  const minBuckets = options.minBuckets ?? 0;
  if ((end - start) / bucketMs + 1 < minBuckets) start = end - (minBuckets - 1) * bucketMs;
  const count = Math.round((end - start) / bucketMs) + 1;
  if (count > MAX_BUCKETS) {
    // Too wide to draw bucket by bucket: keep the most recent ones that still hold all the data.
    start = Math.min(first, end - (MAX_BUCKETS - 1) * bucketMs);
    if (Math.round((end - start) / bucketMs) + 1 > MAX_BUCKETS) return sorted;
  }

  const filled: SeriesPoint[] = [];
  for (let t = start; t <= end; t += bucketMs) filled.push(byTime.get(t) ?? emptyPoint(t));
  return filled;
}

/** Upper bound and ticks for a y axis starting at 0: 1, 2, 2.5 or 5 times a power of ten. */
export function niceScale(max: number, tickCount = 3): { max: number; ticks: number[] } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, ticks: [0, 1] };
  const rough = max / tickCount;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { max: top, ticks };
}

/** A range of scores (min..max) with a little room; [0, 1] when scores look like fractions. */
export function scoreScale(values: readonly number[]): { min: number; max: number; ticks: number[] } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: 0, max: 1, ticks: [0, 0.5, 1] };
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo >= 0 && hi <= 1) return { min: 0, max: 1, ticks: [0, 0.5, 1] };
  const { max, ticks } = niceScale(Math.max(Math.abs(hi), Math.abs(lo)));
  const min = lo < 0 ? -max : 0;
  return { min, max, ticks: lo < 0 ? [-max, 0, max] : ticks };
}

const hourFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const hourOnlyFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric" });
const dayHourFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const dayYearFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

/**
 * Axis labels for bucket starts: hours as "3 PM", except where the day changes ("Nov 21");
 * days as "Nov 21" ("Nov 21, 2025" in another year than the last bucket).
 */
export function axisLabels(times: readonly number[], bucketMs: number): string[] {
  const lastYear = times.length ? new Date(times[times.length - 1]).getFullYear() : 0;
  let previousDay = "";
  return times.map((t, i) => {
    const date = new Date(t);
    if (bucketMs >= 86_400_000) return date.getFullYear() === lastYear ? dayFormat.format(date) : dayYearFormat.format(date);
    const day = date.toDateString();
    const label = i > 0 && day !== previousDay ? dayFormat.format(date) : hourOnlyFormat.format(date);
    previousDay = day;
    return label;
  });
}

/** Tooltip title of a bucket: "Mar 5, 14:00 – 15:00" or "Mar 5, 2026". */
export function bucketTitle(time: number, bucketMs: number): string {
  const start = new Date(time);
  if (bucketMs < 86_400_000) {
    return `${dayHourFormat.format(start)} – ${hourFormat.format(new Date(time + bucketMs))}`;
  }
  if (bucketMs === 86_400_000) return dayYearFormat.format(start);
  return `${dayYearFormat.format(start)} – ${dayYearFormat.format(new Date(time + bucketMs - 1))}`;
}

/** "hour" / "day" for the chart captions. */
export function bucketName(bucketMs: number): string {
  if (bucketMs === 3_600_000) return "hour";
  if (bucketMs === 86_400_000) return "day";
  if (bucketMs === 7 * 86_400_000) return "week";
  if (bucketMs < 3_600_000) return `${Math.round(bucketMs / 60_000)} min`;
  if (bucketMs < 86_400_000) return `${Math.round(bucketMs / 3_600_000)} h`;
  return `${Math.round(bucketMs / 86_400_000)} days`;
}
