// The skewed bench's requests (bench/skewed.bench.ts). Each case makes one API path per
// iteration (varied by a seeded RNG) and checks the answer against what the generator recorded,
// so a filter, sort or search the server does not apply shows up; `essential` names the
// parameters without which the check must fail (measure.ts verifyChecks proves each check).
import type {
  AnnotationSummary, SessionDetail, SessionList, SessionStats, SessionSummary, UserDetail, UserList,
} from "../../packages/server/src/api/types.ts";
import { hasMidMetadata, planOf, PLANS, type SkewedOptions } from "../skewed.ts";
import type { SkewedSummary } from "./skewed-summary.ts";
import type { Manifest } from "./dataset.ts";
import { getJson } from "./http.ts";
import type { Case } from "./measure.ts";
import {
  descending, SESSION_SORT_KEYS, SESSION_SORT_VALUES, sessions, USER_SORT_KEYS, USER_SORT_VALUES,
} from "./queries.ts";
import { Rng } from "./rng.ts";
import { int } from "./stats.ts";
import { MARKERS, TAGS } from "./words.ts";

export const TARGET_LIST_MS = 50;
export const TARGET_DETAIL_MS = 20;
export const TARGET_STATS_MS = 100;
export const TARGET_SEARCH_MS = 300;

export type SkewedManifest = Manifest<Required<SkewedOptions>, SkewedSummary>;

const HOUR = 3600_000;

function quality(s: { annotations?: AnnotationSummary[] }, name = "quality"): AnnotationSummary | undefined {
  return s.annotations?.find((a) => a.name === name);
}

/** Every returned session satisfies `ok` (and with `nonEmpty`, there is at least one). */
function every(what: string, ok: (s: SessionSummary, path: string) => boolean, nonEmpty = true) {
  return (body: unknown, path: string) => {
    const list = sessions(body);
    if (!list) return "no sessions array";
    if (nonEmpty && list.length === 0) return `${what}: no sessions (the data has some)`;
    const bad = list.find((s) => !ok(s, path));
    return bad ? `${what} not applied (session ${bad.sessionId})` : null;
  };
}

/** The page holds exactly the known matches (all of them when they fit in a page). */
function exactly(what: string, known: string[], limit: number) {
  const set = new Set(known);
  return (body: unknown) => {
    const list = sessions(body);
    if (!list) return "no sessions array";
    const bad = list.find((s) => !set.has(s.sessionId));
    if (bad) return `${what} not applied (session ${bad.sessionId})`;
    const expected = Math.min(limit, set.size);
    return list.length !== expected ? `${what}: ${list.length} sessions, expected ${expected}` : null;
  };
}

/** Every returned session is among `known` (a superset of the matches), and there is at least one. */
function within(what: string, known: (path: string) => string[]) {
  const sets = new Map<string, Set<string>>();
  return (body: unknown, path: string) => {
    const list = sessions(body);
    if (!list) return "no sessions array";
    let set = sets.get(path);
    if (!set) sets.set(path, (set = new Set(known(path))));
    if (set.size > 0 && list.length === 0) return `${what}: no sessions (the data has ${set.size})`;
    const bad = list.find((s) => !set.has(s.sessionId));
    return bad ? `${what} not applied (session ${bad.sessionId})` : null;
  };
}

