// Live updates: subscribes to a project's change stream (Server-Sent Events) and refetches
// the queries a commit touched, so new sessions and turns appear without a reload.
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.ts";
import { invalidateProjectChanges } from "../api/queries.ts";
import type { ChangeEvent } from "../api/types.ts";

export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

/** Bursts of commits (a busy ingest commits every few ms) refetch at most this often. */
const FLUSH_INTERVAL_MS = 750;
/** When the stream is closed for good (e.g. the server refused it), try again after this long. */
const RETRY_MS = [2_000, 5_000, 15_000, 30_000];

function parseChange(data: unknown): ChangeEvent | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (!value || typeof value !== "object") return null;
    const { sessionIds, traceIds } = value as Partial<ChangeEvent>;
    return {
      project: String((value as Partial<ChangeEvent>).project ?? ""),
      sessionIds: Array.isArray(sessionIds) ? sessionIds.filter((id) => typeof id === "string") : [],
      traceIds: Array.isArray(traceIds) ? traceIds.filter((id) => typeof id === "string") : [],
    };
  } catch {
    return null;
  }
}

export function useLiveUpdates(project: string | undefined): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    if (project === undefined || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = 0;
    let attempts = 0;
    let everOpened = false;
    let disposed = false;
    const pendingSessions = new Set<string>();
    const pendingTraces = new Set<string>();

    const flush = () => {
      flushTimer = undefined;
      lastFlush = Date.now();
      const sessionIds = [...pendingSessions];
      const traceIds = [...pendingTraces];
      pendingSessions.clear();
      pendingTraces.clear();
      invalidateProjectChanges(queryClient, project, { sessionIds, traceIds });
    };

    const schedule = () => {
      if (flushTimer !== undefined) return;
      const wait = Math.max(0, lastFlush + FLUSH_INTERVAL_MS - Date.now());
      flushTimer = setTimeout(flush, wait);
    };

    const onChanges = (event: MessageEvent) => {
      const change = parseChange(event.data);
      if (!change) return;
      for (const id of change.sessionIds) pendingSessions.add(id);
      for (const id of change.traceIds) pendingTraces.add(id);
      schedule();
    };

    const connect = () => {
      if (disposed) return;
      setState(everOpened ? "reconnecting" : "connecting");
      source = new EventSource(api.eventsUrl(project));
      source.addEventListener("changes", onChanges);
      source.addEventListener("open", () => {
        // After a gap, whatever changed meanwhile was missed: refresh everything of the project.
        if (everOpened) invalidateProjectChanges(queryClient, project, "all");
        everOpened = true;
        attempts = 0;
        setState("live");
      });
      source.addEventListener("error", () => {
        if (!source) return;
        if (source.readyState === EventSource.CLOSED) {
          // The browser gives up on HTTP errors; retry with a back-off.
          source.close();
          source = null;
          setState("offline");
          retryTimer = setTimeout(connect, RETRY_MS[Math.min(attempts++, RETRY_MS.length - 1)]);
        } else {
          setState("reconnecting"); // the browser reconnects by itself
        }
      });
    };

    connect();
    return () => {
      disposed = true;
      source?.close();
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
    };
  }, [project, queryClient]);

  return project === undefined ? "offline" : state;
}
