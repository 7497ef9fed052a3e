// Review queues in a browser: the demo's sessions, most frustrated first, sent to a queue from the
// sessions page; a reviewer steps through them with the keyboard, sees the evaluator's pointer in
// the conversation and its verdict, and the queue's progress and agreement follow.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ReviewQueueDetail } from "../../server/src/api/review-types.ts";
import { eventually, startFixture, type Fixture } from "./list-helpers.ts";

let f: Fixture;
before(async () => {
  f = await startFixture({ annotate: true });
});
after(() => f?.close());

test("send the worst sessions to a queue, review them with the keyboard, and read progress and agreement", async () => {
  const page = f.page;
  await page.goto(`${f.server.url}/projects/demo/sessions?sort=annotation:user_frustration&order=desc`);
  await page.getByTestId("send-to-review").click();
  const dialog = page.getByTestId("review-dialog");
  assert.equal(await dialog.getByTestId("review-annotation").inputValue(), "user_frustration", "the sorted-by evaluator is the default");
  await dialog.getByTestId("review-name").fill("Most frustrated");
  await dialog.getByTestId("review-limit").fill("3");
  await dialog.getByTestId("create-review-queue").click();
  await page.waitForURL(/\/projects\/demo\/review\//);
  const queueId = new URL(page.url()).pathname.split("/").at(-1)!;

  // The first item is the demo's frustrated conversation, marked where it went wrong.
  await page.getByTestId("review-position").getByText("1 / 3").waitFor();
  assert.match(await page.locator(".review-session-link").innerText(), /^sess-missing-refund-/);
  await page.locator('[data-testid="turn-pointer"][data-evaluator="user_frustration"]').waitFor();
  assert.match(await page.getByTestId("review-verdicts").innerText(), /user_frustration \(code\): frustrated/);

  // Keys: the label by its number, s for the score, Enter to save and move on.
  const { body: before } = await getDetail(queueId);
  const frustratedKey = String(before.queue.labels.indexOf("frustrated") + 1);
  await page.keyboard.press(frustratedKey);
  assert.equal(await page.getByTestId("review-label-frustrated").getAttribute("aria-checked"), "true");
  await page.keyboard.press("s");
  await page.keyboard.type("0.8");
  await page.keyboard.press("Enter");
  await page.getByTestId("review-position").getByText("2 / 3").waitFor();
  await page.getByTestId("review-progress").getByText("1 of 3 reviewed").waitFor();
  await page.getByTestId("review-agreement").getByText(/code threadline: same label 100%/).waitFor();

  // The second one gets a note only; then back with k, where the first review is shown again.
  await page.keyboard.press("n");
  await page.keyboard.type("fine, if terse");
  await page.keyboard.press("Control+Enter");
  await page.getByTestId("review-position").getByText("3 / 3").waitFor();
  await page.keyboard.press("k");
  await page.keyboard.press("k");
  await page.getByTestId("review-position").getByText("1 / 3").waitFor();
  assert.equal(await page.getByTestId("review-score").inputValue(), "0.8");

  await eventually(async () => {
    const { body } = await getDetail(queueId);
    assert.equal(body.queue.reviewed, 2);
    assert.deepEqual(body.items.map((i) => i.reviewedBy), ["local", "local", null]);
    assert.equal(body.items[0].review?.label, "frustrated");
    assert.equal(body.items[1].review?.explanation, "fine, if terse");
  });

  // The queues page shows its progress.
  await page.getByTestId("nav-review").click();
  const row = page.getByTestId("review-queue-row").filter({ hasText: "Most frustrated" });
  assert.equal(await row.getByTestId("queue-progress").innerText(), "2 / 3");
});

async function getDetail(queueId: string) {
  const response = await fetch(`${f.server.url}/api/v1/projects/demo/review-queues/${queueId}`);
  return { status: response.status, body: (await response.json()) as ReviewQueueDetail };
}
