// Messages read as people wrote them: user and assistant Markdown rendered (headings, lists,
// tables, links, highlighted code), HTML in it still text, plain text exactly as typed; JSON in
// tool calls, tool results and messages as a collapsible tree; long messages previewed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sendChat } from "./chat-helpers.ts";
import { startFixture, type Fixture } from "./list-helpers.ts";

const ANSWER = [
  "## Listing files",
  "",
  "Here is how to **list** files:",
  "",
  "```bash",
  "ls -la | grep '.ts'",
  "```",
  "",
  "1. Open a terminal",
  "2. Run `ls`",
  "",
  "| flag | means |",
  "|---|---|",
  "| -l | long |",
  "",
  "```python",
  "def hello(name):",
  '    return f"hi {name}"  # greet',
  "```",
  "",
  "See [the manual](https://example.com/ls) or <b>bold html</b>, not [this](javascript:alert(1)).",
  "![a chart](https://example.com/chart.png)",
].join("\n");

const EXCLUDE = Array.from({ length: 40 }, (_, i) => `dir-${i + 1}`);
const ARGUMENTS = JSON.stringify({ query: "ls flags", filters: { section: { name: "man", page: 1 }, exclude: EXCLUDE }, limit: 3 });
const RESULT = JSON.stringify({ results: [{ title: "ls(1)", flags: ["-l", "-a"] }], total: 1 });
const TYPED = "first line\n    indented   by four\nlast line";
const LONG_USER = Array.from({ length: 60 }, (_, i) => `line ${i + 1} of what I pasted`).join("\n");
const LONG_ANSWER = `${"A long answer sentence that goes on. ".repeat(130)}THE END OF THE ANSWER`;
const LONG_RESULT = Array.from({ length: 40 }, (_, i) => `row ${i + 1}`).join("\n");
const TALL_ARGUMENTS = JSON.stringify(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field_${i + 1}`, i + 1])));

let f: Fixture;
before(async () => {
  f = await startFixture({ demo: false });
  await sendChat(f.server, {
    project: "md",
    sessionId: "md-1",
    turns: [
      { user: "How do I **list** files? `ls`?", tool: { name: "search_docs", arguments: ARGUMENTS, result: RESULT }, assistant: ANSWER },
      { user: TYPED, assistant: JSON.stringify({ answer: 42, unit: "none" }) },
      { user: LONG_USER, tool: { name: "dump", arguments: TALL_ARGUMENTS, result: LONG_RESULT }, assistant: LONG_ANSWER },
    ],
  });
  await f.page.goto(`${f.server.url}/projects/md/sessions/md-1`);
  await f.page.getByTestId("conversation-end").waitFor();
});
after(() => f?.close());

const turn = (i: number) => f.page.locator("[data-testid=turn]").nth(i);

test("an assistant's Markdown is rendered: heading, list, table, links, highlighted code; HTML stays text", async () => {
  const answer = turn(0).getByTestId("message-assistant");
  assert.equal(await answer.locator("h2").innerText(), "Listing files");
  assert.match(await answer.locator("pre code").first().innerText(), /^ls -la \| grep '\.ts'\s*$/);
  assert.equal(await answer.locator("ol > li").count(), 2);
  assert.equal(await answer.locator("li code").innerText(), "ls");
  assert.equal(await answer.locator("strong").innerText(), "list");
  assert.equal(await answer.locator("table th").first().innerText(), "flag");
  assert.equal(await answer.locator("table td").first().innerText(), "-l");

  const python = answer.locator("pre code.language-python");
  assert.equal(await python.locator(".hljs-keyword").first().innerText(), "def");
  assert.equal(await python.locator(".hljs-title").first().innerText(), "hello");
  assert.match(await python.locator(".hljs-comment").innerText(), /# greet/);
  const colours = await python.evaluate((code) => [getComputedStyle(code).color, getComputedStyle(code.querySelector(".hljs-keyword")!).color]);
  assert.notEqual(colours[1], colours[0], "keywords are coloured");
  assert.ok((await answer.locator("pre code.language-bash span[class^=hljs-]").count()) > 0, "bash is highlighted too");

  const link = answer.locator("a", { hasText: "the manual" });
  assert.equal(await link.getAttribute("href"), "https://example.com/ls");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.match((await link.getAttribute("rel")) ?? "", /noopener/);
  assert.equal(await answer.locator("a[href^='javascript']").count(), 0, "a javascript: link is no link");
  assert.equal(await answer.getByText("this", { exact: true }).count(), 1, "its text stays");
  assert.equal(await answer.locator("img").count(), 0, "an image in a message is not fetched");
  assert.equal(await answer.locator("a", { hasText: "Image: a chart" }).getAttribute("href"), "https://example.com/chart.png");
  assert.equal(await answer.locator("b").count(), 0, "no HTML element from the text");
  assert.match(await answer.innerText(), /<b>bold html<\/b>/);
  assert.ok(!(await answer.innerText()).includes("```"), "no raw fences");
});

