import { useLayoutEffect, useRef, useState, type MouseEvent, type RefObject } from "react";
import { axisLabels, bucketTitle, niceScale, scoreScale } from "../../lib/series.ts";
import "../../styles/charts.css";

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS color (custom properties welcome). */
  color: string;
  /** One value per bucket; null where there is none (lines break there). */
  values: ReadonlyArray<number | null>;
}

interface TimeSeriesChartProps {
  title: string;
  /** Bucket starts, epoch ms, ascending. */
  times: readonly number[];
  bucketMs: number;
  series: readonly ChartSeries[];
  /** "stacked": every series' bars on top of each other (e.g. sessions by label). */
  kind: "bar" | "line" | "stacked";
  format: (value: number) => string;
  /** "zero": from 0 to a nice maximum; "score": 0..1 for fractions, else symmetric/nice. */
  scale?: "zero" | "score";
  /** The headline figure next to the title (e.g. the total). */
  headline?: string;
  height?: number;
  testId?: string;
}

const PAD = { top: 8, right: 8, bottom: 20, left: 46 };

function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((current) => (current === next ? current : next));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A small SVG chart of values per time bucket: bars for one series, lines for several. */
export function TimeSeriesChart({
  title,
  times,
  bucketMs,
  series,
  kind,
  format,
  scale = "zero",
  headline,
  height = 132,
  testId,
}: TimeSeriesChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const n = times.length;

  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  // Stacked bars reach the sum of their bucket's values.
  const sums = times.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const y =
    scale === "score"
      ? scoreScale(all)
      : (() => {
          const { max, ticks } = niceScale(Math.max(0, ...(kind === "stacked" ? sums : all)));
          return { min: 0, max, ticks };
        })();

  const plotW = Math.max(0, width - PAD.left - PAD.right);
  const plotH = height - PAD.top - PAD.bottom;
  const band = n > 0 ? plotW / n : 0;
  const xOf = (i: number) => PAD.left + band * (i + 0.5);
  const yOf = (v: number) => PAD.top + plotH - ((v - y.min) / (y.max - y.min || 1)) * plotH;

  // Labels of every bucket, then every k-th one so that they do not collide (about 6 px a character).
  const labelWidth = Math.max(0, ...axisLabels(times, bucketMs).map((l) => l.length)) * 6 + 18;
  const labelEvery = Math.max(1, Math.ceil(labelWidth / Math.max(1, band)));
  // The latest bucket is always labelled; the date shows where it changes between labels.
  const shown = times.map((_, i) => i).filter((i) => (n - 1 - i) % labelEvery === 0);
  const shownLabels = axisLabels(shown.map((i) => times[i]), bucketMs);
  const onMove = (event: MouseEvent<SVGSVGElement>) => {
    if (n === 0 || band <= 0) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const i = Math.floor((event.clientX - rect.left - PAD.left) / band);
    setHover(i >= 0 && i < n ? i : null);
  };

  const empty = n === 0 || all.length === 0;
  const summary = empty
    ? `${title}: no data`
    : `${title} per bucket, ${n} bucket${n === 1 ? "" : "s"}${headline ? `, ${headline} in total` : ""}`;

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart__head">
        <span className="chart__title">{title}</span>
        {headline !== undefined && <span className="chart__headline">{headline}</span>}
        {series.length > 1 && (
          <span className="chart__legend">
            {series.map((s) => (
              <span key={s.key} className="chart__legend-item" title={s.label}>
                <span className="chart__swatch" style={{ background: s.color }} aria-hidden="true" />
                <span className="truncate">{s.label}</span>
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <div className="chart__plot" ref={ref} style={{ height }}>
        {empty ? (
          <div className="chart__empty muted">No data in this range</div>
        ) : (
          width > 0 && (
            <svg
              width={width}
              height={height}
              role="img"
              aria-label={summary}
              onMouseMove={onMove}
              onMouseLeave={() => setHover(null)}
            >
              {y.ticks.map((tick) => (
                <g key={tick} className="chart__grid">
                  <line x1={PAD.left} x2={width - PAD.right} y1={yOf(tick)} y2={yOf(tick)} />
                  <text x={PAD.left - 6} y={yOf(tick)} dy="0.32em" textAnchor="end">
                    {format(tick)}
                  </text>
                </g>
              ))}
              {shown.map((i, k) => (
                <text key={times[i]} className="chart__xlabel" x={xOf(i)} y={height - 5} textAnchor="middle">
                  {shownLabels[k]}
                </text>
              ))}
              {hover !== null && (
                <rect className="chart__hover" x={PAD.left + band * hover} y={PAD.top} width={band} height={plotH} />
              )}
              {kind === "bar"
                ? series.slice(0, 1).map((s) =>
                    s.values.map((v, i) => {
                      if (v === null || v <= 0) return null;
                      const barW = Math.max(1, Math.min(band * 0.72, 28));
                      const top = yOf(v);
                      return (
                        <rect
                          key={`${s.key}-${i}`}
                          className="chart__bar"
                          x={xOf(i) - barW / 2}
                          y={top}
                          width={barW}
                          height={Math.max(1, PAD.top + plotH - top)}
                          rx={Math.min(2, barW / 4)}
                          style={{ fill: s.color }}
                        />
                      );
                    }),
                  )
                : kind === "stacked"
                  ? times.map((_, i) => {
                      const barW = Math.max(1, Math.min(band * 0.72, 28));
                      let below = 0;
                      return series.map((s) => {
                        const v = s.values[i] ?? 0;
                        if (v <= 0) return null;
                        const bottom = yOf(below);
                        below += v;
                        return (
                          <rect key={`${s.key}-${i}`} className="chart__bar" x={xOf(i) - barW / 2} y={yOf(below)} width={barW}
                            height={Math.max(1, bottom - yOf(below))} style={{ fill: s.color }} />
                        );
                      });
                    })
                  : series.map((s) => <Line key={s.key} series={s} xOf={xOf} yOf={yOf} dots={n <= 48} />)}
            </svg>
          )
        )}
        {hover !== null && !empty && (
          <div
            className={`chart__tooltip${xOf(hover) > width / 2 ? " chart__tooltip--left" : ""}`}
            style={{ left: xOf(hover) }}
            role="presentation"
          >
            <div className="chart__tooltip-title">{bucketTitle(times[hover], bucketMs)}</div>
            {series.map((s) => (
              <div key={s.key} className="chart__tooltip-row">
                <span className="chart__swatch" style={{ background: s.color }} aria-hidden="true" />
                <span className="chart__tooltip-label">{s.label}</span>
                <span className="chart__tooltip-value">{s.values[hover] === null ? "—" : format(s.values[hover] ?? 0)}</span>
              </div>
            ))}
          </div>
        )}
      </div>
    </figure>
  );
}

function Line({
  series,
  xOf,
  yOf,
  dots,
}: {
  series: ChartSeries;
  xOf: (i: number) => number;
  yOf: (v: number) => number;
  dots: boolean;
}) {
  let d = "";
  let pen = false;
  series.values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`;
    pen = true;
  });
  return (
    <g className="chart__series">
      <path className="chart__line" d={d} style={{ stroke: series.color }} />
      {series.values.map((v, i) => {
        if (v === null || !Number.isFinite(v)) return null;
        const lonely = (series.values[i - 1] ?? null) === null && (series.values[i + 1] ?? null) === null;
        if (!dots && !lonely) return null;
        return <circle key={i} className="chart__dot" cx={xOf(i)} cy={yOf(v)} r={2.5} style={{ fill: series.color }} />;
      })}
    </g>
  );
}

/** Colors of the chart series, in order. */
export const CHART_COLORS = [
  "var(--chart-1)",
  "var(--chart-2)",
  "var(--chart-3)",
  "var(--chart-4)",
  "var(--chart-5)",
  "var(--chart-6)",
];
