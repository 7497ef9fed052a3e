// Evaluations where people look: on the demo, sorting by user_frustration lands on the frustrated
// conversation, whose page marks the turn it went wrong; the session and the filtered sessions
// can be evaluated again from a button that shows its progress.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SessionList } from "@threadline/server";
import { eventually, startFixture, type Fixture } from "./list-helpers.ts";

let f: Fixture;
before(async () => {
  f = await startFixture({ annotate: true });
});
after(() => f?.close());

test("sorted by user_frustration, the first session is the frustrated one, marked at the turn it went wrong", async () => {
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await f.page.getByTestId("sort-annotation-user_frustration").click();
  await f.page.waitForURL(/sort=annotation%3Auser_frustration|sort=annotation:user_frustration/);
  const order = new URL(f.page.url()).searchParams.get("order") ?? "desc";
  if (order !== "desc") {
    await f.page.getByTestId("sort-annotation-user_frustration").click();
    await f.page.waitForURL(/order=desc/);
  }
  const first = f.page.getByTestId("session-row").first();
  await eventually(async () => assert.match((await first.getAttribute("data-session-id")) ?? "", /^sess-missing-refund-/));
  await first.click();
  await f.page.getByTestId("session-state").getByText("closed").waitFor();
  const pointer = f.page.locator('[data-testid="turn-pointer"][data-evaluator="user_frustration"]');
  await pointer.waitFor();
  assert.match(await pointer.innerText(), /user frustration: frustrated from here/);
  assert.match(await pointer.innerText(), /real person/);
  // The marker sits right above the third turn.
  const turnIndex = await pointer.evaluate((el) => el.nextElementSibling?.getAttribute("data-turn-index"));
  assert.equal(turnIndex, "2");
});

test("re-evaluate one session, then every session a filter keeps, with progress shown", async () => {
  const { body: list } = { body: await f.api<SessionList>("/sessions?limit=1") };
  await f.page.goto(`${f.server.url}/projects/demo/sessions/${encodeURIComponent(list.sessions[0].sessionId)}`);
  await f.page.getByTestId("reevaluate").click();
  await f.page.getByTestId("reevaluate-status").getByText("Evaluated 1 session").waitFor({ timeout: 20_000 });

  const filtered = await f.api<SessionList>("/sessions?limit=500&hasErrors=true");
  await f.page.goto(`${f.server.url}/projects/demo/sessions?hasErrors=true`);
  const button = f.page.getByTestId("reevaluate");
  await button.getByText(`Re-evaluate these ${filtered.sessions.length} sessions`).waitFor();
  await button.click();
  await f.page.getByTestId("reevaluate-status").getByText(`Evaluated ${filtered.sessions.length} session`).waitFor({ timeout: 20_000 });
});
