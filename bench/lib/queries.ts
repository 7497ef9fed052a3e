// The query bench's requests: each case makes one API path per iteration (varied by a seeded
// RNG) and optionally checks the answer, so a filter the server silently ignores shows up.
import {
  SESSION_SORT_KEYS, USER_SORT_KEYS,
  type SessionList, type SessionSortKey, type SessionSummary, type UserSortKey, type UserSummary,
} from "../../packages/server/src/api/types.ts";
import type { Manifest } from "./dataset.ts";
import { getJson } from "./http.ts";
import type { Case } from "./measure.ts";
import { Rng } from "./rng.ts";
import { COMMON_WORD, MARKERS, TAGS } from "./words.ts";
import { userId } from "../traffic.ts";

export const TARGET_LIST_MS = 50;
export const TARGET_SESSION_DETAIL_MS = 20;
export const TARGET_SEARCH_MS = 300;
/** Not in the brief: a user's detail is held to the list-page target. */
export const TARGET_USER_DETAIL_MS = 50;

export type { Case } from "./measure.ts";

/** Each sort key of the sessions list and the value it sorts by (a key the API adds fails to compile here). */
export const SESSION_SORT_VALUES: Record<SessionSortKey, (s: SessionSummary) => number> = {
  startTime: (s) => Date.parse(s.startTime),
  endTime: (s) => Date.parse(s.endTime),
  durationMs: (s) => s.durationMs,
  traceCount: (s) => s.traceCount,
  spanCount: (s) => s.spanCount,
  errorCount: (s) => s.errorCount,
  llmCount: (s) => s.llmCount,
  promptTokens: (s) => s.tokens.prompt,
  completionTokens: (s) => s.tokens.completion,
  totalTokens: (s) => s.tokens.total,
  cost: (s) => s.cost.total,
  state: (s) => ["open", "idle", "closed"].indexOf(s.state),
};
export const USER_SORT_VALUES: Record<UserSortKey, (u: UserSummary) => number> = {
  firstSeen: (u) => Date.parse(u.firstSeen),
  lastSeen: (u) => Date.parse(u.lastSeen),
  sessionCount: (u) => u.sessionCount,
  traceCount: (u) => u.traceCount,
  spanCount: (u) => u.spanCount,
  errorCount: (u) => u.errorCount,
  promptTokens: (u) => u.tokens.prompt,
  completionTokens: (u) => u.tokens.completion,
  totalTokens: (u) => u.tokens.total,
  cost: (u) => u.cost.total,
};
export const SESSION_SORTS: Array<[string, (s: SessionSummary) => number]> = SESSION_SORT_KEYS.map((key) => [key, SESSION_SORT_VALUES[key]]);
/** The uniform bench's users sorts (the skewed bench measures every key). */
export const USER_SORTS = ["lastSeen", "sessionCount", "traceCount", "totalTokens", "cost", "errorCount"];
export { SESSION_SORT_KEYS, USER_SORT_KEYS };

export function sessions(body: unknown): SessionSummary[] | null {
  const list = (body as SessionList | null)?.sessions;
  return Array.isArray(list) ? list : null;
}

/** "not sorted" at the first row out of order (`value` descending), or null. */
export function descending<T>(list: T[], value: (item: T) => number, what: string): string | null {
  const i = list.findIndex((item, k) => k > 0 && value(list[k - 1]) < value(item));
  return i > 0 ? `not sorted by ${what} desc at row ${i}` : null;
}

/** Every returned session must satisfy `ok`; names the first one that does not. */
export function every(what: string, ok: (s: SessionSummary, path: string) => boolean) {
  return (body: unknown, path: string) => {
    const list = sessions(body);
    if (!list) return "no sessions array";
    const bad = list.find((s) => !ok(s, path));
    return bad ? `${what} not applied (session ${bad.sessionId})` : null;
  };
}

