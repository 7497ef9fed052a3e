// Span content is data, never markup: HTML in messages, tool calls, inputs, outputs, attributes,
// error messages and ids renders as visible text, and nothing in it runs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "@threadline/server/testing";
import { launchBrowser } from "./browser.ts";

const SCRIPT = `<script>window.__pwned = "script"</script>`;
const IMG = `<img src=x onerror="window.__pwned = 'img'">`;
const SVG = `<svg onload="window.__pwned = 'svg'"></svg>`;
const PAYLOAD = `${SCRIPT} ${IMG} ${SVG}`;
const SESSION = "sess-xss";

let server: TestServer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
let firstTrace: string;
let llmSpan: string;

before(async () => {
  server = await startTestServer();
  const t0 = Date.now() - 60_000;
  firstTrace = hexId(16);
  const root = hexId(8);
  llmSpan = hexId(8);
  const toolSpan = hexId(8);
  const llm2 = hexId(8);
  const common = { "session.id": SESSION, "user.id": `user ${IMG}` };
  const failedTrace = hexId(16);
  const body = otlpJson(
    [
      {
        traceId: firstTrace, spanId: root, name: `agent ${SVG}`, startMs: t0, endMs: t0 + 900,
        attributes: { ...common, "openinference.span.kind": "AGENT", "input.value": `question ${PAYLOAD}`, "output.value": `answer ${PAYLOAD}`, "custom.note": `attr ${PAYLOAD}` },
      },
      {
        traceId: firstTrace, spanId: llmSpan, parentSpanId: root, name: "llm", startMs: t0 + 10, endMs: t0 + 300,
        attributes: {
          ...common,
          "openinference.span.kind": "LLM",
          "llm.input_messages.0.message.role": "system",
          "llm.input_messages.0.message.content": `system ${PAYLOAD}`,
          "llm.input_messages.1.message.role": "user",
          "llm.input_messages.1.message.content": `question ${PAYLOAD}\n    keeps   its   spaces`,
          "llm.output_messages.0.message.role": "assistant",
          "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_1",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "lookup",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": JSON.stringify({ q: PAYLOAD }),
        },
      },
      { traceId: firstTrace, spanId: toolSpan, parentSpanId: root, name: "lookup", startMs: t0 + 310, endMs: t0 + 400, attributes: { ...common, "openinference.span.kind": "TOOL", "output.value": `tool ${PAYLOAD}` } },
      {
        traceId: firstTrace, spanId: llm2, parentSpanId: root, name: "llm", startMs: t0 + 410, endMs: t0 + 890,
        attributes: {
          ...common,
          "openinference.span.kind": "LLM",
          "llm.input_messages.0.message.role": "system",
          "llm.input_messages.0.message.content": `system ${PAYLOAD}`,
          "llm.input_messages.1.message.role": "user",
          "llm.input_messages.1.message.content": `question ${PAYLOAD}\n    keeps   its   spaces`,
          "llm.input_messages.2.message.role": "assistant",
          "llm.input_messages.2.message.tool_calls.0.tool_call.id": "call_1",
          "llm.input_messages.2.message.tool_calls.0.tool_call.function.name": "lookup",
          "llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments": JSON.stringify({ q: PAYLOAD }),
          "llm.input_messages.3.message.role": "tool",
          "llm.input_messages.3.message.tool_call_id": "call_1",
          "llm.input_messages.3.message.content": `tool ${PAYLOAD}`,
          "llm.output_messages.0.message.role": "assistant",
          "llm.output_messages.0.message.content": `answer ${PAYLOAD}`,
        },
      },
      {
        traceId: failedTrace, name: "failing", startMs: t0 + 5000, endMs: t0 + 5100, error: `boom ${PAYLOAD}`,
        attributes: { ...common, "openinference.span.kind": "LLM", "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": `again ${PAYLOAD}` },
      },
    ],
    "xss",
  );
  assert.equal((await postOtlpJson(server.url, body)).status, 200);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Nothing ran: no flag, no dialog, and no element the payload would have created. */
async function assertNothingRan(where: string): Promise<void> {
  await page.waitForTimeout(200); // give an onerror / onload the time to fire
  const state = await page.evaluate(() => ({
    flag: (window as unknown as { __pwned?: string }).__pwned ?? null,
    imgs: document.querySelectorAll("img").length,
    scripts: document.querySelectorAll("#root script").length,
    svgOnload: document.querySelectorAll("svg[onload]").length,
  }));
  assert.deepEqual(state, { flag: null, imgs: 0, scripts: 0, svgOnload: 0 }, where);
  assert.deepEqual(dialogs, [], where);
}

test("messages, tool calls, system prompts and errors show HTML as text and run nothing", async () => {
  await page.goto(`${server.url}/projects/xss/sessions/${SESSION}`);
  const conversation = page.getByTestId("conversation");
  await conversation.getByTestId("message-user").first().waitFor();

  const user = await conversation.getByTestId("message-user").first().innerText();
  assert.ok(user.includes(`question ${PAYLOAD}`), user);
  assert.ok(user.includes("\n    keeps   its   spaces"), "whitespace kept");
  assert.ok((await conversation.getByTestId("message-assistant").first().innerText()).includes(`answer ${PAYLOAD}`));
  assert.ok((await page.getByTestId("summary-users").innerText()).includes(IMG));
  assert.ok((await page.getByTestId("turn-error-detail").innerText()).includes(`boom ${PAYLOAD}`));
  await assertNothingRan("conversation");

  await conversation.getByTestId("tool-call").first().locator("summary").click();
  // The arguments as a JSON tree: the string value shown as written, quoted.
  assert.ok((await conversation.getByTestId("tool-call").first().innerText()).includes(`"${PAYLOAD}"`));
  await conversation.getByTestId("tool-result").first().locator("summary").click();
  assert.ok((await conversation.getByTestId("tool-result").first().innerText()).includes(`tool ${PAYLOAD}`));
  await page.getByTestId("toggle-system").check();
  await conversation.getByTestId("message-system").locator("summary").click();
  assert.ok((await conversation.getByTestId("message-system").innerText()).includes(`system ${PAYLOAD}`));
  await assertNothingRan("expanded tool calls and system prompt");
});

test("span names, inputs, outputs, messages and attributes show HTML as text in the trace view", async () => {
  await page.goto(`${server.url}/projects/xss/traces/${firstTrace}?span=${llmSpan}`);
  await page.getByTestId("span-message").first().waitFor();
  assert.ok((await page.getByTestId("waterfall").innerText()).includes(`agent ${SVG}`));
  assert.ok((await page.getByTestId("span-detail").innerText()).includes(`question ${PAYLOAD}`));
  await assertNothingRan("span messages");

  await page.getByTestId("waterfall-row").first().click();
  await page.getByTestId("span-tab-io").click();
  assert.ok((await page.getByTestId("span-input").innerText()).includes(`question ${PAYLOAD}`));
  assert.ok((await page.getByTestId("span-output").innerText()).includes(`answer ${PAYLOAD}`));
  await page.getByTestId("span-tab-attributes").click();
  assert.ok((await page.getByTestId("span-detail").innerText()).includes(`attr ${PAYLOAD}`));
  await assertNothingRan("span input, output and attributes");
});
