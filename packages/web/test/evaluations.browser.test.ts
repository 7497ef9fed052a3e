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

test("a session's page lists its evaluation runs as the API has them, folded while none failed", async () => {
  const [session] = (await f.api<SessionList>("/sessions?limit=1&annotation=user_frustration&label=frustrated")).sessions;
  const path = `/sessions/${encodeURIComponent(session.sessionId)}`;
  const { jobs } = await f.api<{ jobs: Array<{ evaluator: string; version: number; state: string }> }>(`${path}/evaluations`);
  assert.ok(jobs.length >= 2 && jobs.every((job) => job.state === "done"), JSON.stringify(jobs));
  await f.page.goto(`${f.server.url}/projects/demo${path}`);
  const panel = f.page.getByTestId("evaluation-jobs");
  await panel.locator("summary").waitFor();
  assert.match(await panel.locator("summary").innerText(), new RegExp(`Evaluation runs\\s+${jobs.length} done$`));
  assert.equal(await panel.getAttribute("open"), null);
  await panel.locator("summary").click();
  assert.equal(await panel.getByTestId("evaluation-job").count(), jobs.length);
  const frustration = jobs.find((job) => job.evaluator === "user_frustration")!;
  const row = panel.locator('[data-testid="evaluation-job"][data-evaluator="user_frustration"]');
  assert.match(await row.innerText(), new RegExp(`^user_frustration\\s+${frustration.version}\\s+done\\s+1\\s`));
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

test("the evaluations page shows each evaluator over time and leads to the worst sessions and the users they flag", async () => {
  const frustrated = await f.api<SessionList>("/sessions?limit=500&annotation=user_frustration&label=frustrated");
  assert.ok(frustrated.sessions.length >= 1);
  await f.page.goto(`${f.server.url}/projects/demo/sessions`);
  await f.page.getByTestId("nav-evaluations").click();
  const card = f.page.getByTestId("evaluator-user_frustration");
  await card.waitFor();
  await eventually(async () => assert.match(await card.getByTestId("evaluator-figures").innerText(), new RegExp(`${f.demo!.sessions.length} sessions evaluated · ${frustrated.sessions.length} frustrated`)));
  // The chart has a bar for today.
  assert.ok((await card.locator(".chart__bar").count()) >= 1);
  await card.getByTestId("worst-sessions").click();
  await f.page.waitForURL(/sort=annotation/);
  const first = f.page.getByTestId("session-row").first();
  await eventually(async () => assert.match((await first.getAttribute("data-session-id")) ?? "", /^sess-missing-refund-/));

  // Users with two or more frustrated sessions this week: the page and the API agree.
  await f.page.goBack();
  await f.page.getByTestId("evaluator-user_frustration").getByTestId("repeat-users").click();
  await f.page.getByTestId("label-filter").getByText("Users with 2 or more sessions “frustrated” by user_frustration in the last 7 days").waitFor();
  const repeat = await f.api<{ users: Array<{ userId: string }> }>("/users?annotation=user_frustration&label=frustrated&minSessions=2&since=7d");
  if (repeat.users.length === 0) await f.page.getByText(/No one: no user with 2 or more sessions/).waitFor();
  else assert.equal(await f.page.getByTestId("user-row").count(), repeat.users.length);

  // Every user's sessions per label this week, beside their average.
  await f.page.getByRole("button", { name: "Clear this filter" }).click();
  const owner = frustrated.sessions[0].userIds[0];
  const row = f.page.locator(`[data-testid="user-row"][data-user-id="${owner}"]`);
  const cell = row.locator('[data-testid="annotation-cell"][title^="user_frustration "]');
  await eventually(async () => assert.match(await cell.getByTestId("label-counts").innerText(), /^wk: (\d+ \w+ · )*\d+ frustrated/));
});
