// People's accounts: created with `threadline users create` or by an admin through the API, signed
// in with a password to an HttpOnly, SameSite=Strict session cookie, each change carrying the
// session's CSRF token; roles per project; sign-out, removal and key management.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import { hexId, otlpJson, startTestServer, type TestServer } from "./support.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;
const ADMIN_PASSWORD = "correct horse battery";

function cli(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    child.stdin!.end(input);
  });
}

/** A browser: keeps the session cookie, sends the CSRF token it was given. */
class Browser {
  cookie = "";
  csrf = "";
  setCookie = "";
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  async fetch(path: string, init: RequestInit & { json?: unknown; noCsrf?: boolean; origin?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (this.cookie) headers.cookie = this.cookie;
    if (init.json !== undefined) headers["content-type"] = "application/json";
    if (this.csrf && !init.noCsrf && init.method && init.method !== "GET") headers["x-csrf-token"] = this.csrf;
    if (init.origin) headers.origin = init.origin;
    const response = await fetch(`${this.base}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    const set = response.headers.get("set-cookie");
    if (set) {
      this.setCookie = set;
      this.cookie = set.split(";")[0];
    }
    return response;
  }
  async signIn(login: string, password: string): Promise<Response> {
    const response = await this.fetch("/api/v1/login", { method: "POST", json: { login, password } });
    if (response.ok) this.csrf = ((await response.clone().json()) as { csrfToken: string }).csrfToken;
    return response;
  }
}

describe("accounts", () => {
  let dataDir: string;
  let server: TestServer;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "threadline-accounts-"));
    const made = await cli(["users", "create", "--login", "root@example.com", "--project", "*", "--role", "admin", "--data-dir", dataDir], `${ADMIN_PASSWORD}\n`);
    assert.equal(made.code, 0, made.stderr);
    const short = await cli(["users", "create", "--login", "weak", "--project", "alpha", "--role", "viewer", "--data-dir", dataDir], "short\n");
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /at least 10 characters/);
    server = await startTestServer({ dataDir, auth: "required" });
    const spans = otlpJson([{ traceId: hexId(16), startMs: Date.now() - 5000, endMs: Date.now() - 4000, attributes: { "session.id": "s-1", "user.id": "u-1", "input.value": "hi" } }], "alpha");
    for (const project of ["alpha", "beta"]) {
      const key = (await cli(["keys", "create", "--project", project, "--kind", "ingest", "--data-dir", dataDir], "")).stdout.trim();
      const body = spans.replaceAll('"alpha"', `"${project}"`);
      assert.equal((await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body })).status, 200);
    }
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("signing in sets an HttpOnly, SameSite=Strict cookie whose id the database holds only as a hash", async () => {
    const browser = new Browser(server.url);
    assert.equal((await browser.fetch("/api/v1/me")).status, 401);
    const wrong = await browser.signIn("root@example.com", "not the password");
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { error: "wrong login or password" });
    assert.equal((await browser.signIn("nobody", ADMIN_PASSWORD)).status, 401);
    const ok = await browser.signIn("ROOT@example.com", ADMIN_PASSWORD);
    assert.equal(ok.status, 200);
    assert.match(browser.setCookie, /HttpOnly/i);
    assert.match(browser.setCookie, /SameSite=Strict/i);
    assert.match(browser.setCookie, /Path=\//);
    const me = (await (await browser.fetch("/api/v1/me")).json()) as { kind: string; login: string; roles: Record<string, string> };
    assert.deepEqual([me.kind, me.login, me.roles], ["account", "root@example.com", { "*": "admin" }]);
    assert.equal((await browser.fetch("/api/v1/projects/alpha/sessions")).status, 200);
    const sessionId = decodeURIComponent(browser.cookie.split("=")[1]).split(".")[0];
    const db = new DatabaseSync(join(dataDir, "auth.db"), { readOnly: true });
    const rows = db.prepare("SELECT id_hash, data FROM web_sessions").all() as Array<{ id_hash: string; data: string }>;
    db.close();
    assert.ok(rows.length > 0 && rows.every((r) => r.id_hash !== sessionId && !r.data.includes(sessionId)), "no session id in the database");
  });

  test("a change with the cookie needs the CSRF token, and comes from the server's own origin", async () => {
    const browser = new Browser(server.url);
    await browser.signIn("root@example.com", ADMIN_PASSWORD);
    const annotate = (extra: { noCsrf?: boolean; origin?: string } = {}) =>
      browser.fetch("/api/v1/projects/alpha/sessions/s-1/annotations", { method: "POST", json: { name: "quality", score: 1 }, ...extra });
    const forged = await annotate({ noCsrf: true });
    assert.equal(forged.status, 403);
    assert.match(((await forged.json()) as { error: string }).error, /CSRF/);
    const crossOrigin = await annotate({ origin: "https://evil.example" });
    assert.equal(crossOrigin.status, 403);
    assert.match(((await crossOrigin.json()) as { error: string }).error, /cross-origin/);
    assert.equal((await annotate({ origin: server.url })).status, 201);
  });

  test("an admin of every project creates people with roles; a viewer reads but cannot annotate, delete or manage", async () => {
    const root = new Browser(server.url);
    await root.signIn("root@example.com", ADMIN_PASSWORD);
    const created = await root.fetch("/api/v1/accounts", { method: "POST", json: { login: "vera", password: "viewer password", roles: { alpha: "viewer" } } });
    assert.equal(created.status, 201);
    const vera = (await created.json()) as { id: string };
    assert.equal((await root.fetch("/api/v1/accounts", { method: "POST", json: { login: "vera", password: "another password", roles: {} } })).status, 409);

    const viewer = new Browser(server.url);
    assert.equal((await viewer.signIn("vera", "viewer password")).status, 200);
    assert.equal((await viewer.fetch("/api/v1/projects/alpha/sessions")).status, 200);
    assert.equal((await viewer.fetch("/api/v1/projects/beta/sessions")).status, 403, "no role in beta");
    const annotate = await viewer.fetch("/api/v1/projects/alpha/sessions/s-1/annotations", { method: "POST", json: { name: "quality", score: 0 } });
    assert.equal(annotate.status, 403);
    assert.match(((await annotate.json()) as { error: string }).error, /a viewer cannot annotate/);
    assert.equal((await viewer.fetch("/api/v1/projects/alpha/sessions/s-1", { method: "DELETE" })).status, 403);
    assert.equal((await viewer.fetch("/api/v1/accounts")).status, 403);
    assert.equal((await viewer.fetch("/api/v1/projects/alpha/keys")).status, 403);
    const projects = (await (await viewer.fetch("/api/v1/projects")).json()) as { projects: Array<{ name: string }> };
    assert.deepEqual(projects.projects.map((p) => p.name), ["alpha"], "a person sees the projects they have a role in");

    // Promoted, the same session can annotate at once; removed, it is signed out.
    assert.equal((await root.fetch(`/api/v1/accounts/${vera.id}`, { method: "PATCH", json: { roles: { alpha: "annotator" } } })).status, 200);
    assert.equal((await viewer.fetch("/api/v1/projects/alpha/sessions/s-1/annotations", { method: "POST", json: { name: "tone", score: 0 } })).status, 201);
    assert.equal((await root.fetch(`/api/v1/accounts/${vera.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await viewer.fetch("/api/v1/projects/alpha/sessions")).status, 401);
  });

