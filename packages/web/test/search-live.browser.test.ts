// Global search finds a session by id and by text, a user and a trace, and opens them; live
// updates bring new sessions and new turns onto an open page without a reload.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SearchResults, SessionDetail, SessionList } from "@threadline/server";
import { formatNumber } from "../src/lib/format.ts";
import { eventually, expectRowsLikeApi, rowIds, sendSession, startFixture, type Fixture } from "./list-helpers.ts";

let f: Fixture;

before(async () => {
  f = await startFixture();
});
after(async () => {
  await f?.close();
});

async function search(text: string) {
  const box = f.page.getByTestId("global-search");
  await box.fill(text);
  await f.page.getByTestId("search-results").waitFor();
}

const resultIds = (kind: string) =>
  f.page.locator(`[data-testid=search-result][data-kind=${kind}]`).evaluateAll((els) => els.map((el) => el.getAttribute("data-id")));

test("search by a session id prefix: Enter opens the session", async () => {
  const target = f.demo!.sessions[3].sessionId;
  const prefix = target.slice(0, target.length - 3);
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await search(prefix);
  const api = await f.api<SearchResults>(`/search?q=${encodeURIComponent(prefix)}`);
  assert.ok(api.sessions.some((s) => s.sessionId === target));
  await eventually(async () => assert.deepEqual(await resultIds("session"), api.sessions.map((s) => s.sessionId)));
  await f.page.getByTestId("global-search").press("Enter");
  await f.page.waitForURL(new RegExp(`/projects/demo/sessions/${api.sessions[0].sessionId}$`));
});

test("search by text: the matching session is offered and a click opens it", async () => {
  const list = await f.api<SessionList>("/sessions?q=penguins");
  assert.equal(list.sessions.length, 1);
  await f.page.goto(`${f.server.url}/projects/demo/users`);
  await search("penguins");
  const hit = f.page.locator(`[data-testid=search-result][data-kind=session][data-id="${list.sessions[0].sessionId}"]`);
  await hit.waitFor();
  assert.match(await hit.innerText(), /text match/);
  await hit.click();
  await f.page.waitForURL(new RegExp(`/projects/demo/sessions/${list.sessions[0].sessionId}$`));
});

test("search by user id and by trace id opens the user's page and the trace page", async () => {
  const userId = f.demo!.sessions[0].userId;
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await search(userId);
  await f.page.locator(`[data-testid=search-result][data-kind=user][data-id="${userId}"]`).click();
  await f.page.waitForURL(new RegExp(`/projects/demo/users/${encodeURIComponent(userId)}$`));

  const session = await f.api<SessionDetail>(`/sessions/${encodeURIComponent(f.demo!.sessions[0].sessionId)}`);
  const traceId = session.traces[0].traceId;
  await search(traceId.slice(0, 12));
  await f.page.locator(`[data-testid=search-result][data-kind=trace][data-id="${traceId}"]`).waitFor();
  await f.page.keyboard.press("Enter");
  await f.page.waitForURL(new RegExp(`/projects/demo/traces/${traceId}$`));
});

test("live: a session sent while the Sessions page is open appears without a reload, and so do new turns", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await expectRowsLikeApi(f, "");
  await f.page.locator("[data-testid=live-status][data-state=live]").waitFor();
  // Marks this document: a reload would lose the mark.
  await f.page.evaluate(() => ((window as unknown as { __same?: boolean }).__same = true));

  await sendSession(f.server, { project: "demo", sessionId: "live-session-1", userId: "liv@example.com", startMs: Date.now(), input: "Is this live?" });
  await eventually(async () => assert.equal((await rowIds(f.page))[0], "live-session-1"), 8000);
  await expectRowsLikeApi(f, "");
  const turns = f.page.locator("[data-session-id=live-session-1] [data-col=traceCount]");
  assert.equal(await turns.innerText(), "1");
  await eventually(async () =>
    assert.equal(await f.page.getByTestId("stat-sessions").locator("dd").innerText(), formatNumber(f.demo!.sessions.length + 1)),
  );

  // Two more turns of the same session.
  await sendSession(f.server, { project: "demo", sessionId: "live-session-1", startMs: Date.now() + 1000, turns: 2 });
  await eventually(async () => assert.equal(await turns.innerText(), "3"), 8000);
  assert.equal(await f.page.evaluate(() => (window as unknown as { __same?: boolean }).__same), true, "no reload happened");
});

test("live: the open session page gets the new turn", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions/live-session-1`);
  const before = await f.api<SessionDetail>("/sessions/live-session-1");
  await f.page.getByText("Is this live?").first().waitFor();
  await sendSession(f.server, { project: "demo", sessionId: "live-session-1", startMs: Date.now() + 5000, input: "Still live, after the page opened?" });
  await f.page.getByText("Still live, after the page opened?").first().waitFor({ timeout: 8000 });
  const afterwards = await f.api<SessionDetail>("/sessions/live-session-1");
  assert.equal(afterwards.traceCount, before.traceCount + 1);
});
