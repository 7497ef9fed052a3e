// Refreshes the screenshots in docs/: a fresh server, the demo loaded, each page captured.
// Run with `npm run screenshots` after changing the UI.
import { getJson, startTestServer } from "../packages/server/test/support.ts";
import { runDemo } from "../examples/demo/run.ts";
import { launchBrowser } from "../packages/web/test/browser.ts";

const server = await startTestServer();
const browser = await launchBrowser();
try {
  const demo = await runDemo({ endpoint: server.url, projectName: "demo", seed: 42 });
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
} finally {
  await browser.close();
  await server.close();
}