export function buildSkewedCases(base: string, manifest: SkewedManifest): Case[] {
  const { summary, traffic } = manifest;
  const project = encodeURIComponent(summary.project);
  const api = `/api/v1/projects/${project}`;
  const limit = 50;
  const list = `${api}/sessions?limit=${limit}`;
  const rng = new Rng(traffic.seed + 2000);
  const iso = (ms: number) => new Date(ms).toISOString();
  const param = (path: string, name: string) => new URL(path, base).searchParams.get(name) ?? "";
  const heavy = summary.heaviestUser;
  const timeWindow = (hours: number) => {
    const from = summary.firstMs + rng.float() * Math.max(0, summary.lastMs - summary.firstMs - hours * HOUR);
    return `from=${iso(from)}&to=${iso(from + hours * HOUR)}`;
  };
  const inWindow = (s: SessionSummary, path: string) =>
    Date.parse(s.startTime) <= Date.parse(param(path, "to")) && Date.parse(s.endTime) >= Date.parse(param(path, "from"));
  const sortedBy = (sort: string) => (body: unknown) => {
    const page = sessions(body);
    if (!page) return "no sessions array";
    if (page.length === 0) return "empty page";
    return descending(page, SESSION_SORT_VALUES[sort as keyof typeof SESSION_SORT_VALUES], sort);
  };
  const byQuality = (body: unknown) => {
    const page = sessions(body);
    if (!page) return "no sessions array";
    if (page.length === 0) return "empty page";
    const missing = page.find((s) => quality(s)?.score == null);
    if (missing) return `annotation sort: a session without a quality score (session ${missing.sessionId})`;
    return descending(page, (s) => quality(s)!.score!, "annotation:quality");
  };
  const cursorPages = (sort: string, check: (body: unknown) => string | null): Case => ({
    name: `sessions sort=${sort} cursor pages 2-5`,
    targetMs: TARGET_LIST_MS,
    async path(i) {
      let path = `${list}&sort=${sort}&order=desc`;
      for (let page = 1; page <= 1 + (i % 4); page++) {
        const { status, body } = await getJson<SessionList>(base + path);
        if (status !== 200 || !body.nextCursor) return path;
        path = `${list}&sort=${sort}&order=desc&cursor=${encodeURIComponent(body.nextCursor)}`;
      }
      return path;
    },
    check,
  });

  // ---- the sessions list: every sort ----
  const cases: Case[] = SESSION_SORT_KEYS.map((sort) => ({
    name: `sessions sort=${sort}`,
    targetMs: TARGET_LIST_MS,
    path: () => `${list}&sort=${sort}&order=desc`,
    check: sortedBy(sort),
    essential: sort === "startTime" ? undefined : ["sort"],
  }));
  cases.push(
    {
      name: "sessions sort=annotation:quality",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&sort=annotation:quality&order=desc`,
      check: byQuality,
      essential: ["sort"],
    },
    cursorPages("startTime", sortedBy("startTime")),
    cursorPages("totalTokens", sortedBy("totalTokens")),
    cursorPages("annotation:quality", byQuality),
  );

  // ---- filters ----
  const lightUser = () => rng.pick(summary.lightUsers);
  const userCheck = every("user filter", (s, path) => s.userIds.includes(param(path, "user")));
  const { rareMetadata, midMetadata, rareTag } = summary;
  cases.push(
    {
      name: `sessions user=<heaviest> (${int(heavy.sessions)} sessions)`,
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&user=${heavy.id}`,
      check: userCheck,
      essential: ["user"],
    },
    {
      name: "sessions user=<heaviest>&sort=totalTokens",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&user=${heavy.id}&sort=totalTokens&order=desc`,
      check: (body, path) => userCheck(body, path) ?? sortedBy("totalTokens")(body),
      essential: ["user"],
    },
    {
      name: "sessions user=<light user> (1-3 sessions)",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&user=${lightUser()}`,
      check: userCheck,
      essential: ["user"],
    },
    {
      name: `sessions metadata=${rareMetadata.key}:${rareMetadata.value} (rare, ${rareMetadata.sessions.length} sessions)`,
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&metadata=${encodeURIComponent(`${rareMetadata.key}:${rareMetadata.value}`)}`,
      check: exactly("metadata filter", rareMetadata.sessions, limit),
      essential: ["metadata"],
    },
    {
      name: `sessions metadata=${midMetadata.key}:${midMetadata.value} (${int(midMetadata.sessions)} sessions)`,
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&metadata=${encodeURIComponent(`${midMetadata.key}:${midMetadata.value}`)}`,
      check: every("metadata filter", (s) => hasMidMetadata(s.sessionId)),
      essential: ["metadata"],
    },
    {
      name: "sessions metadata=plan:<plan> (common)",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&metadata=${encodeURIComponent(`plan:${rng.pick(PLANS)}`)}`,
      check: every("metadata filter", (s, path) => s.userIds.length > 0 && s.userIds.every((u) => `plan:${planOf(u)}` === param(path, "metadata"))),
      essential: ["metadata"],
    },
    {
      name: "sessions tag=<common tag>",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&tag=${rng.pick(TAGS)}`,
      check: every("tag filter", (s, path) => Array.isArray(s.tags) && s.tags.includes(param(path, "tag"))),
      essential: ["tag"],
    },
    {
      name: `sessions tag=${rareTag.tag} (rare, ${rareTag.sessions.length} sessions)`,
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&tag=${rareTag.tag}`,
      check: exactly("tag filter", rareTag.sessions, limit),
      essential: ["tag"],
    },
    {
      name: "sessions hasErrors=true",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&hasErrors=true`,
      check: every("hasErrors", (s) => s.errorCount > 0),
      essential: ["hasErrors"],
    },
    ...[
      [1, "1 h"],
      [24, "24 h"],
      [24 * 7, "7 d"],
    ].map(([hours, label]) => ({
      name: `sessions from/to (${label} window)`,
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&${timeWindow(hours as number)}`,
      check: every("time range", inWindow, false),
      essential: ["from", "to"],
    })),
    {
      name: "sessions annotation=quality&label=bad",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&annotation=quality&label=bad`,
      check: every("annotation label", (s) => quality(s)?.label === "bad"),
      essential: ["annotation", "label"],
    },
    {
      name: "sessions annotation=quality&scoreMin=0.2&scoreMax=0.4",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&annotation=quality&scoreMin=0.2&scoreMax=0.4`,
      check: every("annotation score range", (s) => {
        const score = quality(s)?.score;
        return score != null && score >= 0.2 && score <= 0.4;
      }),
      essential: ["annotation", "scoreMin", "scoreMax"],
    },
    {
      name: "sessions annotation=review&label=escalate (HUMAN)",
      targetMs: TARGET_LIST_MS,
      path: () => `${list}&annotation=review&label=escalate`,
      check: every("annotation label", (s) => quality(s, "review")?.label === "escalate"),
      essential: ["annotation", "label"],
    },
  );

  // ---- text search ----
  const { hugeSession, hugeWord, phrase } = summary;
  cases.push(
    {
      name: `sessions q=${summary.commonWord} (common word)`,
      targetMs: TARGET_SEARCH_MS,
      path: () => `${list}&q=${summary.commonWord}`,
      check: (body) => (sessions(body)?.length ? null : "no results for a word in most sessions"),
    },
    {
      name: "sessions q=<rare word> (1 turn in 5,000)",
      targetMs: TARGET_SEARCH_MS,
      path: (i) => `${list}&q=${MARKERS[i % MARKERS.length]}`,
      check: within("text search", (path) => summary.markerSessions[param(path, "q")] ?? []),
      essential: ["q"],
    },
    {
      name: `sessions q=<3 words of a phrase> (${int(phrase.turns)} turns have the phrase)`,
      targetMs: TARGET_SEARCH_MS,
      path: () => `${list}&q=${encodeURIComponent(phrase.words)}`,
      check: within("text search", () => phrase.sessions),
      essential: ["q"],
    },
    {
      name: `sessions q="<the phrase>" (quoted: words together, in order)`,
      targetMs: TARGET_SEARCH_MS,
      path: () => `${list}&q=${encodeURIComponent(`"${phrase.words}"`)}`,
      check: within("phrase search", () => phrase.injectedSessions),
      essential: ["q"],
    },
    {
      name: `sessions q=${hugeWord.word} (only in the huge session)`,
      targetMs: TARGET_SEARCH_MS,
      path: () => `${list}&q=${hugeWord.word}`,
      check: exactly("text search", hugeSession.id ? [hugeSession.id] : [], limit),
      essential: ["q"],
    },
  );

  // ---- session and user detail ----
  const detail = (ids: string[], check?: (d: SessionDetail) => string | null): Pick<Case, "path" | "check"> => ({
    path: () => `${api}/sessions/${encodeURIComponent(rng.pick(ids))}`,
    check: (body) => {
      const d = body as SessionDetail;
      if (!Array.isArray(d?.traces) || d.traces.length === 0) return "no traces in the session";
      // The detail carries the first 100 turns and a cursor for the rest (docs/api.md).
      if (d.traces.length !== Math.min(100, d.traceCount)) return `${d.traces.length} traces of ${d.traceCount} in the detail`;
      if ((d.traceCount > 100) !== (d.tracesNextCursor != null)) return "no cursor to the rest of the turns";
      return check?.(d) ?? null;
    },
  });
  cases.push(
    { name: "session detail (1-8 turns)", targetMs: TARGET_DETAIL_MS, ...detail(summary.sampleSessions) },
    { name: "session detail (20-300 turns)", targetMs: TARGET_DETAIL_MS, ...detail(summary.longSessions) },
  );
  if (hugeSession.id) {
    cases.push({
      name: `session detail (the ${int(hugeSession.turns)}-turn session)`,
      targetMs: TARGET_DETAIL_MS,
      ...detail([hugeSession.id], (d) =>
        d.traceCount !== hugeSession.turns ? `traceCount ${d.traceCount}, sent ${hugeSession.turns}`
        : d.traceCount > 500 && !d.tracesNextCursor ? "no tracesNextCursor"
        : null,
      ),
    });
  }
  cases.push(
    {
      name: "user detail (random user)",
      targetMs: TARGET_DETAIL_MS,
      path: () => `${api}/users/${rng.pick(summary.sampleUsers)}`,
      check: (body) => ((body as UserDetail)?.sessionCount >= 1 ? null : "no sessions in the user"),
    },
    {
      name: `user detail (the heaviest user, ${int(heavy.sessions)} sessions)`,
      targetMs: TARGET_DETAIL_MS,
      path: () => `${api}/users/${heavy.id}`,
      check: (body) => {
        const u = body as UserDetail;
        if (u?.sessionCount !== heavy.sessions) return `sessionCount ${u?.sessionCount}, sent ${heavy.sessions}`;
        return quality(u) ? null : "no quality average for the heaviest user";
      },
    },
  );

  // ---- the users list: every sort, with annotation averages ----
  for (const sort of USER_SORT_KEYS) {
    cases.push({
      name: `users sort=${sort}`,
      targetMs: TARGET_LIST_MS,
      path: () => `${api}/users?limit=${limit}&sort=${sort}&order=desc`,
      check: (body) => {
        const users = (body as UserList | null)?.users;
        if (!Array.isArray(users) || users.length === 0) return "no users";
        const order = descending(users, USER_SORT_VALUES[sort], sort);
        if (order) return order;
        if (sort === "sessionCount") {
          if (users[0].userId !== heavy.id) return `first user ${users[0].userId}, the heaviest is ${heavy.id}`;
          if (!quality(users[0])) return "no quality average for the heaviest user";
        }
        return null;
      },
      essential: sort === "lastSeen" ? undefined : ["sort"],
    });
  }

  // ---- stats of the filtered sessions ----
  const stats = (what: string, expected: number) => (body: unknown) => {
    const count = (body as SessionStats | null)?.sessionCount;
    return count === expected ? null : `${what}: sessionCount ${count}, expected ${expected}`;
  };
  cases.push(
    {
      name: "session-stats (all sessions)",
      targetMs: TARGET_STATS_MS,
      path: () => `${api}/session-stats`,
      check: stats("all sessions", summary.sessions),
    },
    {
      name: "session-stats user=<heaviest>",
      targetMs: TARGET_STATS_MS,
      path: () => `${api}/session-stats?user=${heavy.id}`,
      check: stats("user filter", heavy.sessions),
      essential: ["user"],
    },
    {
      name: "session-stats hasErrors=true",
      targetMs: TARGET_STATS_MS,
      path: () => `${api}/session-stats?hasErrors=true`,
      check: stats("hasErrors", summary.errorSessions),
      essential: ["hasErrors"],
    },
    {
      name: "session-stats from/to (7 d window)",
      targetMs: TARGET_STATS_MS,
      path: () => `${api}/session-stats?${timeWindow(24 * 7)}`,
      check: (body) => {
        const count = (body as SessionStats | null)?.sessionCount;
        return typeof count === "number" && count > 0 && count < summary.sessions ? null : `time range: sessionCount ${count} of ${summary.sessions}`;
      },
      essential: ["from", "to"],
    },
  );
  return cases;
}
