// The Users page and a user's page show the API's figures: per user usage, errors and annotation
// averages, sorting and the id filter; on a user's page their figures, charts and sessions.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { AnnotationNames, UserDetail, UserList } from "@threadline/server";
import { formatCost, formatNumber, formatTokens } from "../src/lib/format.ts";
import { formatScore } from "../src/lib/figures.ts";
import { eventually, expectRowsLikeApi, startFixture, statText, urlParams, type Fixture } from "./list-helpers.ts";

let f: Fixture;

before(async () => {
  f = await startFixture({ annotate: true });
});
after(async () => {
  await f?.close();
});

const userRowIds = () => f.page.getByTestId("user-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-user-id") ?? ""));

async function expectUsersLikeApi(query: string): Promise<UserList> {
  const list = await f.api<UserList>(`/users${query}`);
  await eventually(async () => assert.deepEqual(await userRowIds(), list.users.map((u) => u.userId), `users for ${query}`));
  return list;
}

test("the Users page shows each user's figures and annotation averages as the API does", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await f.page.getByTestId("nav-users").click();
  await f.page.waitForURL(/\/projects\/demo\/users$/);
  const list = await expectUsersLikeApi("");
  assert.equal(list.users.length, new Set(f.demo!.sessions.map((s) => s.userId)).size);
  const { names } = await f.api<AnnotationNames>("/annotation-names");

  const cell = (userId: string, col: string) => f.page.locator(`[data-user-id="${userId}"] [data-col="${col}"]`).innerText();
  for (const u of list.users) {
    assert.equal(await cell(u.userId, "user"), u.userId);
    assert.equal(await cell(u.userId, "sessionCount"), formatNumber(u.sessionCount));
    assert.equal(await cell(u.userId, "traceCount"), formatNumber(u.traceCount));
    assert.equal(await cell(u.userId, "totalTokens"), formatTokens(u.tokens.total));
    assert.equal(await cell(u.userId, "cost"), formatCost(u.cost.total));
    assert.equal(await cell(u.userId, "errorCount"), formatNumber(u.errorCount));
    for (const { name } of names) {
      const a = u.annotations.find((x) => x.name === name);
      const text = await cell(u.userId, `annotation:${name}`);
      if (!a || (a.score === null && a.label === null)) assert.equal(text, "—");
      else if (a.score !== null) assert.ok(text.includes(formatScore(a.score)), `${u.userId} ${name}: ${text}`);
    }
  }
});

test("sorting and the id filter act as the API's, in the URL", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/users`);
  await expectUsersLikeApi("");
  await f.page.getByTestId("sort-sessionCount").click();
  await f.page.waitForURL(/sort=sessionCount&order=desc/);
  await expectUsersLikeApi("?sort=sessionCount&order=desc");
  await f.page.getByTestId("sort-cost").click();
  await f.page.waitForURL(/sort=cost&order=desc/);
  await expectUsersLikeApi("?sort=cost&order=desc");
  await f.page.getByTestId("sort-cost").click();
  await f.page.waitForURL(/sort=cost&order=asc/);
  await expectUsersLikeApi("?sort=cost&order=asc");

  const userId = f.demo!.sessions[0].userId;
  const part = userId.slice(0, 3);
  await f.page.getByTestId("users-q").fill(part);
  await f.page.waitForURL((url) => url.searchParams.get("q") === part);
  const filtered = await expectUsersLikeApi(`?sort=cost&order=asc&q=${encodeURIComponent(part)}`);
  assert.ok(filtered.users.length >= 1 && filtered.users.every((u) => u.userId.includes(part)));
  await f.page.reload();
  await expectUsersLikeApi(`?sort=cost&order=asc&q=${encodeURIComponent(part)}`);
  assert.equal(await f.page.getByTestId("users-q").inputValue(), part);
  assert.equal(urlParams(f.page).get("sort"), "cost");
});

test("a user's page: their figures, usage and score charts, and their sessions", async () => {
  const { users } = await f.api<UserList>("/users?sort=sessionCount");
  const userId = users[0].userId;
  await f.page.goto(`${f.server.url}/projects/demo/users`);
  await f.page.locator(`[data-user-id="${userId}"] [data-col=cost]`).click();
  await f.page.waitForURL(new RegExp(`/projects/demo/users/${encodeURIComponent(userId)}$`));

  const user = await f.api<UserDetail>(`/users/${encodeURIComponent(userId)}`);
  await eventually(async () => assert.equal(await statText(f.page, "sessions"), formatNumber(user.sessionCount)));
  assert.equal(await statText(f.page, "traces"), formatNumber(user.traceCount));
  assert.equal(await statText(f.page, "tokens"), formatTokens(user.tokens.total));
  assert.equal(await statText(f.page, "cost"), formatCost(user.cost.total));
  assert.equal(await statText(f.page, "errors"), formatNumber(user.errorCount));
  assert.ok(user.annotations.length > 0);
  for (const a of user.annotations) {
    const text = await statText(f.page, `annotation-${a.name}`);
    if (a.score !== null) assert.ok(text.includes(formatScore(a.score)), `${a.name}: ${text}`);
    if (a.label !== null) assert.ok(text.includes(a.label), `${a.name}: ${text}`);
  }

  // Usage bars per bucket with sessions; one score line per annotation name in the series.
  assert.equal(
    await f.page.getByTestId("user-chart-sessions").locator("rect.chart__bar").count(),
    user.series.filter((p) => p.sessionCount > 0).length,
  );
  const scoreNames = new Set(user.series.flatMap((p) => Object.keys(p.scores ?? {})));
  assert.ok(scoreNames.size > 0, "the API gives scores over time");
  assert.equal(await f.page.getByTestId("user-chart-scores").locator("path.chart__line").count(), scoreNames.size);

  // Their sessions: the sessions table filtered by the user, as the API lists them.
  const sessions = await expectRowsLikeApi(f, `?user=${encodeURIComponent(userId)}`);
  assert.equal(sessions.sessions.length, user.sessionCount);
  await f.page.getByTestId("sort-cost").click();
  await f.page.waitForURL(/sort=cost/);
  await expectRowsLikeApi(f, `?user=${encodeURIComponent(userId)}&sort=cost&order=desc`);
});
