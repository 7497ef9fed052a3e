// What `threadline init` sets up for a detected project: the packages, the setup file that calls
// register() (its name, language and text), how the app loads it first, and the one line the
// app's own code needs (the session and the user are only known there).
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import type { InstrumentationPackage, Project } from "./detect.ts";

export const SDK_PACKAGE = "@threadline/sdk";
const AI_SDK_OTEL_PACKAGE = "@ai-sdk/otel";

export type InitOptions = { project?: string; endpoint?: string };

/** How the app loads the setup file before its own code. */
export type Wiring =
  | { kind: "start-script"; script: string; description: string }
  | { kind: "entry-import"; entry: string; line: string; description: string };

export type Setup = {
  projectName: string;
  /** Every package the setup needs; those already in package.json are not installed again. */
  packages: string[];
  /** The setup file, relative to the project folder. */
  file: string;
  contents: string;
  /** Undefined when init cannot tell where the app starts; `unwired` says why. */
  wiring?: Wiring;
  unwired?: string;
  /** The import of withAttributes and the wrap of one chat turn, in the app's module system. */
  usage: { importLine: string; example: string };
  notes: string[];
};

type Flavour = "esm" | "cjs";

export function planSetup(project: Project, options: InitOptions): Setup {
  const projectName = options.project ?? project.name;
  const instrumentations = project.clients.flatMap((client) => (client.instrumentation ? [client.instrumentation] : []));
  const aiSdk7 = project.aiSdkMajor !== undefined && project.aiSdkMajor >= 7;
  const packages = [SDK_PACKAGE, ...instrumentations.map((i) => i.packageName), ...(aiSdk7 ? [AI_SDK_OTEL_PACKAGE] : [])];
  const notes: string[] = [];
  if (project.clients.length === 0) notes.push("No LLM client found in package.json (looked for openai, @anthropic-ai/sdk, @langchain/core, langchain, @langchain/langgraph, ai): only the SDK is set up.");
  if (project.aiSdkMajor !== undefined && !aiSdk7) notes.push("Vercel AI SDK 6 and older: add `experimental_telemetry: { isEnabled: true }` to each generateText / streamText call, or it makes no spans.");
  if (project.entry?.kind === "start-script") notes.push("Other scripts that start the app (dev, ...) need the same --import flag as start.");

  const { file, flavour, wiring, unwired } = placement(project);
  const contents = setupFile({ flavour, projectName, endpoint: options.endpoint, instrumentations, aiSdk7, loadedBy: wiring?.description });
  const cjsUsage = flavour === "cjs";
  return {
    projectName,
    packages,
    file,
    contents,
    wiring,
    unwired,
    usage: {
      importLine: cjsUsage ? `const { withAttributes } = require("${SDK_PACKAGE}");` : `import { withAttributes } from "${SDK_PACKAGE}";`,
      example: "const reply = await withAttributes({ sessionId: conversation.id, userId: user.id }, () => handleTurn(message));",
    },
    notes,
  };
}

/** The setup file's name and language, and how it is loaded, from what starts the app. */
function placement(project: Project): { file: string; flavour: Flavour; wiring?: Wiring; unwired?: string } {
  const entry = project.entry;
  const tsFile = project.esm ? "threadline.ts" : "threadline.mts";
  if (entry?.kind === "start-script") {
    // `node --import` loads an ES module before the app, whatever the app's own module system.
    const file = /\.[mc]?ts$/.test(entry.file) ? tsFile : "threadline.mjs";
    const script = loadsSetup(entry.script, file) ? entry.script : `${entry.script.slice(0, entry.flagsAt)} --import ./${file}${entry.script.slice(entry.flagsAt)}`;
    return { file, flavour: "esm", wiring: { kind: "start-script", script, description: `package.json's start script loads it with --import` } };
  }
  const fallbackFile = project.typescript ? tsFile : "threadline.mjs";
  if (!entry) {
    return {
      file: fallbackFile,
      flavour: "esm",
      unwired: "cannot tell where the app starts: no start script that runs a file with node or tsx, no main or bin file, no index, server, app or main file (in the folder or src/)",
    };
  }
  const extension = extname(entry.file);
  const folder = dirname(entry.file) === "." ? "" : `${dirname(entry.file)}/`;
  const esm = extension === ".mjs" || extension === ".mts" || (project.esm && (extension === ".js" || extension === ".ts"));
  const description = `${entry.file} imports it first`;
  if (extension === ".js" || extension === ".mjs" || extension === ".cjs") {
    if (esm) return { file: `${folder}threadline.mjs`, flavour: "esm", wiring: { kind: "entry-import", entry: entry.file, line: `import "./threadline.mjs";`, description } };
    return { file: `${folder}threadline.cjs`, flavour: "cjs", wiring: { kind: "entry-import", entry: entry.file, line: `require("./threadline.cjs");`, description } };
  }
  if (!esm) {
    return { file: fallbackFile, flavour: "esm", unwired: `${entry.file} is CommonJS TypeScript, and how it is compiled decides where an import lands: add --import ./${fallbackFile} to the command that starts the app` };
  }
  const file = extension === ".mts" ? "threadline.mts" : "threadline.ts";
  const specifier = `./${file.replace(/ts$/, importsTs(project, entry.file) ? "ts" : "js")}`;
  return { file: folder + file, flavour: "esm", wiring: { kind: "entry-import", entry: entry.file, line: `import "${specifier}";`, description } };
}

