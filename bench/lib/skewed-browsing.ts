// The browsing client of the skewed bench's mixed load (bench/skewed.bench.ts): one person paging
// through the sessions list and opening sessions from the page while ingest runs at full speed.
import type { SessionDetail, SessionList } from "../../packages/server/src/api/types.ts";
import type { Case } from "./measure.ts";
import { Rng } from "./rng.ts";
import { TARGET_DETAIL_MS, TARGET_LIST_MS, type SkewedManifest } from "./skewed-queries.ts";

/** What a person browsing does: pages of the sessions list (newest first), a session's detail in between. */
export function browsingCases(manifest: SkewedManifest): { list: Case; detail: Case } {
  const project = encodeURIComponent(manifest.summary.project);
  const rng = new Rng(manifest.traffic.seed + 3000);
  const list = `/api/v1/projects/${project}/sessions?limit=50`;
  let cursor: string | null = null;
  let page = 0;
  let seen: string[] = manifest.summary.sampleSessions.slice(0, 50);
  return {
    list: {
      name: "browse: sessions list, pages 1-5 (newest first)",
      targetMs: TARGET_LIST_MS,
      path: () => {
        const path = cursor && page % 5 !== 0 ? `${list}&cursor=${encodeURIComponent(cursor)}` : list;
        page++;
        return path;
      },
      check: (body) => {
        const answer = body as SessionList;
        cursor = answer?.nextCursor ?? null;
        if (answer?.sessions?.length) seen = answer.sessions.map((s) => s.sessionId);
        return Array.isArray(answer?.sessions) ? null : "no sessions array";
      },
    },
    detail: {
      name: "browse: session detail (from the page just listed)",
      targetMs: TARGET_DETAIL_MS,
      path: () => `/api/v1/projects/${project}/sessions/${encodeURIComponent(rng.pick(seen))}`,
      check: (body) => (Array.isArray((body as SessionDetail)?.traces) ? null : "no traces in the session"),
    },
  };
}
