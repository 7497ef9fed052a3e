// `threadline init`: sets up a Node app to send its LLM calls, with their sessions and users, to
// Threadline. It detects the app's LLM clients, installs @threadline/sdk and the instrumentations,
// and prints the setup, or writes it with --write.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { applySetup } from "./init/apply.ts";
import { detectProject, InitError, type Project } from "./init/detect.ts";
import { install, installCommand, packageSpecs } from "./init/install.ts";
import { planSetup, type Setup } from "./init/setup.ts";

export const INIT_USAGE = `Usage: threadline init [--write] [--dir <path>] [--endpoint <url>] [--project <name>]

Sets up a Node app to send its LLM calls to Threadline, each filed under its conversation and
user. Reads package.json for the LLM clients (openai, @anthropic-ai/sdk, LangChain, the Vercel
AI SDK), installs @threadline/sdk and the matching OpenInference instrumentations with the
project's package manager, and prints the setup file and how to load it first.

Options:
  --write                 create the setup file and load it (the start script's --import, or an
                          import at the top of the entry file); running it again changes nothing
  --dir <path>            the app's folder (default: the current one)
  --endpoint <url>        the Threadline server (default THREADLINE_ENDPOINT, else http://localhost:4318)
  --project <name>        the Threadline project (default: the package name)
  --no-install            install nothing; print the install command instead
  --packages-from <dir>   install each package from <dir>/<name> (a node_modules, say) instead of
                          the registry (or THREADLINE_INIT_PACKAGES_FROM); for offline installs
`;

export async function initCommand(args: string[], env: NodeJS.ProcessEnv, fail: (message: string) => never): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        write: { type: "boolean" }, dir: { type: "string" }, endpoint: { type: "string" }, project: { type: "string" },
        "no-install": { type: "boolean" }, "packages-from": { type: "string" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) return void process.stdout.write(INIT_USAGE);
  if (values.endpoint !== undefined && !/^https?:\/\/[^/]/.test(values.endpoint)) fail(`--endpoint must be an http(s) URL, got "${values.endpoint}"`);
  if (values.project !== undefined && values.project.trim() === "") fail("--project must not be empty");
  const dir = resolve(values.dir ?? ".");
  const packagesFrom = values["packages-from"] ?? env.THREADLINE_INIT_PACKAGES_FROM;
  const endpoint = values.endpoint?.replace(/\/+$/, "");
  try {
    const project = detectProject(dir);
    const setup = planSetup(project, { project: values.project?.trim(), endpoint });
    const out: string[] = [`Threadline init: ${dir}`, `  found: ${describe(project)}`];
    const missing = setup.packages.filter((name) => !(name in project.dependencies));
    if (missing.length === 0) out.push(`  packages: ${setup.packages.join(", ")} already in package.json`);
    else {
      const command = installCommand(project.packageManager, packageSpecs(missing, packagesFrom ? resolve(packagesFrom) : undefined));
      if (values["no-install"]) out.push(`  packages: not installed (--no-install); run: ${command.join(" ")}`);
      else {
        process.stderr.write(`threadline init: ${command.join(" ")}\n`);
        await install(dir, command);
        out.push(`  installed: ${missing.join(", ")}`);
      }
    }
    out.push("");
    if (values.write) out.push("Wrote:", ...applySetup(dir, setup).map((line) => `  ${line}`));
    else out.push(...printedSetup(setup));
    out.push("", ...nextSteps(setup, Boolean(values.write), endpoint));
    process.stdout.write(out.join("\n") + "\n");
  } catch (error) {
    if (!(error instanceof InitError)) throw error;
    process.stderr.write(`threadline init: ${error.message}\n`);
    process.exitCode = 1;
  }
}

function describe(project: Project): string {
  const clients = project.clients.map((c) => `${c.label} (${c.library}${c.library === "ai" && project.aiSdkMajor ? ` ${project.aiSdkMajor}` : ""})`);
  const language = `${project.esm ? "ES modules" : "CommonJS"}, ${project.typescript ? "TypeScript" : "JavaScript"}`;
  const entry = !project.entry ? "no entry file found" : project.entry.kind === "start-script" ? `starts with "${project.entry.script}"` : `entry ${project.entry.file} (${project.entry.from})`;
  return [clients.join(", ") || "no LLM client", language, project.packageManager, entry].join("; ");
}

function printedSetup(setup: Setup): string[] {
  const indent = (text: string) => text.trimEnd().split("\n").map((line) => `    ${line}`);
  const steps = [`1. Create ${setup.file}:`, "", ...indent(setup.contents), ""];
  if (!setup.wiring) steps.push(`2. Load it before the app's own code (init could not: ${setup.unwired}).`);
  else if (setup.wiring.kind === "start-script") steps.push(`2. Load it first: in package.json, "start": ${JSON.stringify(setup.wiring.script)}`);
  else steps.push(`2. Load it first: put this line at the top of ${setup.wiring.entry}:`, "", `    ${setup.wiring.line}`);
  if (setup.wiring) steps.push("", "(threadline init --write does 1 and 2.)");
  return steps;
}

function nextSteps(setup: Setup, written: boolean, endpoint: string | undefined): string[] {
  const base = endpoint ?? "http://localhost:4318";
  return [
    `${written ? "Then put" : "3. Put"} the session and the user on each chat turn, where your code knows them (init cannot):`,
    "",
    `    ${setup.usage.importLine}`,
    "",
    `    ${setup.usage.example}`,
    "",
    "Every span inside, the LLM calls' included, carries session.id and user.id. endSession(id) from the same",
    "package, when a conversation ends, runs its evaluations at once.",
    ...setup.notes.map((note) => `Note: ${note}`),
    "",
    `Check, once the app has handled a turn: curl -s ${base}/api/v1/projects/${encodeURIComponent(setup.projectName)}/sessions`,
    "(with -H \"authorization: Bearer <api key>\" when the server requires keys). For coding agents: docs/agents.md.",
  ];
}
