// A team's Threadline in a browser: the UI sits behind a sign-in, an admin deletes a session
// (after confirming) and makes a key that works at once, a viewer sees no such buttons, and
// signing out leads back to the sign-in page.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "@threadline/server/testing";
import { createAccount, createKey } from "../../server/src/auth/admin.ts";
import { SqliteAuthStore } from "../../server/src/store/sqlite/auth-store.ts";
import { launchBrowser } from "./browser.ts";
import { eventually } from "./list-helpers.ts";

const PROJECT = "team";
let dataDir: string;
let server: TestServer;
let browser: Browser;
let ingest: string;
let adminKey: string;

async function sendTurn(session: string, token = ingest): Promise<number> {
  const start = Date.now() - 60_000;
  const body = otlpJson([{ traceId: hexId(16), startMs: start, endMs: start + 900, attributes: { "session.id": session, "user.id": "u-1", "input.value": `hello from ${session}`, "output.value": "hi" } }], PROJECT);
  return (await postOtlpJson(server.url, body, { authorization: `Bearer ${token}` })).status;
}

const sessionStatus = async (session: string) =>
  (await fetch(`${server.url}/api/v1/projects/${PROJECT}/sessions/${session}`, { headers: { authorization: `Bearer ${adminKey}` } })).status;

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByTestId("signin-login").fill(login);
  await page.getByTestId("signin-password").fill(password);
  await page.getByTestId("signin-submit").click();
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "threadline-team-"));
  const auth = new SqliteAuthStore(join(dataDir, "auth.db"));
  await createAccount(auth, { login: "ada", password: "admin password 1", roles: { "*": "admin" } });
  await createAccount(auth, { login: "vic", password: "viewer password 1", roles: { [PROJECT]: "viewer" } });
  ingest = (await createKey(auth, { project: PROJECT, kind: "ingest" })).token;
  adminKey = (await createKey(auth, { project: PROJECT, kind: "api", role: "admin" })).token;
  auth.close();
  [server, browser] = await Promise.all([startTestServer({ dataDir, auth: "required" }), launchBrowser()]);
  for (const session of ["s-keep", "s-delete"]) assert.equal(await sendTurn(session), 200);
});
after(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("an admin signs in, deletes a session after confirming, and makes a key that works", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/projects/${PROJECT}/sessions/s-delete`);
  await page.getByTestId("signin-form").waitFor();
  await signIn(page, "ada", "not the password");
  await page.getByRole("alert").getByText("wrong login or password").waitFor();
  await signIn(page, "ada", "admin password 1");
  // Back where the sign-in interrupted.
  await page.getByRole("heading", { name: /Session s-delete/ }).waitFor();
  assert.equal(await page.getByTestId("signed-in-as").innerText(), "ada");
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "threadline_session");
  assert.ok(session?.httpOnly && session.sameSite === "Strict", JSON.stringify(session));

  await page.getByTestId("delete-sessions").click();
  await page.getByTestId("confirm-dialog").getByText(/Every turn of session s-delete/).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await sessionStatus("s-delete"), 200, "cancel deletes nothing");
  await page.getByTestId("delete-sessions").click();
  await page.getByTestId("confirm-delete").click();
  await page.waitForURL(/\/projects\/team\/sessions(\?|$)/);
  await eventually(async () => assert.equal(await sessionStatus("s-delete"), 404));
  await page.locator('[data-session-id="s-keep"]').waitFor();
  assert.equal(await page.locator('[data-session-id="s-delete"]').count(), 0);

  await page.getByTestId("nav-keys").click();
  await page.getByTestId("key-name").fill("browser-made");
  await page.getByTestId("key-create").click();
  const token = (await page.getByTestId("key-token").locator(".mono").innerText()).trim();
  assert.match(token, /^tl_ingest_/);
  assert.equal(await sendTurn("s-new", token), 200, "the new key sends spans");
  await page.getByTestId("keys-table").getByText("browser-made").waitFor();

  await page.getByTestId("sign-out").click();
  await page.getByTestId("signin-form").waitFor();
  await page.goto(`${server.url}/projects/${PROJECT}/sessions`);
  await page.getByTestId("signin-form").waitFor();
  await context.close();
});

test("a viewer reads but sees no delete button, no keys and no accounts", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await signIn(page, "vic", "viewer password 1");
  await page.locator('[data-session-id="s-keep"]').waitFor();
  await page.locator('[data-session-id="s-keep"]').click();
  await page.getByRole("heading", { name: /Session s-keep/ }).waitFor();
  assert.equal(await page.getByTestId("delete-sessions").count(), 0);
  assert.equal(await page.getByTestId("nav-keys").count(), 0);
  assert.equal(await page.getByRole("link", { name: "Accounts" }).count(), 0);
  await context.close();
});
