// What a person sees: the demo's sessions in the list, and a conversation read in order.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { SessionDetail } from "@threadline/server";
import { runDemo, type DemoSummary } from "../../../examples/demo/run.ts";
import { launchBrowser } from "./browser.ts";
import { readAs } from "./list-helpers.ts";

let server: TestServer;
let demo: DemoSummary;
let browser: Browser;
let page: Page;

before(async () => {
  server = await startTestServer();
  demo = await runDemo({ endpoint: server.url, projectName: "demo", seed: 7 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const sessionApi = (id: string) => getJson<SessionDetail>(`${server.url}/api/v1/projects/demo/sessions/${encodeURIComponent(id)}`);

test("the Sessions page lists every demo session, newest first", async () => {
  await page.goto(server.url);
  await page.waitForURL(/\/projects\/demo\/sessions/);
  const rows = page.getByTestId("session-row");
  await rows.first().waitFor();
  assert.equal(await rows.count(), demo.sessions.length);
  const shown = await page.getByTestId("session-link").allInnerTexts();
  assert.deepEqual([...shown].sort(), demo.sessions.map((s) => s.sessionId).sort());

  const { body: newest } = await getJson<{ sessions: Array<{ sessionId: string }> }>(`${server.url}/api/v1/projects/demo/sessions?limit=1`);
  assert.equal(shown[0], newest.sessions[0].sessionId);
});

test("opening a session shows its conversation, every user message and reply in order", async () => {
  const longest = [...demo.sessions].sort((a, b) => b.turns - a.turns)[0];
  await page.goto(`${server.url}/projects/demo/sessions`);
  await page.getByTestId("session-link").filter({ hasText: longest.sessionId }).click();
  await page.waitForURL(new RegExp(`/sessions/${longest.sessionId}$`));
  await page.getByTestId("message-user").first().waitFor();

  const { body: session } = await sessionApi(longest.sessionId);
  const userMessages = await page.getByTestId("message-user").allInnerTexts();
  assert.equal(userMessages.length, longest.turns);
  // User messages are rendered Markdown too.
  session.traces.forEach((turn, i) => assert.ok(readAs(userMessages[i]).includes(readAs(turn.input!)), `turn ${i + 1}: ${userMessages[i]}`));
  const replies = await page.getByTestId("message-assistant").allInnerTexts();
  // Replies are rendered Markdown: compared as a reader reads them.
  session.traces.forEach((turn, i) => turn.output && assert.ok(readAs(replies[i]).includes(readAs(turn.output).slice(0, 60)), `reply ${i + 1}`));
});

test("the failed turn is marked where it happened", async () => {
  const failed = demo.sessions.find((s) => s.failedTurns > 0)!;
  await page.goto(`${server.url}/projects/demo/sessions/${encodeURIComponent(failed.sessionId)}`);
  const error = page.getByTestId("turn-error");
  await error.waitFor();
  assert.equal(await error.count(), 1);
  const { body: session } = await sessionApi(failed.sessionId);
  const failedIndex = session.traces.findIndex((t) => t.status === "ERROR");
  const turns = page.locator("[data-testid=turn], [data-testid=turn-error]");
  assert.equal(await turns.nth(failedIndex).getAttribute("data-testid"), "turn-error");
});
