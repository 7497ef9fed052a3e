// With no data, the UI teaches: TypeScript and Python snippets that send a first session to this
// very server, with copy buttons; and the TypeScript one, run as shown, does send a session.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import type { BrowserContext, Page } from "playwright-core";
import { startFixture, type Fixture } from "./list-helpers.ts";

let f: Fixture;
let context: BrowserContext;
let page: Page;

before(async () => {
  f = await startFixture({ demo: false });
  context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: f.server.url });
  page = await context.newPage();
});
after(async () => {
  await context?.close();
  await f?.close();
});

test("no project yet: both snippets, with this server's address, and copy buttons that copy them", async () => {
  await page.goto(f.server.url);
  await page.getByTestId("getting-started").waitFor();
  assert.equal(await page.getByTestId("otlp-endpoint").innerText(), `${f.server.url}/v1/traces`);

  const ts = await page.getByTestId("code-typescript").innerText();
  assert.match(ts, /import \{ register, withAttributes \} from "@threadline\/sdk"/);
  assert.ok(ts.includes(`endpoint: "${f.server.url}"`), ts);
  assert.match(ts, /withAttributes\(\{ sessionId: "session-1", userId: "user-1" \}/);

  const py = await page.getByTestId("code-python").innerText();
  assert.match(py, /from openinference\.instrumentation import TracerProvider, using_session, using_user/);
  assert.ok(py.includes(`OTLPSpanExporter(endpoint="${f.server.url}/v1/traces")`), py);
  assert.match(py, /with using_session\("session-1"\), using_user\("user-1"\):/);

  await page.getByTestId("copy-python").click();
  await page.getByTestId("copy-python").getByText("Copied").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), py.trimEnd() + "\n");
  await page.getByTestId("copy-typescript").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ts.trimEnd() + "\n");
});

test("the TypeScript snippet, run as shown, sends a first session, and the page opens it by itself", async () => {
  await page.goto(f.server.url);
  const code = await page.getByTestId("code-typescript").innerText();
  // Run it where @threadline/sdk resolves (the workspace's node_modules), as a user's script would.
  const dir = await mkdtemp(join(tmpdir(), "threadline-snippet-"));
  try {
    await symlink(resolve(import.meta.dirname, "../../../node_modules"), join(dir, "node_modules"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(join(dir, "first-session.ts"), code);
    await promisify(execFile)(process.execPath, [join(dir, "first-session.ts")], { cwd: dir, timeout: 15_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await page.waitForURL(/\/projects\/my-chat-app\/sessions$/, { timeout: 8000 });
  await page.locator("[data-testid=session-row][data-session-id=session-1]").waitFor();
  assert.equal(await page.locator("[data-session-id=session-1] [data-col=users]").innerText(), "user-1");
  assert.match(await page.locator("[data-session-id=session-1] [data-col=firstInput]").innerText(), /Hello!/);
});

test("an empty project teaches with its own name", async () => {
  await page.goto(`${f.server.url}/projects/brand-new-app/sessions`);
  await page.getByTestId("getting-started").waitFor();
  assert.ok((await page.getByTestId("code-typescript").innerText()).includes(`projectName: "brand-new-app"`));
  assert.ok((await page.getByTestId("code-python").innerText()).includes(`"openinference.project.name": "brand-new-app"`));
});
