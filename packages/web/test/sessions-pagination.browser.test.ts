// Cursor pagination through more sessions than a page holds, kept in the URL; and text from
// spans (user-provided) is shown as text, never as markup.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SessionList } from "@threadline/server";
import { expectRowsLikeApi, sendSession, startFixture, urlParams, type Fixture } from "./list-helpers.ts";

let f: Fixture;
const SESSIONS = 57;
const HOSTILE = `<img src="x" onerror="window.__pwned = 1"><b>bold</b> & <script>window.__pwned = 2</script>`;

before(async () => {
  f = await startFixture({ demo: false });
  const start = Date.now() - 3_600_000;
  for (let i = 0; i < SESSIONS; i++) {
    await sendSession(f.server, {
      project: "bulk",
      sessionId: `bulk-${String(i).padStart(3, "0")}`,
      userId: `user-${i % 4}`,
      startMs: start + i * 1000,
      turns: 1 + (i % 3),
      input: i === 7 ? HOSTILE : `question ${i}`,
      output: i === 7 ? `<a href="javascript:alert(1)">click</a>` : `answer ${i}`,
    });
  }
});
after(async () => {
  await f?.close();
});

test("Next page follows the API's cursor, the URL keeps it, and First page goes back", async () => {
  await f.page.goto(`${f.server.url}/projects/bulk/sessions`);
  const first = await expectRowsLikeApi(f, "?limit=50", "bulk");
  assert.equal(first.sessions.length, 50);
  assert.ok(first.nextCursor);

  await f.page.getByRole("button", { name: "Next page" }).click();
  await f.page.waitForURL((url) => url.searchParams.get("cursor") === first.nextCursor);
  const second = await expectRowsLikeApi(f, `?limit=50&cursor=${first.nextCursor}`, "bulk");
  assert.equal(second.sessions.length, SESSIONS - 50);
  assert.equal(second.nextCursor, null);
  assert.ok(await f.page.getByRole("button", { name: "Next page" }).isDisabled());

  await f.page.reload();
  await expectRowsLikeApi(f, `?limit=50&cursor=${first.nextCursor}`, "bulk");

  await f.page.getByRole("button", { name: "First page" }).click();
  await f.page.waitForURL((url) => !url.searchParams.has("cursor"));
  await expectRowsLikeApi(f, "?limit=50", "bulk");
});

test("paging a sorted list keeps the sort, and re-sorting starts again from the first page", async () => {
  await f.page.goto(`${f.server.url}/projects/bulk/sessions?sort=traceCount&order=asc`);
  const first = await expectRowsLikeApi(f, "?limit=50&sort=traceCount&order=asc", "bulk");
  await f.page.getByRole("button", { name: "Next page" }).click();
  await f.page.waitForURL((url) => url.searchParams.has("cursor"));
  assert.equal(urlParams(f.page).get("sort"), "traceCount");
  await expectRowsLikeApi(f, `?limit=50&sort=traceCount&order=asc&cursor=${first.nextCursor}`, "bulk");

  await f.page.getByTestId("sort-cost").click();
  await f.page.waitForURL((url) => url.searchParams.get("sort") === "cost" && !url.searchParams.has("cursor"));
  await expectRowsLikeApi(f, "?limit=50&sort=cost&order=desc", "bulk");
});

test("inputs and outputs that look like HTML are shown as text", async () => {
  const list = await f.api<SessionList>("/sessions?q=bold", "bulk");
  assert.deepEqual(list.sessions.map((s) => s.sessionId), ["bulk-007"]);
  await f.page.goto(`${f.server.url}/projects/bulk/sessions?q=bold`);
  await expectRowsLikeApi(f, "?q=bold", "bulk");
  const row = f.page.locator("[data-session-id=bulk-007]");
  assert.equal(await row.locator("[data-col=firstInput]").innerText(), HOSTILE);
  assert.equal(await row.locator("[data-col=lastOutput]").innerText(), `<a href="javascript:alert(1)">click</a>`);
  assert.equal(await row.locator("img, b, script, a[href^=javascript]").count(), 0);
  assert.equal(await f.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
});
