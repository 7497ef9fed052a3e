// The Session and Trace pages against the real server and the demo's sessions (real OpenAI client +
// OpenInference instrumentation): what the API returns, a chat without repeated history, tool calls
// in place, annotations and thumbs that persist, the waterfall, the JSON download and the share link.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { getJson, startTestServer, type TestServer } from "@threadline/server/testing";
import type { AnnotationList, Conversation, SessionDetail, TraceDetail } from "@threadline/server";
import { runDemo, type DemoSummary } from "../../../examples/demo/run.ts";
import { CONVERSATIONS } from "../../../examples/demo/conversations/index.ts";
import { launchBrowser } from "./browser.ts";
import { readAs } from "./list-helpers.ts";

let server: TestServer;
let demo: DemoSummary;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  server = await startTestServer();
  demo = await runDemo({ endpoint: server.url, projectName: "demo", seed: 11 });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  page = await context.newPage();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const api = <T>(path: string) => getJson<T>(`${server.url}/api/v1/projects/demo${path}`).then((r) => r.body);
const sessionUrl = (id: string) => `${server.url}/projects/demo/sessions/${encodeURIComponent(id)}`;
const en = (n: number) => new Intl.NumberFormat("en-US").format(n);
const longest = () => [...demo.sessions].sort((a, b) => b.turns - a.turns)[0]!;
const scriptFor = (sessionId: string) => CONVERSATIONS.find((c) => sessionId.startsWith(`sess-${c.slug}-`))!;

async function openSession(id: string): Promise<void> {
  await page.goto(sessionUrl(id));
  await page.getByTestId("conversation-end").waitFor();
}

/** The conversation's items in document order: kind (user, assistant, tool-call, tool-result, system) and text. */
function chatItems(): Promise<Array<{ kind: string; text: string; callId: string | null; turn: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll("[data-testid=conversation] :is([data-testid^=message-], [data-testid=tool-call], [data-testid=tool-result])")].map(
      (el) => ({
        kind: (el.getAttribute("data-testid") ?? "").replace(/^message-/, ""),
        text: (el as HTMLElement).innerText.trim(),
        callId: el.getAttribute("data-tool-call-id"),
        turn: Number(el.closest("[data-turn-index]")?.getAttribute("data-turn-index")),
      }),
    ),
  );
}

test("the session page shows the API's summary figures and its turns in time order", async () => {
  const { sessionId } = longest();
  const session = await api<SessionDetail>(`/sessions/${sessionId}`);
  const conversation = await api<Conversation>(`/sessions/${sessionId}/conversation`);
  await openSession(sessionId);

  const summary = page.getByTestId("session-summary");
  assert.equal(await summary.getByTestId("summary-turns").innerText(), en(session.traceCount));
  assert.equal(await summary.getByTestId("summary-llm-calls").innerText(), en(session.llmCount));
  assert.equal(await summary.getByTestId("summary-tokens").innerText(), en(session.tokens.total));
  assert.equal(await summary.getByTestId("summary-errors").innerText(), en(session.errorCount));
  assert.equal(await summary.getByTestId("summary-users").innerText(), session.userIds.join(", "));

  const shown = await page.locator("[data-testid=turn], [data-testid=turn-error]").evaluateAll((els) => els.map((el) => el.getAttribute("data-trace-id")));
  assert.deepEqual(shown, conversation.turns.map((t) => t.traceId));
  assert.deepEqual(shown, session.traces.map((t) => t.traceId), "conversation turns follow the session's traces");
  // Per-turn figures come from the conversation.
  const first = page.locator("[data-testid=turn], [data-testid=turn-error]").first();
  assert.equal(await first.getByTestId("turn-tokens").innerText(), `${en(conversation.turns[0]!.tokens.total)} tok`);
});

