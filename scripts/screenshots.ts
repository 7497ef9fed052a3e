// Refreshes the screenshots in docs/: a fresh server, the demo loaded, each page captured.
// Run with `npm run screenshots` after changing the UI.
import { getJson, startTestServer } from "../packages/server/test/support.ts";
import { annotateDemo } from "../examples/demo/evaluate.ts";
import { runDemo } from "../examples/demo/run.ts";
import { launchBrowser } from "../packages/web/test/browser.ts";

// The built-in evaluators on, as `npm start` runs them: their results fill the evaluation pages.
const server = await startTestServer({ evaluators: ["user_frustration", "errors", "repetition", "unanswered"] });
const browser = await launchBrowser();
try {
  const demo = await runDemo({ endpoint: server.url, projectName: "demo", seed: 42 });
  await annotateDemo(server.url, "demo", demo.sessions.map((s) => s.sessionId));
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const shoot = async (path: string, file: string, ready: string) => {
    await page.goto(server.url + path);
    await page.getByTestId(ready).first().waitFor();
    await page.screenshot({ path: `docs/screenshots/${file}` });
    console.log(`docs/screenshots/${file}`);
  };
  await shoot("/projects/demo/sessions", "sessions.png", "session-row");
  const withTools = [...demo.sessions].sort((a, b) => b.turns - a.turns)[0];
  await shoot(`/projects/demo/sessions/${withTools.sessionId}`, "session.png", "message-user");
  const failed = demo.sessions.find((s) => s.failedTurns > 0)!;
  const { body } = await getJson<{ traces: Array<{ status: string }> }>(`${server.url}/api/v1/projects/demo/sessions/${failed.sessionId}`);
  console.log(`failed session has ${body.traces.length} turns`);
  await shoot(`/projects/demo/sessions/${failed.sessionId}`, "session-error.png", "turn-error");

  // Session page with annotations, a turn's trace in the side panel, and the trace page.
  const project = `${server.url}/api/v1/projects/demo`;
  const post = (path: string, body: object) =>
    fetch(`${project}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const { body: chat } = await getJson<{ turns: Array<{ traceId: string; messages: Array<{ toolCalls?: unknown[] }> }> }>(
    `${project}/sessions/${withTools.sessionId}/conversation`,
  );
  const toolTurn = chat.turns.find((t) => t.messages.some((m) => m.toolCalls?.length)) ?? chat.turns[0]!;
  await post(`/sessions/${withTools.sessionId}/annotations`, { name: "quality", score: 0.9, label: "resolved", explanation: "Clear itinerary; flights found with the tool." });
  await post(`/traces/${chat.turns[0]!.traceId}/annotations`, { name: "thumbs", label: "up", score: 1, annotatorKind: "HUMAN" });
  await post(`/traces/${toolTurn.traceId}/annotations`, { name: "correctness", score: 1, label: "correct", annotatorKind: "LLM" });
  await shoot(`/projects/demo/sessions/${withTools.sessionId}`, "session-annotations.png", "annotation-row");
  await shoot(`/projects/demo/sessions/${withTools.sessionId}?trace=${toolTurn.traceId}`, "session-trace.png", "waterfall-row");
  const { body: trace } = await getJson<{ spans: Array<{ spanId: string; spanKind: string | null }> }>(`${project}/traces/${toolTurn.traceId}`);
  const llm = trace.spans.filter((s) => s.spanKind === "LLM").at(-1);
  await shoot(`/projects/demo/traces/${toolTurn.traceId}${llm ? `?span=${llm.spanId}` : ""}`, "trace.png", "span-message");

  // Evaluations, users' label counts, and a review queue of the most frustrated sessions.
  await waitForEvaluations(`${project}/sessions?limit=500&annotation=user_frustration`, demo.sessions.length);
  await shoot("/projects/demo/evaluations", "evaluations.png", "evaluator-user_frustration");
  await shoot("/projects/demo/users", "users.png", "label-counts");
  const queue = (await (await post("/review-queues", { name: "Most frustrated this week", annotation: "user_frustration", sort: "annotation:user_frustration", order: "desc", limit: 10 })).json()) as { id: string };
  await shoot(`/projects/demo/review/${queue.id}`, "review.png", "turn-pointer");
} finally {
  await browser.close();
  await server.close();
}

async function waitForEvaluations(url: string, sessions: number) {
  for (let tries = 0; tries < 120; tries++) {
    const { body } = await getJson<{ sessions: unknown[] }>(url);
    if (body.sessions.length >= sessions) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the evaluators did not finish in 30 s");
}
