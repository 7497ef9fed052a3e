// Shared by the list, users, search and live browser tests: a server with the demo's sessions
// (optionally annotated), a browser page, the API as the tests' oracle, and polling helpers.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { EVALUATION_WAIT_MS, eventually, getJson, hexId, otlpJson, postOtlpJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { SessionList, SessionStats } from "@threadline/server";
import { runDemo, type DemoSummary } from "../../../examples/demo/run.ts";
import { annotateDemo } from "../../../examples/demo/evaluate.ts";
import { launchBrowser } from "./browser.ts";

const BUILT_IN = ["user_frustration", "errors", "repetition", "unanswered"];

export interface Fixture {
  server: TestServer;
  browser: Browser;
  page: Page;
  demo: DemoSummary | null;
  /** GET a project's API path (e.g. "/sessions?sort=cost"), asserting a 200. */
  api<T>(path: string, project?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startFixture({ demo = true, annotate = false } = {}): Promise<Fixture> {
  const server = await startTestServer(annotate ? { evaluators: BUILT_IN } : {});
  const browserPromise = launchBrowser();
  let summary: Awaited<ReturnType<typeof runDemo>> | null;
  try {
    summary = demo ? await runDemo({ endpoint: server.url, projectName: "demo", seed: 7, concurrency: 24 }) : null;
    if (summary && annotate) {
      const ids = summary.sessions.map((s) => s.sessionId);
      await annotateDemo(server.url, "demo", ids);
      // The built-in evaluators run as each conversation's last turn closes its session.
      await eventually(async () => {
        const { body } = await getJson<SessionList>(`${server.url}/api/v1/projects/demo/sessions?limit=500&annotation=user_frustration`);
        assert.equal(body.sessions.length, ids.length);
        const { body: run } = await getJson<SessionList>(`${server.url}/api/v1/projects/demo/sessions?limit=500&annotation=unanswered`);
        assert.equal(run.sessions.length, ids.length);
      }, EVALUATION_WAIT_MS);
    }
  } catch (error) {
    // A fixture that failed half-way must not leave its server and browser running (the test process would never exit).
    await Promise.allSettled([server.close(), browserPromise.then((b) => b.close())]);
    throw error;
  }
  const browser = await browserPromise;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  return {
    server,
    browser,
    page,
    demo: summary,
    async api<T>(path: string, project = "demo") {
      const { status, body } = await getJson<T>(`${server.url}/api/v1/projects/${encodeURIComponent(project)}${path}`);
      assert.equal(status, 200, `GET ${path}: ${JSON.stringify(body)}`);
      return body;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export { eventually } from "@threadline/server/testing";

/** Session ids of the table's rows, in order. */
export async function rowIds(page: Page): Promise<string[]> {
  return page.getByTestId("session-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-session-id") ?? ""));
}

/** Waits until the table shows exactly the API's sessions for `query`, in the API's order. */
export async function expectRowsLikeApi(fixture: Fixture, query: string, project = "demo"): Promise<SessionList> {
  const list = await fixture.api<SessionList>(`/sessions${query}`, project);
  const expected = list.sessions.map((s) => s.sessionId);
  await eventually(async () => assert.deepEqual(await rowIds(fixture.page), expected, `rows for ${query}`));
  return list;
}

/** The text of one stat card (`data-testid="stat-<id>"`). */
export async function statText(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(`stat-${id}`).locator("dd").innerText()).trim();
}

/** Waits until the stats cards show the API's figures for `query` (the sessions count at least). */
export async function expectSessionCount(fixture: Fixture, query: string, project = "demo"): Promise<SessionStats> {
  const stats = await fixture.api<SessionStats>(`/session-stats${query}`, project);
  await eventually(async () => assert.equal(await statText(fixture.page, "sessions"), stats.sessionCount.toLocaleString("en-US")));
  return stats;
}

/** The current URL's search params. */
export function urlParams(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

/** Sends `turns` one-span traces in one session through OTLP/JSON; returns the trace ids. */
export async function sendSession(
  server: TestServer,
  { project, sessionId, userId, startMs, turns = 1, input = "hello", output = "hi there", attributes = {} }: {
    project: string;
    sessionId: string;
    userId?: string;
    startMs: number;
    turns?: number;
    input?: string;
    output?: string;
    attributes?: Record<string, string | number | boolean | string[]>;
  },
): Promise<string[]> {
  const spans = Array.from({ length: turns }, (_, i) => ({
    traceId: hexId(16),
    name: "chat",
    startMs: startMs + i * 1000,
    endMs: startMs + i * 1000 + 400,
    attributes: {
      "session.id": sessionId,
      ...(userId ? { "user.id": userId } : {}),
      "openinference.span.kind": "CHAIN",
      "input.value": input,
      "output.value": output,
      ...attributes,
    },
  }));
  const { status } = await postOtlpJson(server.url, otlpJson(spans, project));
  assert.equal(status, 200);
  return spans.map((s) => s.traceId);
}

/**
 * A reply's text as a reader sees it once its Markdown is rendered: the syntax marks gone, links
 * their text, whitespace collapsed. Applied to the script and the page alike to compare them.
 */
export function readAs(markdown: string): string {
  return markdown
    .replace(/```[a-z]*\n?/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s*(?:[-+*]|\d+\.)\s+/gm, "")
    .replace(/[*_`#>|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