export function buildCases(base: string, manifest: Manifest): Case[] {
  const { summary, traffic } = manifest;
  const project = encodeURIComponent(summary.project);
  const sessionsPath = `/api/v1/projects/${project}/sessions?limit=50`;
  const rng = new Rng(traffic.seed + 1000);
  const randomUser = () => userId(rng.int(0, summary.users - 1));
  const iso = (ms: number) => new Date(ms).toISOString();
  const param = (path: string, name: string) => new URL(path, base).searchParams.get(name) ?? "";

  const cases: Case[] = SESSION_SORTS.map(([sort, value]) => ({
    name: `sessions sort=${sort}`,
    targetMs: TARGET_LIST_MS,
    path: () => `${sessionsPath}&sort=${sort}&order=desc`,
    check: (body) => {
      const list = sessions(body);
      if (!list) return "no sessions array";
      if (list.length === 0) return "empty page";
      return descending(list, value, sort);
    },
    essential: sort === "startTime" ? undefined : ["sort"],
  }));

  for (const sort of ["startTime", "totalTokens"]) {
    cases.push({
      name: `sessions sort=${sort} cursor pages 2-5`,
      targetMs: TARGET_LIST_MS,
      async path(i) {
        let path = `${sessionsPath}&sort=${sort}&order=desc`;
        for (let page = 1; page <= 1 + (i % 4); page++) {
          const { status, body } = await getJson<SessionList>(base + path);
          if (status !== 200 || !body.nextCursor) return path;
          path = `${sessionsPath}&sort=${sort}&order=desc&cursor=${encodeURIComponent(body.nextCursor)}`;
        }
        return path;
      },
    });
  }

  const hour = 3600_000;
  cases.push(
    {
      name: "sessions user=<id>",
      targetMs: TARGET_LIST_MS,
      path: () => `${sessionsPath}&user=${randomUser()}`,
      check: every("user filter", (s, path) => s.userIds.includes(param(path, "user"))),
      essential: ["user"],
    },
    ...[1, 24].map((hours) => ({
      name: `sessions from/to (${hours} h window)`,
      targetMs: TARGET_LIST_MS,
      path: () => {
        const from = summary.firstMs + rng.float() * (summary.lastMs - summary.firstMs - hours * hour);
        return `${sessionsPath}&from=${iso(from)}&to=${iso(from + hours * hour)}`;
      },
      check: every("time range", (s: SessionSummary, path: string) =>
        Date.parse(s.startTime) <= Date.parse(param(path, "to")) && Date.parse(s.endTime) >= Date.parse(param(path, "from")),
      ),
      essential: ["from", "to"],
    })),
    {
      name: `sessions q=${COMMON_WORD} (common word)`,
      targetMs: TARGET_SEARCH_MS,
      path: () => `${sessionsPath}&q=${COMMON_WORD}`,
      check: (body) => (sessions(body)?.length ? null : "no results for a word in most sessions"),
    },
    {
      name: "sessions q=<rare marker word>",
      targetMs: TARGET_SEARCH_MS,
      path: (i) => `${sessionsPath}&q=${MARKERS[i % MARKERS.length]}`,
      check: (body, path) =>
        summary.markerTurns[param(path, "q")] > 0 && !sessions(body)?.length ? "no results (the word is in the data)" : null,
    },
    {
      name: "sessions hasErrors=true",
      targetMs: TARGET_LIST_MS,
      path: () => `${sessionsPath}&hasErrors=true`,
      check: every("hasErrors", (s) => s.errorCount > 0),
      essential: ["hasErrors"],
    },
    {
      name: "sessions tag=<tag>",
      targetMs: TARGET_LIST_MS,
      path: () => `${sessionsPath}&tag=${rng.pick(TAGS)}`,
      check: every("tag filter", (s, path) => !Array.isArray(s.tags) || s.tags.includes(param(path, "tag"))),
      essential: ["tag"],
    },
    {
      name: "sessions user=<id>&sort=cost",
      targetMs: TARGET_LIST_MS,
      path: () => `${sessionsPath}&user=${randomUser()}&sort=cost&order=desc`,
      check: every("user filter", (s, path) => s.userIds.includes(param(path, "user"))),
      essential: ["user"],
    },
    {
      name: "session detail",
      targetMs: TARGET_SESSION_DETAIL_MS,
      path: () => `/api/v1/projects/${project}/sessions/${encodeURIComponent(rng.pick(summary.sampleSessions))}`,
      check: (body) => {
        const traces = (body as { traces?: unknown[] } | null)?.traces;
        return Array.isArray(traces) && traces.length > 0 ? null : "no traces in the session";
      },
    },
  );
  for (const sort of USER_SORTS) {
    cases.push({
      name: `users sort=${sort}`,
      targetMs: TARGET_LIST_MS,
      path: () => `/api/v1/projects/${project}/users?limit=50&sort=${sort}&order=desc`,
      check: (body) => (Array.isArray((body as { users?: unknown[] } | null)?.users) ? null : "no users array"),
    });
  }
  cases.push({
    name: "user detail",
    targetMs: TARGET_USER_DETAIL_MS,
    path: () => `/api/v1/projects/${project}/users/${randomUser()}`,
  });
  return cases;
}
