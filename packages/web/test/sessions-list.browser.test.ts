// The Sessions page shows what the API returns: the filtered set's figures equal the stats API,
// the rows (and their cells) equal the list API, and sorting by a column reorders as the API does.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { AnnotationNames, SessionStats } from "@threadline/server";
import { formatCost, formatDuration, formatNumber, formatTokens } from "../src/lib/format.ts";
import { formatMean, formatPercent, formatScore } from "../src/lib/figures.ts";
import { eventually, expectRowsLikeApi, rowIds, startFixture, statText, urlParams, type Fixture } from "./list-helpers.ts";

let f: Fixture;

before(async () => {
  f = await startFixture({ annotate: true });
});
after(async () => {
  await f?.close();
});

const cell = (sessionId: string, col: string) =>
  f.page.locator(`[data-testid=session-row][data-session-id="${sessionId}"] [data-col="${col}"]`).innerText();

test("the figures of the sessions equal the stats API, and the chart draws its series", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  const stats = await f.api<SessionStats>("/session-stats");
  assert.equal(stats.sessionCount, f.demo!.sessions.length);
  await eventually(async () => assert.equal(await statText(f.page, "sessions"), formatNumber(stats.sessionCount)));
  assert.equal(await statText(f.page, "users"), formatNumber(stats.userCount));
  assert.equal(await statText(f.page, "avg-duration"), formatDuration(stats.avgDurationMs));
  assert.equal(await statText(f.page, "avg-turns"), formatMean(stats.avgTurns));
  assert.equal(await statText(f.page, "tokens"), formatTokens(stats.tokens.total));
  assert.equal(await statText(f.page, "cost"), formatCost(stats.cost.total));
  assert.equal(await statText(f.page, "error-rate"), formatPercent(stats.errorRate));

  // One bar per bucket with sessions, in both charts.
  const buckets = stats.series.filter((p) => p.sessionCount > 0).length;
  assert.ok(buckets > 0);
  assert.equal(await f.page.getByTestId("chart-sessions").locator("rect.chart__bar").count(), buckets);
  assert.equal(await f.page.getByTestId("chart-cost").locator("rect.chart__bar").count(), stats.series.filter((p) => p.cost > 0).length);
});

test("the rows equal the list API: order, ids, users, figures and one column per annotation name", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  const list = await expectRowsLikeApi(f, "");
  const { names } = await f.api<AnnotationNames>("/annotation-names");
  assert.deepEqual(names.map((n) => n.name).sort(), ["errors", "quality", "repetition", "thumbs", "unanswered", "user_frustration"]);
  for (const name of names.map((n) => n.name)) {
    await f.page.getByTestId(`sort-annotation-${name}`).waitFor();
  }

  for (const s of list.sessions) {
    assert.equal(await cell(s.sessionId, "session"), s.sessionId);
    assert.equal(await cell(s.sessionId, "users"), s.userIds[0]);
    assert.equal(await cell(s.sessionId, "firstInput"), (s.firstInput ?? "").replace(/\s+/g, " ").trim());
    assert.equal(await cell(s.sessionId, "traceCount"), formatNumber(s.traceCount));
    assert.equal(await cell(s.sessionId, "durationMs"), formatDuration(s.durationMs));
    assert.equal(await cell(s.sessionId, "promptTokens"), formatTokens(s.tokens.prompt));
    assert.equal(await cell(s.sessionId, "completionTokens"), formatTokens(s.tokens.completion));
    assert.equal(await cell(s.sessionId, "totalTokens"), formatTokens(s.tokens.total));
    assert.equal(await cell(s.sessionId, "cost"), formatCost(s.cost.total));
    assert.equal(await cell(s.sessionId, "errorCount"), formatNumber(s.errorCount));
    for (const { name } of names) {
      const a = s.annotations.find((x) => x.name === name);
      const text = await cell(s.sessionId, `annotation:${name}`);
      if (!a) assert.equal(text, "—", `${s.sessionId} ${name}`);
      else {
        if (a.label !== null) assert.ok(text.includes(a.label), `${s.sessionId} ${name}: ${text}`);
        if (a.score !== null) assert.ok(text.includes(formatScore(a.score)), `${s.sessionId} ${name}: ${text}`);
      }
    }
  }
});

test("sorting by a column reorders as the API does, toggles the order, and the URL keeps it", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await expectRowsLikeApi(f, "");

  await f.page.getByTestId("sort-cost").click();
  await f.page.waitForURL(/sort=cost/);
  assert.equal(urlParams(f.page).get("order"), "desc");
  const byCost = await expectRowsLikeApi(f, "?sort=cost&order=desc");
  // The API's order really is by cost, so the table is too.
  const costs = byCost.sessions.map((s) => s.cost.total);
  assert.deepEqual(costs, [...costs].sort((a, b) => b - a));

  await f.page.getByTestId("sort-cost").click();
  await f.page.waitForURL(/order=asc/);
  await expectRowsLikeApi(f, "?sort=cost&order=asc");
  assert.match(await f.page.locator("th[aria-sort=ascending]").innerText(), /^Cost/);

  for (const key of ["traceCount", "durationMs", "promptTokens", "completionTokens", "totalTokens", "errorCount", "startTime"]) {
    await f.page.getByTestId(`sort-${key}`).click();
    await f.page.waitForURL((url) => url.searchParams.get("sort") === key || (key === "startTime" && !url.searchParams.has("sort")));
    await expectRowsLikeApi(f, `?sort=${key}&order=desc`);
  }

  // By an annotation's mean score: only sessions having it, in the API's order.
  await f.page.getByTestId("sort-annotation-quality").click();
  await f.page.waitForURL(/sort=annotation%3Aquality/);
  const byQuality = await expectRowsLikeApi(f, "?sort=annotation:quality&order=desc");
  assert.ok(byQuality.sessions.length > 0 && byQuality.sessions.length < f.demo!.sessions.length);
  await f.page.getByTestId("annotation-sort-note").waitFor();

  // A reload (or a shared link) reproduces the view.
  await f.page.reload();
  await expectRowsLikeApi(f, "?sort=annotation:quality&order=desc");
  assert.match(await f.page.locator("th[aria-sort=descending]").innerText(), /^quality/);
});

test("a row opens its session; a user cell opens the user's page", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  const list = await expectRowsLikeApi(f, "");
  const [first, second] = list.sessions;
  await f.page.locator(`[data-session-id="${first.sessionId}"] [data-col=cost]`).click();
  await f.page.waitForURL(new RegExp(`/projects/demo/sessions/${first.sessionId}$`));
  await f.page.goBack();
  await f.page.waitForURL(/\/projects\/demo\/sessions$/);
  await eventually(async () => assert.ok((await rowIds(f.page)).length > 0));
  await f.page.locator(`[data-session-id="${second.sessionId}"] [data-testid=user-link]`).click();
  await f.page.waitForURL(new RegExp(`/projects/demo/users/${encodeURIComponent(second.userIds[0])}$`));
});
