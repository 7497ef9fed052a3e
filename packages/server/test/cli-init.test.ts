// `threadline init --write` on a small app that calls the real `openai` client: init installs the
// SDK and the instrumentation (offline, from this repo's node_modules), writes the setup file and
// wires it into the start script; the test then adds the one line init prints (wrapping a chat
// turn in withAttributes: only the app knows its conversation and user), runs `npm start` as a
// real child process against a local OpenAI stub, and reads the session back from a real server.
// Running init again must change nothing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, before, test } from "node:test";
import type { SessionDetail } from "../src/api/types.ts";
import { startOpenAIStub, type OpenAIStub } from "../../../examples/openai-stub/server.ts";
import { getJson, startTestServer, type TestServer } from "./support.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;
const REPO_NODE_MODULES = new URL("../../../node_modules", import.meta.url).pathname;
const TURNS: Array<[string, string]> = [
  ["Can I change my Lisbon flight to Friday?", "Yes: TP 1351 on Friday at 09:10 has seats, for a fee of 40 EUR."],
  ["Book it, and keep my aisle seat.", "Done: Friday 09:10, seat 14C, aisle. Your confirmation is on its way."],
];

// The app as its developer wrote it, before Threadline: no tracing code at all.
const APP = `// A travel desk's chat: each turn goes to the model with the conversation so far.
import OpenAI from "openai";

const client = new OpenAI({ maxRetries: 0 }); // OPENAI_BASE_URL and OPENAI_API_KEY from the environment
const conversation = { id: "trip-42", history: [] };
const user = { id: "ana@example.com" };

async function handleTurn(message) {
  conversation.history.push({ role: "user", content: message });
  const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: conversation.history });
  const answer = completion.choices[0].message.content;
  conversation.history.push({ role: "assistant", content: answer });
  return answer;
}

for (const message of ${JSON.stringify(TURNS.map(([question]) => question))}) {
  const reply = await handleTurn(message);
  console.log(reply);
}
`;

let server: TestServer;
let stub: OpenAIStub;
const app = mkdtempSync(join(tmpdir(), "threadline-init-app-"));
// npm and node as a developer's shell has them, with this Node first (the SDK is TypeScript,
// loaded by Node 24's type stripping); npm offline and quiet, so the test uses no network.
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
  npm_config_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

before(async () => {
  server = await startTestServer();
  let turn = 0;
  stub = await startOpenAIStub({ latencyMs: 1, respond: () => TURNS[turn++]?.[1] ?? null });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "travel-desk", version: "1.0.0", private: true, type: "module", scripts: { start: "node app.mjs" }, dependencies: { openai: `file:${REPO_NODE_MODULES}/openai` } }, null, 2) + "\n",
  );
  writeFileSync(join(app, "app.mjs"), APP);
});
after(async () => {
  await stub.close();
  await server.close();
  rmSync(app, { recursive: true, force: true });
});

/** A child process to its end, without blocking this process (the server answers its exports). */
function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: app, env: { ...env, ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const init = () =>
  run(process.execPath, [CLI, "init", "--write", "--dir", app, "--endpoint", server.url, "--project", "travel-desk", "--packages-from", REPO_NODE_MODULES]);
const snapshot = () =>
  Object.fromEntries(["package.json", "threadline.mjs", "app.mjs"].map((file) => [file, readFileSync(join(app, file), "utf8")]).concat([["node_modules", readdirSync(join(app, "node_modules"), { recursive: true }).sort().join("\n")]]));

test("init --write sets up an openai app: its turns arrive with the session and the user, and a second run changes nothing", async () => {
  const first = await init();
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /found: OpenAI \(openai\); ES modules, JavaScript; npm; starts with "node app\.mjs"/);
  assert.match(first.stdout, /installed: @threadline\/sdk, @arizeai\/openinference-instrumentation-openai/);
  assert.match(first.stdout, /threadline\.mjs: created/);
  const packageJson = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  assert.equal(packageJson.scripts.start, "node --import ./threadline.mjs app.mjs");
  assert.ok(packageJson.dependencies["@threadline/sdk"] && packageJson.dependencies["@arizeai/openinference-instrumentation-openai"], JSON.stringify(packageJson));
  assert.ok(existsSync(join(app, "node_modules/@arizeai/openinference-instrumentation-openai/package.json")));
  assert.equal(readFileSync(join(app, "app.mjs"), "utf8"), APP, "init leaves the app's own code alone");

  // What init printed for the app's code, applied as printed: the import, and the turn wrapped.
  const importLine = first.stdout.split("\n").map((line) => line.trim()).find((line) => line.startsWith("import { withAttributes }"));
  const wrapped = first.stdout.split("\n").map((line) => line.trim()).find((line) => line.includes("await withAttributes("));
  assert.equal(importLine, `import { withAttributes } from "@threadline/sdk";`);
  assert.equal(wrapped, "const reply = await withAttributes({ sessionId: conversation.id, userId: user.id }, () => handleTurn(message));");
  writeFileSync(join(app, "app.mjs"), `${importLine}\n${APP.replace("const reply = await handleTurn(message);", wrapped!)}`);

  const started = await run("npm", ["start", "--silent"], { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "sk-stub" });
  assert.equal(started.code, 0, started.stderr);
  assert.equal(started.stdout.trim(), TURNS.map(([, answer]) => answer).join("\n"));

  const { status, body: session } = await getJson<SessionDetail>(`${server.url}/api/v1/projects/travel-desk/sessions/trip-42`);
  assert.equal(status, 200, JSON.stringify(session));
  assert.deepEqual(session.userIds, ["ana@example.com"]);
  assert.equal(session.traceCount, 2, "one trace per turn");
  assert.equal(session.llmCount, 2, "the OpenAI instrumentation's LLM spans");
  assert.deepEqual(session.models, ["gpt-4o-mini"]);
  assert.ok(session.tokens.total > 0);
  assert.equal(session.firstInput, TURNS[0][0]);
  assert.equal(session.lastOutput, TURNS[1][1]);

  const before = snapshot();
  const second = await init();
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /already in package\.json/);
  assert.match(second.stdout, /threadline\.mjs: unchanged/);
  assert.match(second.stdout, /package\.json: unchanged/);
  assert.doesNotMatch(second.stderr, /npm install/, "nothing to install");
  assert.deepEqual(snapshot(), before);
});
