// Markdown is rendered, HTML never: script, event handlers, SVG, javascript: and data: links, and
// HTML inside code fences, sent in user and assistant messages, tool arguments and tool results,
// show as text and run nothing, formatted or shown as sent.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sendChat } from "./chat-helpers.ts";
import { startFixture, type Fixture } from "./list-helpers.ts";

const IMG = `<img src=x onerror="window.__xss='img'">`;
const SCRIPT = `<script>window.__xss='script'</script>`;
const SVG = `<svg onload="window.__xss='svg'"><script>window.__xss='svg-script'</script></svg>`;
const HANDLERS = `<a href="#" onclick="window.__xss='click'">click me</a> <span onmouseover="window.__xss='hover'">hover me</span>`;
const FENCED = `<img src=x onerror="window.__xss='fence'">`;

const MARKDOWN = [
  `# Title ${IMG}`,
  "",
  `Inline: ${IMG} and ${SCRIPT}`,
  "",
  SVG,
  "",
  HANDLERS,
  "",
  "[x](javascript:alert(1)) [y](javascript:window.__xss='link') [e](jav&#x61;script:alert(1)) [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <javascript:alert(1)> [r][ref]",
  "",
  `![pic](x" onerror="window.__xss='mdimg')`,
  "",
  `- item ${IMG}`,
  "",
  "| a | b |",
  "|---|---|",
  `| ${IMG} | [t](javascript:alert(1)) |`,
  "",
  "```html",
  FENCED,
  "<script>window.__xss='fence'</script>",
  "```",
  "",
  "[ref]: javascript:alert(1)",
].join("\n");
const PLAIN = `${IMG} ${SCRIPT} ${SVG} ${HANDLERS}`;
const JSON_PAYLOAD = JSON.stringify({ text: MARKDOWN, [IMG]: SVG, list: [SCRIPT, HANDLERS] });

let f: Fixture;
const dialogs: string[] = [];
before(async () => {
  f = await startFixture({ demo: false });
  await sendChat(f.server, {
    project: "xss-md",
    sessionId: "xss-md-1",
    userId: `reader ${IMG}`,
    turns: [
      { user: MARKDOWN, tool: { name: "lookup", arguments: JSON_PAYLOAD, result: MARKDOWN }, assistant: MARKDOWN },
      { user: PLAIN, tool: { name: "fetch", arguments: "{}", result: JSON_PAYLOAD }, assistant: JSON_PAYLOAD },
    ],
  });
  f.page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await f.page.goto(`${f.server.url}/projects/xss-md/sessions/xss-md-1`);
  await f.page.getByTestId("conversation-end").waitFor();
});
after(() => f?.close());

/** Nothing ran and nothing live was made: no flag, no dialog, no image, script, handler or unsafe link. */
async function assertNothingRan(where: string): Promise<void> {
  await f.page.waitForTimeout(200); // give an onerror / onload the time to fire
  const state = await f.page.evaluate(() => {
    const all = [...document.querySelectorAll("#root *")];
    return {
      flag: (window as unknown as { __xss?: string }).__xss ?? null,
      imgs: document.querySelectorAll("img, image, iframe, object, embed").length,
      scripts: document.querySelectorAll("#root script").length,
      handlers: all.filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith("on"))).length,
      unsafeLinks: all.filter((el) => /^\s*(javascript|data|vbscript):/i.test(el.getAttribute("href") ?? "")).length,
    };
  });
  assert.deepEqual(state, { flag: null, imgs: 0, scripts: 0, handlers: 0, unsafeLinks: 0 }, where);
  assert.deepEqual(dialogs, [], where);
}

const turn = (i: number) => f.page.locator("[data-testid=turn]").nth(i);

test("Markdown with HTML payloads in user and assistant messages renders the Markdown and shows the HTML as text", async () => {
  for (const role of ["user", "assistant"]) {
    const message = turn(0).getByTestId(`message-${role}`);
    assert.equal(await message.locator("h1").count(), 1, `${role}: the Markdown is rendered`);
    assert.equal(await message.locator("table").count(), 1);
    const text = await message.innerText();
    for (const html of [IMG, SCRIPT, SVG, `<a href="#" onclick="window.__xss='click'">click me</a>`, FENCED]) assert.ok(text.includes(html), `${role} shows ${html}`);
    assert.equal(await message.locator("pre code.hljs").count(), 1, "the fenced HTML is highlighted, as text");
    assert.equal(await message.locator(".markdown__dead-link").count(), 7, "javascript:, data: and entity-hidden links are no links");
  }
  await assertNothingRan("Markdown messages");
  await f.page.getByText("click me").first().click();
  await f.page.getByText("hover me").first().hover();
  await f.page.locator(".markdown__dead-link").first().click();
  await assertNothingRan("after clicks and hovers");
});

test("HTML in a plain message, and JSON holding it, show as text", async () => {
  assert.equal(await turn(1).getByTestId("message-user").innerText(), PLAIN);
  const tree = await turn(1).getByTestId("message-assistant").getByTestId("json-tree").innerText();
  for (const html of [IMG, SVG, SCRIPT, HANDLERS]) assert.ok(tree.includes(html), `the JSON reply shows ${html}`);
  assert.ok((await f.page.getByTestId("summary-users").innerText()).includes(IMG));
  await assertNothingRan("plain and JSON messages");
});

test("tool arguments and results with HTML and Markdown payloads show them as text, as a tree and as sent", async () => {
  // Turn 1's call has no arguments; the others carry the payloads, as JSON or as text.
  for (const [i, kind, json] of [[0, "tool-call", true], [0, "tool-result", false], [1, "tool-result", true]] as const) {
    const card = turn(i).getByTestId(kind);
    await card.locator("summary").click();
    if (json) {
      const shown = await card.getByTestId("json-tree").innerText();
      for (const html of [IMG, SVG, SCRIPT, HANDLERS]) assert.ok(shown.includes(html), `${kind} ${i}: the tree shows ${html}`);
    } else {
      assert.ok((await card.locator(".tool__text").innerText()).includes(MARKDOWN), "a text result is shown as sent, not rendered");
    }
    await card.getByTestId("source-toggle").click();
    await assertNothingRan(`${kind} ${i}`);
  }
  assert.ok((await turn(0).getByTestId("tool-call").locator(".tool__text").innerText()).includes(JSON_PAYLOAD), "the arguments as sent");
});

test("every message shown as sent is its exact text and runs nothing", async () => {
  await turn(0).locator(".message--user").getByTestId("source-toggle").click();
  await turn(0).locator(".message--assistant").getByTestId("source-toggle").click();
  assert.equal(await turn(0).getByTestId("message-user").innerText(), MARKDOWN);
  assert.equal(await turn(0).getByTestId("message-assistant").innerText(), MARKDOWN);
  await assertNothingRan("messages as sent");
});