/** Whether a script or a source file already refers to the setup file (by name, any extension). */
export function loadsSetup(text: string, file: string): boolean {
  const stem = file.split("/").pop()!.replace(/\.[mc]?[jt]s$/, "");
  return new RegExp(`\\./${stem}\\.[mc]?[jt]s\\b`).test(text);
}

/** Whether the project imports TypeScript files by their own extension (node's type stripping, or tsc's rewrite). */
function importsTs(project: Project, entry: string): boolean {
  const tsconfig = join(project.dir, "tsconfig.json");
  if (existsSync(tsconfig) && /"(allowImportingTsExtensions|rewriteRelativeImportExtensions)"\s*:\s*true/.test(readFileSync(tsconfig, "utf8"))) return true;
  return /from\s+["']\.{1,2}\/[^"']+\.[mc]?ts["']/.test(readFileSync(join(project.dir, entry), "utf8"));
}

type FileOptions = {
  flavour: Flavour;
  projectName: string;
  endpoint?: string;
  instrumentations: InstrumentationPackage[];
  aiSdk7: boolean;
  loadedBy?: string;
};

/** The text of the setup file: register() with the instrumentations of the libraries found. */
export function setupFile({ flavour, projectName, endpoint, instrumentations, aiSdk7, loadedBy }: FileOptions): string {
  const variable = (i: InstrumentationPackage) => i.exportName[0].toLowerCase() + i.exportName.slice(1);
  const imports =
    flavour === "esm"
      ? [
          `import { register } from "${SDK_PACKAGE}";`,
          ...instrumentations.flatMap((i) => [
            i.patch.namespace ? `import * as ${i.patch.binding} from "${i.patch.module}";` : `import ${i.patch.binding} from "${i.patch.module}";`,
            `import { ${i.exportName} } from "${i.packageName}";`,
          ]),
          ...(aiSdk7 ? [`import { registerTelemetry } from "ai";`, `import { OpenTelemetry } from "${AI_SDK_OTEL_PACKAGE}";`] : []),
        ]
      : [
          `const { register } = require("${SDK_PACKAGE}");`,
          ...instrumentations.map((i) => `const { ${i.exportName} } = require("${i.packageName}");`),
          ...(aiSdk7 ? [`const { registerTelemetry } = require("ai");`, `const { OpenTelemetry } = require("${AI_SDK_OTEL_PACKAGE}");`] : []),
        ];
  const lines = [
    `// Sends this app's traces to Threadline. Written by \`threadline init\`; ${loadedBy ?? "load it before the app's own code"}.`,
    "// withAttributes({ sessionId, userId }, fn) files the spans of a chat turn under its conversation",
    "// and user. Off loopback, set THREADLINE_API_KEY to an ingest key (threadline keys create).",
    ...imports,
    "",
    ...instrumentations.map((i) => `const ${variable(i)} = new ${i.exportName}();`),
    "const threadline = register({",
    `  projectName: ${JSON.stringify(projectName)},`,
    endpoint === undefined ? "  // endpoint: THREADLINE_ENDPOINT, else http://localhost:4318" : `  endpoint: ${JSON.stringify(endpoint)},`,
    `  instrumentations: [${instrumentations.map(variable).join(", ")}],`,
    "});",
    ...(flavour === "esm" && instrumentations.length > 0
      ? ["// ES modules are not hooked when imported: each library is patched here, from this app's node_modules.", ...instrumentations.map((i) => `${variable(i)}.manuallyInstrument(${i.patch.binding});`)]
      : []),
    ...(aiSdk7 ? ["registerTelemetry(new OpenTelemetry()); // the Vercel AI SDK's own spans"] : []),
    "// Exports the last spans when the app ends by itself (a server's go out every few seconds).",
    `process.once("beforeExit", () => void threadline.shutdown());`,
    "",
  ];
  return lines.join("\n");
}
