// `threadline init` on the shapes of project it meets: what it detects, the setup it writes and
// where, and the cases where it refuses rather than guess. (cli-init.test.ts runs one app end to end.)
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { KNOWN_INSTRUMENTATIONS } from "@threadline/sdk";
import { applySetup } from "../src/init/apply.ts";
import { detectProject, InitError, LLM_LIBRARIES, startedFile } from "../src/init/detect.ts";
import { installCommand, packageSpecs } from "../src/init/install.ts";
import { planSetup } from "../src/init/setup.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;
const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A project folder with these files (package.json given as an object). */
function project(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), "threadline-init-"));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2) + "\n");
  }
  return dir;
}
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

test("the instrumentations are the ones the SDK's autoInstrument loads, for the same libraries", () => {
  for (const { libraries, instrumentation } of LLM_LIBRARIES) {
    if (!instrumentation) continue;
    const known = KNOWN_INSTRUMENTATIONS.find((k) => k.packageName === instrumentation.packageName);
    assert.equal(known?.exportName, instrumentation.exportName, instrumentation.packageName);
    assert.ok(known.target?.startsWith(libraries[0]), `${known.target} is patched for ${libraries[0]}`);
  }
});

test("the file a start script runs, past env assignments, flags and earlier commands", () => {
  assert.equal(startedFile("node --env-file=.env dist/server.js")?.file, "dist/server.js");
  assert.equal(startedFile("npm run build && NODE_ENV=production node -r dotenv/config ./server.mjs")?.file, "server.mjs");
  assert.equal(startedFile("tsx src/index.ts")?.runner, "tsx");
  assert.equal(startedFile("next start"), undefined);
  assert.equal(startedFile("node ."), undefined, "a folder is not a file to preload before");
  const script = "npm run build && node --enable-source-maps dist/app.js";
  const { flagsAt } = startedFile(script)!;
  assert.equal(`${script.slice(0, flagsAt)} --import ./threadline.mjs${script.slice(flagsAt)}`, "npm run build && node --import ./threadline.mjs --enable-source-maps dist/app.js");
});

test("clients, module system, language and package manager are read from the project", () => {
  const dir = project({
    "package.json": { name: "@acme/support-bot", type: "module", dependencies: { "@anthropic-ai/sdk": "^0.60.0", "@langchain/langgraph": "^1.0.0" }, devDependencies: { typescript: "^5" }, main: "src/index.ts" },
    "src/index.ts": `import { answer } from "./answer.js";\nawait answer();\n`,
    "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
  });
  const found = detectProject(dir);
  assert.deepEqual(found.clients.map((c) => c.label), ["Anthropic", "LangChain"]);
  assert.equal(found.name, "support-bot");
  assert.equal(found.esm, true);
  assert.equal(found.typescript, true);
  assert.equal(found.packageManager, "pnpm");
  const setup = planSetup(found, {});
  assert.deepEqual(setup.packages, ["@threadline/sdk", "@arizeai/openinference-instrumentation-anthropic", "@arizeai/openinference-instrumentation-langchain"]);
  assert.deepEqual(installCommand(found.packageManager, ["a", "b"]), ["pnpm", "add", "a", "b"]);
  // A TypeScript entry that imports ".js": the setup file sits beside it, imported the same way.
  assert.equal(setup.file, "src/threadline.ts");
  assert.deepEqual(setup.wiring, { kind: "entry-import", entry: "src/index.ts", line: `import "./threadline.js";`, description: "src/index.ts imports it first" });
  assert.match(setup.contents, /import Anthropic from "@anthropic-ai\/sdk";/);
  assert.match(setup.contents, /import \* as CallbackManagerModule from "@langchain\/core\/callbacks\/manager";/);
  assert.match(setup.contents, /langChainInstrumentation\.manuallyInstrument\(CallbackManagerModule\);/);
  assert.match(setup.contents, /projectName: "support-bot",/);
});

test("a CommonJS entry gets a require after its \"use strict\", once", () => {
  const dir = project({ "package.json": { name: "bot", main: "index.js", dependencies: { openai: "^6" } }, "index.js": `"use strict";\nconst OpenAI = require("openai");\n` });
  const setup = planSetup(detectProject(dir), { endpoint: "https://threadline.example.com" });
  assert.equal(setup.file, "threadline.cjs");
  assert.match(setup.contents, /const \{ OpenAIInstrumentation \} = require\("@arizeai\/openinference-instrumentation-openai"\);/);
  assert.match(setup.contents, /endpoint: "https:\/\/threadline\.example\.com",/);
  assert.equal(setup.usage.importLine, `const { withAttributes } = require("@threadline/sdk");`);
  assert.deepEqual(applySetup(dir, setup), ["threadline.cjs: created", "index.js: added `require(\"./threadline.cjs\");` at the top"]);
  assert.equal(read(dir, "index.js"), `"use strict";\nrequire("./threadline.cjs");\nconst OpenAI = require("openai");\n`);
  assert.deepEqual(applySetup(dir, planSetup(detectProject(dir), { endpoint: "https://threadline.example.com" })), ["threadline.cjs: unchanged", "index.js: unchanged (it already loads threadline.cjs)"]);
  assert.equal(read(dir, "index.js"), `"use strict";\nrequire("./threadline.cjs");\nconst OpenAI = require("openai");\n`);
});

