import { formatDateTime, formatRelativeTime, formatShortDateTime, formatTime } from "../lib/format.ts";

type TimeStyle = "short" | "full" | "time" | "relative";

const formatters: Record<TimeStyle, (iso: string) => string> = {
  short: (iso) => formatShortDateTime(iso),
  full: formatDateTime,
  time: formatTime,
  relative: (iso) => formatRelativeTime(iso),
};

/** A <time> element; the tooltip shows the full local date plus how long ago it was. */
export function TimeText({ iso, style = "short" }: { iso: string | null | undefined; style?: TimeStyle }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={`${formatDateTime(iso)} (${formatRelativeTime(iso)})`}>
      {formatters[style](iso)}
    </time>
  );
}