test("each message shows once, in order, with tool calls and results between the right messages", async () => {
  let toolCallsSeen = 0;
  for (const { sessionId, turns } of demo.sessions) {
    const script = scriptFor(sessionId);
    await openSession(sessionId);
    const items = await chatItems();

    // Every user message exactly once, in the scripted order, though each LLM call re-sent the
    // history; rendered Markdown like the replies, so compared as a reader reads them.
    const users = items.filter((i) => i.kind === "user").map((i) => i.text);
    assert.deepEqual(users.map(readAs), script.turns.map((t) => readAs(t.user)), sessionId);
    assert.equal(new Set(users).size, users.length);
    assert.equal(users.length, turns);
    // Assistant replies are not repeated either.
    const replies = items.filter((i) => i.kind === "assistant").map((i) => i.text);
    assert.equal(new Set(replies).size, replies.length, `${sessionId}: a reply is shown twice`);
    // Replies are rendered Markdown: compared as a reader reads them.
    for (const t of script.turns) if (t.assistant) assert.ok(replies.some((r) => readAs(r) === readAs(t.assistant!)), `${sessionId}: reply missing`);

    // A tool call comes after its turn's user message; its result after it; then the answer, before the next user message.
    items.forEach((item, index) => {
      if (item.kind !== "tool-result") return;
      const callIndex = items.findIndex((i) => i.kind === "tool-call" && i.callId === item.callId);
      assert.ok(callIndex >= 0 && callIndex < index, `${sessionId}: result ${item.callId} before its call`);
      const userBefore = items.slice(0, callIndex).findLast((i) => i.kind === "user");
      assert.ok(userBefore && userBefore.turn === item.turn && items[callIndex]!.turn === item.turn, "call, result and question in one turn");
      const next = items.slice(index + 1).find((i) => i.kind === "user" || i.kind === "assistant");
      assert.equal(next?.kind, "assistant", `${sessionId}: the answer follows the tool result`);
      toolCallsSeen++;
    });
    // System prompts are hidden by default.
    assert.equal(items.filter((i) => i.kind === "system").length, 0);
  }
  assert.ok(toolCallsSeen >= 5, `the demo has tool calls (saw ${toolCallsSeen})`);
});

