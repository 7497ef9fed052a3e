// Reads every implemented method of two stores over the same data, for comparing their answers.
import { SESSION_SORT_KEYS, USER_SORT_KEYS } from "../../src/api/types.ts";
import type { Cursor, Page, Store } from "../../src/store/store.ts";
import type { Fixture } from "../store-conformance/fixture.ts";

async function all<T>(read: (after: Cursor | null) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let after: Cursor | null = null, first = true; first || after; first = false) {
    const page: Page<T> = await read(after);
    out.push(...page.rows);
    after = page.next;
  }
  return out;
}

/** Everything the store answers about the fixture, through the methods the ClickHouse store has. */
export async function answers(store: Store, fixture: Fixture): Promise<Record<string, unknown>> {
  const project = fixture.project;
  const sessionIds = fixture.sessions.map((s) => s.sessionId).concat(fixture.lateRoots.map((l) => l.childSession), ["no-such-session"]);
  const userIds = [...new Set(fixture.spans.map((s) => s.userId).filter((u): u is string => u != null)), "no-such-user"];
  const traceIds = [...new Set(fixture.spans.map((s) => s.traceId)), "no-such-trace"];
  const out: Record<string, unknown> = {
    projects: await store.listProjects(),
    project: await store.getProject(project),
    noProject: await store.getProject("no-such-project"),
  };
  for (const sort of SESSION_SORT_KEYS) {
    for (const order of ["asc", "desc"] as const) {
      out[`sessions by ${sort} ${order}`] = await all((after) => store.listSessions({ project, limit: 7, sort, order, after, filter: {} }));
    }
  }
  const t0 = Math.min(...fixture.spans.map((s) => s.startUs));
  const filters = { userId: userIds[0], fromUs: t0 + 3_600_000_000, toUs: t0 + 30 * 3_600_000_000, tag: "prod", hasErrors: true };
  for (const [name, value] of Object.entries(filters)) {
    out[`sessions where ${name}`] = await all((after) => store.listSessions({ project, limit: 5, sort: "startTime", order: "desc", after, filter: { [name]: value } }));
  }
  for (const id of sessionIds) {
    out[`session ${id}`] = await store.getSession(project, id);
    out[`traces of ${id}`] = await all((after) => store.listSessionTraces(project, id, 3, after));
  }
  for (const id of traceIds) out[`trace ${id}`] = await store.getTrace(project, id);
  out.traceSpans = await store.getTraceSpans(project, traceIds);
  for (const id of userIds) out[`user ${id}`] = await store.getUser(project, id);
  for (const sort of USER_SORT_KEYS) {
    for (const order of ["asc", "desc"] as const) {
      out[`users by ${sort} ${order}`] = await all((after) => store.listUsers({ project, limit: 2, sort, order, after }));
    }
  }
  for (const search of ["U-HEAVY", "_", "%", "odd"]) {
    out[`users matching ${search}`] = await all((after) => store.listUsers({ project, limit: 2, sort: "sessionCount", order: "desc", after, search }));
  }
  return out;
}
