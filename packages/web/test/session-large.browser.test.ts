// A session of 20,000 traces opens at once and stays responsive: the conversation loads a page of
// turns at a time and only the turns near the viewport are in the DOM.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestSpan, type TestServer } from "@threadline/server/testing";
import type { SessionDetail } from "@threadline/server";
import { launchBrowser } from "./browser.ts";

const TRACES = 20_000;
const CHUNK = 2_000;
const SESSION = "sess-huge";

let server: TestServer;
let browser: Browser;
let page: Page;

before(async () => {
  server = await startTestServer();
  const t0 = Date.now() - TRACES * 3_000;
  const chunks: string[] = [];
  for (let start = 0; start < TRACES; start += CHUNK) {
    const spans: TestSpan[] = [];
    for (let i = start; i < Math.min(TRACES, start + CHUNK); i++) {
      // Turn 2 comes after a 12-minute pause; the rest follow 3 s apart.
      const at = t0 + i * 3_000 + (i >= 1 ? 12 * 60_000 : 0);
      spans.push({
        traceId: hexId(16),
        name: "chat",
        startMs: at,
        endMs: at + 800,
        attributes: {
          "openinference.span.kind": "LLM",
          "session.id": SESSION,
          "user.id": "load-tester",
          "llm.model_name": "gpt-4o-mini",
          "llm.input_messages.0.message.role": "user",
          "llm.input_messages.0.message.content": `Question number ${i + 1}`,
          "llm.output_messages.0.message.role": "assistant",
          "llm.output_messages.0.message.content": `Answer number ${i + 1}`,
          "llm.token_count.prompt": 12,
          "llm.token_count.completion": 8,
        },
      });
    }
    chunks.push(otlpJson(spans, "big"));
  }
  for (const body of chunks) assert.equal((await postOtlpJson(server.url, body)).status, 200);
  const { body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/big/sessions/${SESSION}`);
  assert.equal(session.traceCount, TRACES);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// What "opens without freezing" means here is checked by behaviour, not by the clock (timings
// belong in benchmarks): the first turns render, only a screenful is in the DOM, the page
// answers a click, and scrolling keeps loading turns in order.
test("a 20,000-trace session opens, keeps the DOM small and loads more turns as it scrolls", async () => {
  await page.goto(`${server.url}/projects/big/sessions/${SESSION}`);
  await page.getByTestId("message-user").first().waitFor();
  assert.equal(await page.getByTestId("summary-turns").innerText(), "20,000");
  assert.equal(await page.getByTestId("message-user").first().innerText(), "Question number 1");

  // The long pause before turn 2 is shown, and only there.
  const gaps = page.getByTestId("idle-gap");
  assert.equal(await gaps.count(), 1);
  assert.equal(await gaps.innerText(), "12 min later");
  assert.equal(await gaps.evaluate((el) => el.nextElementSibling?.getAttribute("data-turn-index")), "1", "right before turn 2");

  // Virtualized: a screenful of turns in the DOM, not thousands.
  const rendered = await page.locator("[data-testid=turn]").count();
  assert.ok(rendered > 0 && rendered < 40, `${rendered} turns in the DOM`);

  // Interactive: the page answers a click.
  await page.getByTestId("toggle-system").check();
  assert.equal(await page.getByTestId("toggle-system").isChecked(), true);
  await page.getByTestId("toggle-system").uncheck();

  // Scrolling to the end of what is loaded fetches the next page of turns, again and again.
  const loaded = async () => Number(await page.getByTestId("conversation").getAttribute("data-loaded-turns"));
  const first = await loaded();
  assert.ok(first < TRACES, `only a page of turns loaded at first (${first})`);
  let before = first;
  for (let round = 0; round < 3; round++) {
    before = await loaded();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(
      (n) => Number(document.querySelector("[data-testid=conversation]")?.getAttribute("data-loaded-turns")) > n,
      before,
      { timeout: 10_000 },
    );
  }
  const more = await loaded();
  assert.ok(more >= first * 3, `more turns loaded while scrolling (${first} → ${more})`);

  // The turns where the reader is are rendered, in order, and still few are in the DOM.
  const lastOfBefore = page.locator(`[data-turn-index="${before - 1}"]`);
  await lastOfBefore.waitFor();
  assert.equal(await lastOfBefore.getByTestId("message-user").innerText(), `Question number ${before}`, "turns stay in order across pages");
  const indexes = await page.locator("[data-turn-index]").evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-turn-index"))));
  assert.ok(indexes.length < 40, `${indexes.length} turns in the DOM after scrolling`);
});

test("the traces tab lists the session's traces, paged and virtualized", async () => {
  await page.getByTestId("tab-traces").click();
  await page.getByTestId("trace-row").first().waitFor();
  const rows = await page.getByTestId("trace-row").count();
  assert.ok(rows > 0 && rows < 120, `${rows} trace rows in the DOM`);
  await page.getByTestId("trace-row").first().click();
  await page.getByTestId("trace-drawer").getByTestId("waterfall-row").first().waitFor();
});