test("a user's Markdown renders too, plain text shows exactly as typed, and Source shows either as sent", async () => {
  const user = turn(0).getByTestId("message-user");
  assert.equal(await user.locator("strong").innerText(), "list");
  assert.equal(await user.locator("code").innerText(), "ls");
  assert.equal(await user.innerText(), "How do I list files? ls?");

  const typed = turn(1).getByTestId("message-user");
  assert.equal(await typed.innerText(), TYPED, "line breaks, indentation and spaces as typed");

  await turn(0).locator(".message--user").getByTestId("source-toggle").click();
  assert.equal(await user.innerText(), "How do I **list** files? `ls`?");
  assert.equal(await user.locator("strong").count(), 0);
  await turn(0).locator(".message--user").getByTestId("source-toggle").click();
  assert.equal(await user.locator("strong").count(), 1);
});

test("a tool call's JSON arguments and its result are an indented tree whose deeper levels expand on click", async () => {
  const call = turn(0).getByTestId("tool-call");
  assert.match(await call.locator("summary").innerText(), /search_docs/);
  await call.locator("summary").click();
  const tree = call.getByTestId("json-tree");
  assert.match(await tree.innerText(), /"query":\s*"ls flags"/);
  assert.match(await tree.innerText(), /"limit":\s*3/);
  const section = tree.locator("[role=treeitem]", { has: f.page.locator(":scope > .json-tree__key", { hasText: '"section"' }) });
  assert.equal(await section.getAttribute("aria-expanded"), "false", "in JSON this long, the third level starts collapsed");
  assert.ok(!(await tree.innerText()).includes('"page"'));
  await section.getByRole("button", { name: "Expand" }).click();
  assert.equal(await section.getAttribute("aria-expanded"), "true");
  assert.match(await tree.innerText(), /"page":\s*1/);
  assert.equal(await tree.getByRole("button", { name: /^Show all/ }).count(), 0, "its collapsed tree is short: no preview");
  await call.getByTestId("source-toggle").click();
  assert.equal((await call.locator(".tool__body").innerText()).replace(/^\s*call_0\s*Source\s*/, ""), ARGUMENTS, "the arguments as sent");

  const result = turn(0).getByTestId("tool-result");
  await result.locator("summary").click();
  const resultTree = result.getByTestId("json-tree");
  assert.match(await resultTree.innerText(), /"total":\s*1/);
  assert.match(await resultTree.innerText(), /"title":\s*"ls\(1\)"/, "short JSON shows whole");
  assert.match(await resultTree.innerText(), /"flags":\s*\[\s*"-l",\s*"-a"\s*\]/);
});

test("a JSON message is a tree too", async () => {
  const answer = turn(1).getByTestId("message-assistant");
  assert.match(await answer.getByTestId("json-tree").innerText(), /"answer":\s*42/);
});

test("long user and assistant messages and long tool results show a preview that expands", async () => {
  for (const [message, last] of [
    [turn(2).getByTestId("message-user"), "line 60 of what I pasted"],
    [turn(2).getByTestId("message-assistant"), "THE END OF THE ANSWER"],
  ] as const) {
    const more = message.getByRole("button", { name: /^Show all/ });
    assert.ok(!(await message.innerText()).includes(last), "a preview");
    await more.click();
    assert.ok((await message.innerText()).includes(last), "all of it");
    await message.getByRole("button", { name: "Show less" }).click();
    assert.ok(!(await message.innerText()).includes(last));
  }
  const call = turn(2).getByTestId("tool-call");
  await call.locator("summary").click();
  const tallTree = call.getByTestId("json-tree");
  const clip = tallTree.locator(".json-block__clip");
  const clampedHeight = await clip.evaluate((el) => el.getBoundingClientRect().height);
  await tallTree.getByRole("button", { name: /^Show all/ }).click();
  assert.ok((await clip.evaluate((el) => el.getBoundingClientRect().height)) > clampedHeight * 2, "a tall JSON tree opens to its full height");
  await tallTree.getByRole("button", { name: "Show less" }).waitFor();

  const result = turn(2).getByTestId("tool-result");
  await result.locator("summary").click();
  assert.ok(!(await result.innerText()).includes("row 40"));
  await result.getByRole("button", { name: /^Show all/ }).click();
  assert.ok((await result.innerText()).includes("row 40"));
});
