// Assistant answers read as the chat app showed them: Markdown (code fences, inline code, lists,
// emphasis, tables, links) rendered, and HTML inside them still shown as text; what the user
// typed stays as typed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sendSession, startFixture, type Fixture } from "./list-helpers.ts";

const ANSWER = [
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
  "See [the manual](https://example.com/ls) or <b>bold html</b>.",
].join("\n");

let f: Fixture;
before(async () => {
  f = await startFixture({ demo: false });
  await sendSession(f.server, { project: "md", sessionId: "md-1", startMs: Date.now() - 60_000, input: "How do I **list** files? `ls`?", output: ANSWER });
});
after(() => f?.close());

test("an assistant's Markdown is rendered; the user's text and any HTML stay text", async () => {
  await f.page.goto(`${f.server.url}/projects/md/sessions/md-1`);
  const answer = f.page.getByTestId("message-assistant").first();
  await answer.getByTestId("markdown").waitFor();
  assert.match(await answer.locator("pre code").innerText(), /^ls -la \| grep '\.ts'\s*$/);
  assert.equal(await answer.locator("ol > li").count(), 2);
  assert.equal(await answer.locator("li code").innerText(), "ls");
  assert.equal(await answer.locator("strong").innerText(), "list");
  assert.equal(await answer.locator("table td").first().innerText(), "-l");
  const link = answer.locator("a");
  assert.equal(await link.getAttribute("href"), "https://example.com/ls");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.match(await link.getAttribute("rel") ?? "", /noopener/);
  assert.equal(await answer.locator("b").count(), 0, "no HTML element from the text");
  assert.match(await answer.innerText(), /<b>bold html<\/b>/);
  assert.ok(!(await answer.innerText()).includes("```"), "no raw fences");
  const user = f.page.getByTestId("message-user").first();
  assert.match(await user.innerText(), /How do I \*\*list\*\* files\? `ls`\?/, "the user's text as typed");
});