test("the Vercel AI SDK: 7 gets @ai-sdk/otel's telemetry, 6 a note about experimental_telemetry", () => {
  const seven = planSetup(detectProject(project({ "package.json": { name: "a", type: "module", scripts: { start: "node server.mjs" }, dependencies: { ai: "^7.0.1" } } })), {});
  assert.deepEqual(seven.packages, ["@threadline/sdk", "@ai-sdk/otel"]);
  assert.match(seven.contents, /registerTelemetry\(new OpenTelemetry\(\)\);/);
  const six = planSetup(detectProject(project({ "package.json": { name: "a", type: "module", scripts: { start: "node server.mjs" }, dependencies: { ai: "6.0.0" } } })), {});
  assert.deepEqual(six.packages, ["@threadline/sdk"]);
  assert.ok(six.notes.some((note) => note.includes("experimental_telemetry: { isEnabled: true }")));
});

test("init refuses, and writes nothing, when it cannot tell where things go", () => {
  const nowhere = project({ "package.json": { name: "lib", dependencies: { openai: "^6" } }, "README.md": "# lib\n" });
  assert.throws(() => applySetup(nowhere, planSetup(detectProject(nowhere), {})), (error: Error) => error instanceof InitError && /cannot tell where the app starts/.test(error.message));
  assert.deepEqual(readFileSync(join(nowhere, "package.json"), "utf8"), JSON.stringify({ name: "lib", dependencies: { openai: "^6" } }, null, 2) + "\n");

  const taken = project({ "package.json": { name: "app", type: "module", scripts: { start: "node app.mjs" } }, "threadline.mjs": "export const thread = 1;\n" });
  assert.throws(() => applySetup(taken, planSetup(detectProject(taken), {})), /threadline\.mjs exists and is not a Threadline setup/);
  assert.equal(JSON.parse(read(taken, "package.json")).scripts.start, "node app.mjs");

  const registered = project({ "package.json": { name: "app", type: "module", main: "app.mjs" }, "app.mjs": `import { register } from "@threadline/sdk";\nregister();\n` });
  assert.throws(() => applySetup(registered, planSetup(detectProject(registered), {})), /already calls register\(\)/);

  // Through the command: a clear message and exit code 1, not a stack trace.
  const cli = spawnSync(process.execPath, [CLI, "init", "--write", "--no-install", "--dir", nowhere], { encoding: "utf8" });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /^threadline init: cannot tell where the app starts/);
  const none = spawnSync(process.execPath, [CLI, "init", "--dir", join(nowhere, "missing")], { encoding: "utf8" });
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no package\.json in .*missing/);
  const bad = spawnSync(process.execPath, [CLI, "init", "--endpoint", "localhost:4318"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--endpoint must be an http\(s\) URL/);
});

test("without --write, the setup is printed and nothing but the install changes", () => {
  const dir = project({ "package.json": { name: "desk", type: "module", scripts: { start: "node app.mjs" }, dependencies: { openai: "^6" } }, "app.mjs": "" });
  const out = execFileSync(process.execPath, [CLI, "init", "--no-install", "--dir", dir], { encoding: "utf8" });
  assert.match(out, /run: npm install @threadline\/sdk@file:\S+ @arizeai\/openinference-instrumentation-openai/);
  assert.match(out, /1\. Create threadline\.mjs:/);
  assert.match(out, /"start": "node --import \.\/threadline\.mjs app\.mjs"/);
  assert.match(out, /curl -s http:\/\/localhost:4318\/api\/v1\/projects\/desk\/sessions/);
  assert.equal(JSON.parse(read(dir, "package.json")).scripts.start, "node app.mjs");
  assert.throws(() => packageSpecs(["@threadline/sdk"], dir), /@threadline\/sdk is not in/);
  const wired = project({ "package.json": { name: "desk", type: "module", scripts: { start: "node --import ./threadline.mjs app.mjs" } } });
  assert.deepEqual(planSetup(detectProject(wired), {}).wiring, { kind: "start-script", script: "node --import ./threadline.mjs app.mjs", description: "package.json's start script loads it with --import" }, "not a second --import");
});
