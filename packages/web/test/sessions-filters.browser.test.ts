// Each filter of the Sessions page narrows the rows (and the figures) exactly as the API does,
// lives in the URL, and survives a reload.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SessionDetail, SessionList } from "@threadline/server";
import { eventually, expectRowsLikeApi, expectSessionCount, sendSession, startFixture, urlParams, type Fixture } from "./list-helpers.ts";

let f: Fixture;
const DAY = 86_400_000;
/** Two sessions from three days ago, outside "Last 24 hours". */
const OLD_START = Math.floor((Date.now() - 3 * DAY) / 60_000) * 60_000 + 5_000;

before(async () => {
  f = await startFixture({ annotate: true });
  await sendSession(f.server, { project: "demo", sessionId: "old-session-1", userId: "olga@example.com", startMs: OLD_START, turns: 2 });
  await sendSession(f.server, { project: "demo", sessionId: "old-session-2", userId: "olga@example.com", startMs: OLD_START + 60_000 });
});
after(async () => {
  await f?.close();
});

const open = async (query = "") => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions${query}`);
  await f.page.getByTestId("session-filters").waitFor();
};

/** The rows and the figures equal the API's for `query`; the same after a reload. */
async function expectNarrowedTo(query: string, { fewerThanAll = true } = {}): Promise<SessionList> {
  const list = await expectRowsLikeApi(f, query);
  await expectSessionCount(f, query);
  if (fewerThanAll) {
    assert.ok(list.sessions.length > 0, `${query} keeps some sessions`);
    assert.ok(list.sessions.length < f.demo!.sessions.length + 2, `${query} narrows the list`);
  }
  await f.page.reload();
  await expectRowsLikeApi(f, query);
  await expectSessionCount(f, query);
  return list;
}

async function typeFilter(testId: string, text: string) {
  const input = f.page.getByTestId(testId);
  await input.fill(text);
  await input.press("Enter");
}

test("text in any message", async () => {
  await open();
  await typeFilter("filter-q", "Lagos");
  await f.page.waitForURL(/q=Lagos/);
  const list = await expectNarrowedTo("?q=Lagos");
  for (const s of list.sessions) assert.ok(s.sessionId.startsWith("sess-"));
  assert.equal(await f.page.getByTestId("filter-q").inputValue(), "Lagos", "the reloaded page shows the filter");
});

test("user", async () => {
  const userId = f.demo!.sessions[0].userId;
  await open();
  await typeFilter("filter-user", userId);
  await f.page.waitForURL((url) => url.searchParams.get("user") === userId);
  const list = await expectNarrowedTo(`?user=${encodeURIComponent(userId)}`);
  assert.equal(list.sessions.length, f.demo!.sessions.filter((s) => s.userId === userId).length);
});

test("tag", async () => {
  const tagged = (await f.api<SessionList>("/sessions?limit=100")).sessions.find((s) => s.tags.length > 0)!;
  const tag = tagged.tags[0];
  await open();
  await typeFilter("filter-tag", tag);
  await f.page.waitForURL((url) => url.searchParams.get("tag") === tag);
  const list = await expectNarrowedTo(`?tag=${encodeURIComponent(tag)}`);
  for (const s of list.sessions) assert.ok(s.tags.includes(tag));
});

test("metadata key = value", async () => {
  const detail = await f.api<SessionDetail>(`/sessions/${encodeURIComponent(f.demo!.sessions[0].sessionId)}`);
  const value = detail.metadata.channel;
  assert.ok(value, JSON.stringify(detail.metadata));
  await open();
  await typeFilter("filter-metadata", `channel=${value}`);
  await f.page.waitForURL((url) => url.searchParams.get("metadata") === `channel:${value}`);
  await expectNarrowedTo(`?metadata=${encodeURIComponent(`channel:${value}`)}`);
  assert.equal(await f.page.getByTestId("filter-metadata").inputValue(), `channel=${value}`);
});

test("has errors, and has none", async () => {
  await open();
  await f.page.getByTestId("filter-errors").selectOption("true");
  await f.page.waitForURL(/hasErrors=true/);
  const failing = await expectNarrowedTo("?hasErrors=true");
  for (const s of failing.sessions) assert.ok(s.errorCount > 0);
  await f.page.getByTestId("filter-errors").selectOption("false");
  await f.page.waitForURL(/hasErrors=false/);
  const clean = await expectNarrowedTo("?hasErrors=false");
  assert.equal(failing.sessions.length + clean.sessions.length, f.demo!.sessions.length + 2);
});

test("annotation, its label, and a score range", async () => {
  await open();
  await f.page.getByTestId("filter-annotation").selectOption("quality");
  await f.page.waitForURL(/annotation=quality/);
  await expectNarrowedTo("?annotation=quality");

  await f.page.getByTestId("filter-label").selectOption("good");
  await f.page.waitForURL(/label=good/);
  const good = await expectNarrowedTo("?annotation=quality&label=good");
  for (const s of good.sessions) assert.equal(s.annotations.find((a) => a.name === "quality")?.label, "good");

  await f.page.getByTestId("filter-annotation").selectOption("user_frustration");
  await f.page.waitForURL((url) => url.searchParams.get("annotation") === "user_frustration" && !url.searchParams.has("label"));
  await typeFilter("filter-score-min", "0.5");
  await f.page.waitForURL(/scoreMin=0.5/);
  await typeFilter("filter-score-max", "1");
  await f.page.waitForURL(/scoreMax=1/);
  const ranged = await expectNarrowedTo("?annotation=user_frustration&scoreMin=0.5&scoreMax=1");
  assert.ok(ranged.sessions.length > 0);
  for (const s of ranged.sessions) {
    const score = s.annotations.find((a) => a.name === "user_frustration")!.score!;
    assert.ok(score >= 0.5 && score <= 1, `${s.sessionId}: ${score}`);
  }
});

test("time range: the last 24 hours, then a custom window", async () => {
  await open();
  await f.page.getByTestId("filter-range").selectOption("24h");
  await f.page.waitForURL(/range=24h/);
  const from = new Date(Math.floor(Date.now() / 60_000) * 60_000 - DAY).toISOString();
  const recent = await expectNarrowedTo(`?from=${from}`);
  assert.ok(!recent.sessions.some((s) => s.sessionId.startsWith("old-session")));

  await f.page.getByTestId("filter-range").selectOption("custom");
  const local = (ms: number) => {
    const d = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  await f.page.getByTestId("filter-from").fill(local(OLD_START - 3_600_000));
  // Minute precision: "to" is the start of the minute old-session-2 begins in (5 s later), after old-session-1 began.
  await f.page.getByTestId("filter-to").fill(local(OLD_START + 60_000));
  await f.page.waitForURL((url) => url.searchParams.has("from") && url.searchParams.has("to") && !url.searchParams.has("range"));
  const params = urlParams(f.page);
  const window = await expectNarrowedTo(`?from=${params.get("from")}&to=${params.get("to")}`);
  assert.deepEqual(window.sessions.map((s) => s.sessionId), ["old-session-1"]);
});

test("filters combine, and Clear filters brings back every session", async () => {
  const userId = "olga@example.com";
  await open(`?user=${encodeURIComponent(userId)}&hasErrors=false&sort=traceCount&order=asc`);
  await expectRowsLikeApi(f, `?user=${encodeURIComponent(userId)}&hasErrors=false&sort=traceCount&order=asc`);
  await f.page.getByTestId("filters-clear").click();
  await eventually(() => {
    const params = urlParams(f.page);
    assert.ok(!params.has("user") && !params.has("hasErrors"));
    assert.equal(params.get("sort"), "traceCount", "the sort is kept");
  });
  await expectRowsLikeApi(f, "?sort=traceCount&order=asc");
});