test("system prompts show once when asked for, and tool calls expand to their arguments", async () => {
  const { sessionId } = longest();
  await openSession(sessionId);
  await page.getByTestId("toggle-system").check();
  await page.getByTestId("message-system").first().waitFor();
  assert.equal(await page.getByTestId("message-system").count(), 1, "the re-sent system prompt shows once");
  assert.match(page.url(), /system=1/);

  const call = page.getByTestId("tool-call").first();
  if ((await call.count()) > 0) {
    await call.locator("summary").click();
    assert.match(await call.innerText(), /\{\s*"/, "the arguments as indented JSON");
  }
});

test("the failed turn shows where it failed, and opens the failing span", async () => {
  const failed = demo.sessions.find((s) => s.failedTurns > 0)!;
  const conversation = await api<Conversation>(`/sessions/${failed.sessionId}/conversation`);
  const broken = conversation.turns.find((t) => t.error)!;
  await openSession(failed.sessionId);
  const turn = page.locator(`[data-testid=turn-error][data-trace-id="${broken.traceId}"]`);
  const detail = turn.getByTestId("turn-error-detail");
  assert.match(await detail.innerText(), new RegExp(broken.error!.spanName));
  if (broken.error!.message) assert.ok((await detail.innerText()).includes(broken.error!.message));
  await detail.locator("button").click();
  const drawer = page.getByTestId("trace-drawer");
  await drawer.waitFor();
  assert.equal(await drawer.getByTestId("span-detail").getAttribute("data-span-id"), broken.error!.spanId);
  await drawer.getByTestId("span-error").waitFor();
});

test("a trace opens as a waterfall of its spans, and a span shows its messages", async () => {
  const { sessionId } = longest();
  const conversation = await api<Conversation>(`/sessions/${sessionId}/conversation`);
  // The turn with the most spans (a tool call: agent, LLM, tool, LLM).
  const details = await Promise.all(conversation.turns.map((t) => api<TraceDetail>(`/traces/${t.traceId}`)));
  const trace = details.sort((a, b) => b.spans.length - a.spans.length)[0]!;
  await openSession(sessionId);
  await page.locator(`[data-trace-id="${trace.traceId}"]`).getByTestId("turn-open-trace").click();
  const drawer = page.getByTestId("trace-drawer");
  await drawer.getByTestId("waterfall-row").first().waitFor();
  const names = await drawer.getByTestId("waterfall-span-name").allInnerTexts();
  assert.deepEqual([...names].sort(), trace.spans.map((s) => s.name).sort());
  assert.match(page.url(), new RegExp(`trace=${trace.traceId}`));
  // The open trace is part of the link: a reload (or a shared URL) opens it again.
  await page.reload();
  await drawer.getByTestId("waterfall-row").first().waitFor();
  assert.equal(await drawer.getAttribute("data-trace-id"), trace.traceId);

  const llm = trace.spans.find((s) => s.spanKind === "LLM" && (s.inputMessages?.length ?? 0) > 0)!;
  await drawer.locator(`[data-testid=waterfall-row][data-span-id="${llm.spanId}"]`).click();
  assert.equal(await drawer.getByTestId("span-detail-name").innerText(), llm.name);
  // The span's own view keeps the full re-sent history.
  assert.equal(await drawer.getByTestId("span-message").count(), llm.inputMessages!.length + (llm.outputMessages?.length ?? 0));
  await drawer.getByTestId("span-tab-attributes").click();
  assert.ok((await drawer.getByTestId("span-detail").innerText()).includes("llm.model_name"));

  // The trace page, by id, shows the same waterfall.
  await page.goto(`${server.url}/projects/demo/traces/${trace.traceId}?span=${llm.spanId}`);
  await page.getByTestId("waterfall-row").first().waitFor();
  assert.deepEqual((await page.getByTestId("waterfall-span-name").allInnerTexts()).sort(), trace.spans.map((s) => s.name).sort());
  assert.equal(await page.getByTestId("span-detail-name").innerText(), llm.name);
  assert.equal(await page.getByTestId("breadcrumb-session").innerText(), sessionId);
});

test("each turn links to its trace page", async () => {
  const { sessionId } = longest();
  await openSession(sessionId);
  const turn = page.locator("[data-testid=turn]").nth(1);
  const traceId = await turn.getAttribute("data-trace-id");
  await turn.getByTestId("turn-trace-link").click();
  await page.waitForURL(new RegExp(`/projects/demo/traces/${traceId}`));
  await page.getByTestId("waterfall").waitFor();
});

test("a session score, label and note are saved, survive a reload, are in the API, and can be edited", async () => {
  const sessionId = demo.sessions[1]!.sessionId;
  await openSession(sessionId);
  const panel = page.getByTestId("annotations-panel");
  await panel.getByTestId("annotation-add").click();
  await panel.getByTestId("annotation-name-input").fill("quality");
  await panel.getByTestId("annotation-score-input").fill("0.8");
  await panel.getByTestId("annotation-label-input").fill("resolved");
  await panel.getByTestId("annotation-note-input").fill("Helpful answer.\n  Second line, indented.");
  await panel.getByTestId("annotation-save").click();
  await panel.getByTestId("annotation-row").waitFor();

  await page.reload();
  const row = page.getByTestId("annotations-panel").getByTestId("annotation-row");
  await row.waitFor();
  assert.equal(await row.getByTestId("annotation-name").innerText(), "quality");
  assert.equal(await row.getByTestId("annotation-score").innerText(), "0.8");
  assert.equal(await row.getByTestId("annotation-label").innerText(), "resolved");
  assert.equal(await row.getByTestId("annotation-note").innerText(), "Helpful answer.\n  Second line, indented.");

  const { annotations } = await api<AnnotationList>(`/sessions/${sessionId}/annotations`);
  assert.equal(annotations.length, 1);
  assert.deepEqual(
    { name: annotations[0]!.name, score: annotations[0]!.score, label: annotations[0]!.label, explanation: annotations[0]!.explanation, kind: annotations[0]!.annotatorKind },
    { name: "quality", score: 0.8, label: "resolved", explanation: "Helpful answer.\n  Second line, indented.", kind: "HUMAN" },
  );
  const detail = await api<SessionDetail>(`/sessions/${sessionId}`);
  assert.equal(detail.sessionAnnotations.length, 1);

  // Edit: a new score, the label cleared.
  await row.getByTestId("annotation-edit").click();
  await page.getByTestId("annotation-score-input").fill("0.4");
  await page.getByTestId("annotation-label-input").fill("");
  await page.getByTestId("annotation-save").click();
  await page.getByTestId("annotation-row").getByTestId("annotation-score").filter({ hasText: "0.4" }).waitFor();
  await page.reload();
  await page.getByTestId("annotation-row").waitFor();
  assert.equal(await page.getByTestId("annotation-row").getByTestId("annotation-score").innerText(), "0.4");
  assert.equal(await page.getByTestId("annotation-row").getByTestId("annotation-label").count(), 0);
  const edited = (await api<AnnotationList>(`/sessions/${sessionId}/annotations`)).annotations;
  assert.deepEqual([edited.length, edited[0]!.score, edited[0]!.label, edited[0]!.id], [1, 0.4, null, annotations[0]!.id]);

  // Delete, with a confirmation step.
  await page.getByTestId("annotation-delete").click();
  await page.getByTestId("annotation-confirm-delete").click();
  await page.getByTestId("annotation-row").waitFor({ state: "detached" });
  assert.equal((await api<AnnotationList>(`/sessions/${sessionId}/annotations`)).annotations.length, 0);
});

test("thumbs up on a turn is saved as the trace's thumbs annotation and survives a reload", async () => {
  const sessionId = demo.sessions[2]!.sessionId;
  await openSession(sessionId);
  const turn = page.locator("[data-testid=turn]").first();
  const traceId = (await turn.getAttribute("data-trace-id"))!;
  const up = turn.getByTestId("thumbs-up");
  await up.click();
  await page.locator(`[data-trace-id="${traceId}"] [data-testid=thumbs][data-value=up]`).waitFor();

  const thumbs = async () => (await api<AnnotationList>(`/traces/${traceId}/annotations`)).annotations.filter((a) => a.name === "thumbs");
  await waitFor(async () => (await thumbs()).length === 1);
  let saved = await thumbs();
  assert.equal(saved.length, 1);
  assert.deepEqual([saved[0]!.label, saved[0]!.score, saved[0]!.annotatorKind], ["up", 1, "HUMAN"]);
  // It is part of the conversation the server returns.
  const conversation = await api<Conversation>(`/sessions/${sessionId}/conversation`);
  assert.equal(conversation.turns.find((t) => t.traceId === traceId)!.annotations.find((a) => a.name === "thumbs")?.label, "up");

  await page.reload();
  const again = page.locator(`[data-testid=turn][data-trace-id="${traceId}"]`);
  await again.waitFor();
  assert.equal(await again.getByTestId("thumbs-up").getAttribute("aria-pressed"), "true");

  // Thumbs down replaces it; clicking it again removes it.
  await again.getByTestId("thumbs-down").click();
  await page.locator(`[data-trace-id="${traceId}"] [data-testid=thumbs][data-value=down]`).waitFor();
  await waitFor(async () => (await thumbs())[0]?.label === "down");
  saved = await thumbs();
  assert.deepEqual([saved.length, saved[0]!.score], [1, 0]);
  await again.getByTestId("thumbs-down").click();
  await waitFor(async () => (await thumbs()).length === 0);
  await page.locator(`[data-trace-id="${traceId}"] [data-testid=thumbs][data-value=""]`).waitFor();
  assert.equal(await again.getByTestId("thumbs-down").getAttribute("aria-pressed"), "false");
});

test("Download JSON gives the whole session", async () => {
  const { sessionId } = longest();
  const session = await api<SessionDetail>(`/sessions/${sessionId}`);
  await openSession(sessionId);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-json").click()]);
  assert.match(download.suggestedFilename(), /\.json$/);
  const body = JSON.parse(await readFile((await download.path())!, "utf8")) as { session: SessionDetail; traces: TraceDetail[] };
  assert.equal(body.session.sessionId, sessionId);
  assert.deepEqual(body.traces.map((t) => t.traceId), session.traces.map((t) => t.traceId));
  assert.ok(body.traces.every((t) => t.spans.length > 0), "with each trace's spans");
});

test("Copy link puts the page's address on the clipboard", async () => {
  const { sessionId } = longest();
  await openSession(sessionId);
  await page.getByTestId("copy-link").click();
  await page.getByTestId("copy-link").filter({ hasText: "Copied" }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, page.url());
  assert.ok(copied.endsWith(`/projects/demo/sessions/${sessionId}`));
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting for a condition");
    await new Promise((r) => setTimeout(r, 50));
  }
}