  test("a review queue records who reviewed what; a viewer can read the queue but not review", async () => {
    const root = new Browser(server.url);
    await root.signIn("root@example.com", ADMIN_PASSWORD);
    assert.equal((await root.fetch("/api/v1/accounts", { method: "POST", json: { login: "rita", password: "reviewer password", roles: { alpha: "annotator" } } })).status, 201);
    assert.equal((await root.fetch("/api/v1/accounts", { method: "POST", json: { login: "vic", password: "viewer password", roles: { alpha: "viewer" } } })).status, 201);
    const made = await root.fetch("/api/v1/projects/alpha/review-queues", { method: "POST", json: { name: "check tone", annotation: "tone", labels: ["good", "bad"] } });
    assert.equal(made.status, 201);
    const queue = (await made.json()) as { id: string; createdBy: string };
    assert.equal(queue.createdBy, "root@example.com");
    const rita = new Browser(server.url);
    await rita.signIn("rita", "reviewer password");
    const reviewed = await rita.fetch(`/api/v1/projects/alpha/review-queues/${queue.id}/items/1/review`, { method: "POST", json: { label: "bad", explanation: "curt" } });
    assert.equal(reviewed.status, 200, await reviewed.clone().text());
    assert.equal(((await reviewed.json()) as { identifier: string; annotatorKind: string }).identifier, "rita");
    const vic = new Browser(server.url);
    await vic.signIn("vic", "viewer password");
    assert.equal((await vic.fetch(`/api/v1/projects/alpha/review-queues/${queue.id}/items/1/review`, { method: "POST", json: { label: "good" } })).status, 403);
    const detail = (await (await vic.fetch(`/api/v1/projects/alpha/review-queues/${queue.id}`)).json()) as { items: Array<{ reviewedBy: string; review: { label: string } }> };
    assert.equal(detail.items[0].reviewedBy, "rita");
    assert.equal(detail.items[0].review.label, "bad");
    assert.equal((await rita.fetch("/api/v1/projects/beta/review-queues")).status, 403, "no role in beta");
  });

  test("signing out ends the session; a project admin creates and revokes keys in the UI's API", async () => {
    const root = new Browser(server.url);
    await root.signIn("root@example.com", ADMIN_PASSWORD);
    const made = await root.fetch("/api/v1/projects/alpha/keys", { method: "POST", json: { kind: "api", role: "viewer", name: "dashboard" } });
    assert.equal(made.status, 201);
    const { key, token } = (await made.json()) as { key: { id: string }; token: string };
    assert.equal((await fetch(`${server.url}/api/v1/projects/alpha/sessions`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const listed = (await (await root.fetch("/api/v1/projects/alpha/keys")).json()) as { keys: Array<Record<string, unknown>> };
    assert.ok(listed.keys.some((k) => k.id === key.id && k.name === "dashboard") && listed.keys.every((k) => !("hash" in k)));
    assert.equal((await root.fetch(`/api/v1/projects/alpha/keys/${key.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await fetch(`${server.url}/api/v1/projects/alpha/sessions`, { headers: { authorization: `Bearer ${token}` } })).status, 401);

    const cookie = root.cookie;
    assert.equal((await root.fetch("/api/v1/logout", { method: "POST" })).status, 204);
    assert.equal((await fetch(`${server.url}/api/v1/projects/alpha/sessions`, { headers: { cookie } })).status, 401, "the old cookie no longer works");
  });

  test("guessing passwords is slowed down: 429 after ten tries a minute", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await new Browser(server.url).signIn("root@example.com", `guess ${i}`)).status);
    assert.ok(statuses.includes(429), `statuses ${statuses.join(",")}`);
  });
});
