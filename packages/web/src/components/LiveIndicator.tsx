import { useLiveUpdates, type LiveState } from "../lib/useLiveUpdates.ts";
import "../styles/header.css";

const TEXT: Record<LiveState, { label: string; title: string }> = {
  connecting: { label: "Connecting", title: "Connecting to live updates…" },
  live: { label: "Live", title: "New sessions and turns appear as they arrive" },
  reconnecting: { label: "Reconnecting", title: "Live updates were interrupted; reconnecting…" },
  offline: { label: "Offline", title: "Live updates are unavailable; use Refresh. Retrying in the background." },
};

/** Subscribes the open project to live updates and shows whether they flow. */
export function LiveIndicator({ project }: { project: string }) {
  const state = useLiveUpdates(project);
  const { label, title } = TEXT[state];
  return (
    <span className={`live live--${state}`} title={title} data-testid="live-status" data-state={state} role="status">
      <span className="live__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
