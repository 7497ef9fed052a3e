// The soak's browsing and annotating clients (bench/soak.bench.ts). The browsing cases walk the
// API a person would: session lists under various sorts and filters, a session's detail, users,
// search and the stats header. Sessions the browser has seen listed go into a pool: they are
// committed, so the annotator posts reviews on real, already ingested sessions.
import type { AnnotationNames, SessionSummary } from "../../packages/server/src/api/types.ts";
import { agent, send } from "./http.ts";
import type { Case } from "./measure.ts";
import { every, sessions, TARGET_LIST_MS, TARGET_SEARCH_MS, TARGET_SESSION_DETAIL_MS } from "./queries.ts";
import { Rng } from "./rng.ts";
import { TARGET_STATS_MS } from "./skewed-queries.ts";
import { COMMON_WORD, MARKERS, TAGS } from "./words.ts";
import { userId } from "../traffic.ts";

export const REVIEW = "soak-review";

/** The last `size` session ids seen in list answers. */
export function sessionPool(size = 5000) {
  const ids: string[] = [];
  let next = 0;
  return {
    get size() {
      return ids.length;
    },
    add(list: SessionSummary[]) {
      for (const s of list) {
        if (ids.length < size) ids.push(s.sessionId);
        else ids[next++ % size] = s.sessionId;
      }
    },
    pick: (rng: Rng): string | undefined => (ids.length ? ids[rng.int(0, ids.length - 1)] : undefined),
  };
}
export type SessionPool = ReturnType<typeof sessionPool>;

export function browsingCases(project: string, users: number, pool: SessionPool, seed: number): Case[] {
  const api = `/api/v1/projects/${encodeURIComponent(project)}`;
  const list = `${api}/sessions?limit=50`;
  const rng = new Rng(seed);
  const listCase = (name: string, path: () => string, check?: Case["check"], targetMs = TARGET_LIST_MS): Case => ({ name, targetMs, path, check });
  const hasList = (body: unknown) => (sessions(body) ? null : "no sessions array");
  // Alternates with the lists, as a person opens a session from the page they just saw.
  const detail: Case = {
    name: "session detail",
    targetMs: TARGET_SESSION_DETAIL_MS,
    path: () => {
      const id = pool.pick(rng);
      return id ? `${api}/sessions/${encodeURIComponent(id)}` : `${list}&sort=startTime&order=desc`;
    },
  };
  return [
    listCase("sessions newest first", () => `${list}&sort=startTime&order=desc`, hasList),
    detail,
    listCase("sessions sort=totalTokens", () => `${list}&sort=totalTokens&order=desc`, hasList),
    listCase("users sort=sessionCount", () => `${api}/users?limit=50&sort=sessionCount&order=desc`),
    listCase("sessions hasErrors=true", () => `${list}&hasErrors=true`, every("hasErrors", (s) => s.errorCount > 0)),
    detail,
    listCase("sessions tag=<tag>", () => `${list}&tag=${rng.pick(TAGS)}`, every("tag", (s, path) => s.tags.includes(new URL(path, "http://x").searchParams.get("tag")!))),
    listCase("session-stats", () => `${api}/session-stats${rng.chance(0.5) ? "?hasErrors=true" : ""}`, undefined, TARGET_STATS_MS),
    listCase("sessions user=<id>", () => `${list}&user=${userId(rng.int(0, users - 1))}`, every("user", (s, path) => s.userIds.includes(new URL(path, "http://x").searchParams.get("user")!))),
    detail,
    listCase("sessions q=<word>", () => `${list}&q=${rng.chance(0.5) ? COMMON_WORD : rng.pick(MARKERS)}`, hasList, TARGET_SEARCH_MS),
    listCase("search q=<user id prefix>", () => `${api}/search?q=${userId(rng.int(0, users - 1)).slice(0, 9)}`, undefined, TARGET_SEARCH_MS),
    listCase(`sessions sort=annotation:${REVIEW}`, () => `${list}&sort=annotation:${REVIEW}&order=desc`, hasList),
    detail,
    listCase("users sort=lastSeen", () => `${api}/users?limit=50&sort=lastSeen&order=desc`),
  ];
}

export interface Annotated {
  posted: number;
  /** Distinct (session, identifier) keys answered 200/201: the annotations that must be stored. */
  acknowledged: Set<string>;
  created: number;
  replaced: number;
  failures: Map<string, number>;
}

/** POSTs a HUMAN review `rate` times a second on a session from the pool, one at a time, until `stop()`. */
export async function annotate(
  base: string,
  project: string,
  pool: SessionPool,
  options: { rate: number; seed: number; stop: () => boolean; onAnswer: (status: number, ms: number) => void },
): Promise<Annotated> {
  const via = agent(1);
  const rng = new Rng(options.seed);
  const out: Annotated = { posted: 0, acknowledged: new Set(), created: 0, replaced: 0, failures: new Map() };
  const started = performance.now();
  for (let i = 0; !options.stop(); i++) {
    const wait = started + (i * 1000) / options.rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sessionId = pool.pick(rng);
    if (!sessionId || options.stop()) continue;
    // Three reviewers: a session reviewed twice by one of them is a replacement, not a second row.
    const identifier = `reviewer-${rng.int(1, 3)}`;
    const label = rng.pick(["approved", "needs-work", "escalate"]);
    const body = Buffer.from(JSON.stringify({ name: REVIEW, label, score: rng.float(), explanation: `soak ${i}: ${label}`, annotatorKind: "HUMAN", identifier }));
    const at = performance.now();
    const reply = await send(`${base}/api/v1/projects/${encodeURIComponent(project)}/sessions/${encodeURIComponent(sessionId)}/annotations`, {
      method: "POST",
      agent: via,
      headers: { "Content-Type": "application/json", "Content-Length": body.length },
      body,
    });
    out.posted++;
    options.onAnswer(reply.status, performance.now() - at);
    if (reply.status === 200 || reply.status === 201) {
      out.acknowledged.add(`${sessionId}\u0000${identifier}`);
      if (reply.status === 201) out.created++;
      else out.replaced++;
    } else {
      const key = `${reply.status}: ${reply.body.toString("utf8").slice(0, 80)}`;
      out.failures.set(key, (out.failures.get(key) ?? 0) + 1);
    }
  }
  via.destroy();
  return out;
}

/** The stored count of `name` from GET …/annotation-names. */
export function storedCount(body: unknown, name = REVIEW): number {
  return (body as AnnotationNames | null)?.names?.find((n) => n.name === name)?.count ?? 0;
}
