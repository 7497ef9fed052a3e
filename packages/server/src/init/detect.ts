// `threadline init`'s view of a Node project, read from its package.json and files: the LLM
// clients it uses, its module system and language, its package manager and where it starts.
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";

/**
 * An OpenInference instrumentation: its package, the class it exports, and the module the app's
 * setup file hands to its `manuallyInstrument` (ES modules are not hooked by `require` hooks).
 */
export type InstrumentationPackage = {
  packageName: string;
  exportName: string;
  patch: { module: string; binding: string; namespace: boolean };
};

/**
 * The LLM libraries init knows, by the package an app depends on. The instrumentations are the
 * ones @threadline/sdk's `autoInstrument` loads (KNOWN_INSTRUMENTATIONS; a test keeps them equal):
 * the server does not depend on the SDK, so the names are repeated here. The setup file imports
 * them itself rather than using `autoInstrument`, so they resolve from the app's node_modules
 * even when the SDK is linked from a checkout.
 */
export const LLM_LIBRARIES: ReadonlyArray<{ label: string; libraries: string[]; instrumentation?: InstrumentationPackage }> = [
  {
    label: "OpenAI",
    libraries: ["openai"],
    instrumentation: { packageName: "@arizeai/openinference-instrumentation-openai", exportName: "OpenAIInstrumentation", patch: { module: "openai", binding: "OpenAI", namespace: false } },
  },
  {
    label: "Anthropic",
    libraries: ["@anthropic-ai/sdk"],
    instrumentation: { packageName: "@arizeai/openinference-instrumentation-anthropic", exportName: "AnthropicInstrumentation", patch: { module: "@anthropic-ai/sdk", binding: "Anthropic", namespace: false } },
  },
  {
    label: "LangChain",
    libraries: ["@langchain/core", "langchain", "@langchain/langgraph"],
    instrumentation: {
      packageName: "@arizeai/openinference-instrumentation-langchain",
      exportName: "LangChainInstrumentation",
      patch: { module: "@langchain/core/callbacks/manager", binding: "CallbackManagerModule", namespace: true },
    },
  },
  // The AI SDK makes its own OpenTelemetry spans (docs/clients/vercel-ai.md): no instrumentation.
  { label: "Vercel AI SDK", libraries: ["ai"] },
];

export type DetectedClient = { label: string; library: string; instrumentation?: InstrumentationPackage };
export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";
/** What starts the app: `scripts.start` running a file with node (or tsx), or a file found another way. */
export type Entry =
  | { kind: "start-script"; script: string; runner: string; file: string; flagsAt: number }
  | { kind: "file"; file: string; from: "main" | "bin" | "a common name" };

export type Project = {
  dir: string;
  /** A project name for Threadline: the package name without its scope, else the folder's. */
  name: string;
  packageJson: Record<string, unknown>;
  /** Every dependency and devDependency, by name. */
  dependencies: Record<string, string>;
  esm: boolean;
  typescript: boolean;
  packageManager: PackageManager;
  clients: DetectedClient[];
  /** The AI SDK's major version (installed, else from the range), when the app uses it. */
  aiSdkMajor?: number;
  entry?: Entry;
};

export class InitError extends Error {}

const SCRIPT_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];
const COMMON_ENTRIES = ["index", "server", "app", "main"].flatMap((name) => [name, `src/${name}`]);

export function detectProject(dir: string): Project {
  const packageJsonPath = join(dir, "package.json");
  if (!existsSync(packageJsonPath)) {
    throw new InitError(`no package.json in ${dir}: threadline init sets up Node projects (for Python, see docs/agents.md)`);
  }
  let packageJson: Record<string, unknown>;
  try {
    packageJson = JSON.parse(readFileSync(packageJsonPath, "utf8"));
  } catch (error) {
    throw new InitError(`${packageJsonPath} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof packageJson !== "object" || packageJson === null || Array.isArray(packageJson)) throw new InitError(`${packageJsonPath} is not a JSON object`);
  const dependencies = { ...stringRecord(packageJson.devDependencies), ...stringRecord(packageJson.dependencies) };
  const clients: DetectedClient[] = [];
  for (const { label, libraries, instrumentation } of LLM_LIBRARIES) {
    const library = libraries.find((name) => name in dependencies);
    if (library) clients.push({ label, library, instrumentation });
  }
  const entry = findEntry(dir, packageJson);
  const typescript = "typescript" in dependencies || existsSync(join(dir, "tsconfig.json")) || /\.[mc]?ts$/.test(entry?.file ?? "");
  return {
    dir,
    name: projectName(packageJson.name, dir),
    packageJson,
    dependencies,
    esm: packageJson.type === "module",
    typescript,
    packageManager: packageManagerOf(dir, packageJson),
    clients,
    aiSdkMajor: "ai" in dependencies ? aiSdkMajor(dir, dependencies.ai) : undefined,
    entry,
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string"));
}

function projectName(name: unknown, dir: string): string {
  const fromPackage = typeof name === "string" ? name.replace(/^@[^/]+\//, "").trim() : "";
  return fromPackage || basename(dir);
}

function packageManagerOf(dir: string, packageJson: Record<string, unknown>): PackageManager {
  if (existsSync(join(dir, "pnpm-lock.yaml"))) return "pnpm";
  if (existsSync(join(dir, "yarn.lock"))) return "yarn";
  if (existsSync(join(dir, "bun.lock")) || existsSync(join(dir, "bun.lockb"))) return "bun";
  if (existsSync(join(dir, "package-lock.json"))) return "npm";
  // Corepack's field ("pnpm@9.1.0") when there is no lockfile yet.
  const declared = typeof packageJson.packageManager === "string" ? packageJson.packageManager.split("@")[0] : "";
  return declared === "pnpm" || declared === "yarn" || declared === "bun" ? declared : "npm";
}

function aiSdkMajor(dir: string, range: string): number | undefined {
  let version = range;
  try {
    version = JSON.parse(readFileSync(join(dir, "node_modules", "ai", "package.json"), "utf8")).version ?? range;
  } catch {
    // Not installed yet: the range in package.json tells.
  }
  const major = /^\D*(\d+)/.exec(version)?.[1];
  return major === undefined ? undefined : Number(major);
}

function findEntry(dir: string, packageJson: Record<string, unknown>): Entry | undefined {
  const scripts = stringRecord(packageJson.scripts);
  const started = scripts.start === undefined ? undefined : startedFile(scripts.start);
  if (started) return { kind: "start-script", script: scripts.start, ...started };
  const isFile = (file: unknown): file is string => typeof file === "string" && SCRIPT_EXTENSIONS.includes(extname(file)) && existsSync(join(dir, file));
  if (isFile(packageJson.main)) return { kind: "file", file: packageJson.main, from: "main" };
  const bin = typeof packageJson.bin === "string" ? packageJson.bin : Object.values(stringRecord(packageJson.bin))[0];
  if (isFile(bin)) return { kind: "file", file: bin, from: "bin" };
  for (const name of COMMON_ENTRIES) {
    const file = SCRIPT_EXTENSIONS.map((extension) => name + extension).find(isFile);
    if (file) return { kind: "file", file, from: "a common name" };
  }
  return undefined;
}

// Node's options that take a value as the next word, so the file is not mistaken for one.
const OPTIONS_WITH_VALUE = new Set(["-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "--env-file-if-exists", "-C", "--conditions", "--title"]);

/**
 * The runner and file of the first `node <file>` or `tsx <file>` command in a start script
 * ("node --env-file=.env dist/server.js", "npm run build && node app.mjs"), and where a flag for
 * the runner goes (just after its name). A small reader by hand: shell parsing libraries do far
 * more than finding two words, and quoted paths are rare in start scripts.
 */
export function startedFile(script: string): { runner: string; file: string; flagsAt: number } | undefined {
  for (const command of script.matchAll(/[^;&|]+/g)) {
    const words = [...command[0].matchAll(/\S+/g)];
    let at = 0;
    while (at < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at][0])) at++; // FOO=bar node …
    const runner = words[at]?.[0];
    if (runner !== "node" && runner !== "tsx") continue;
    for (let i = at + 1; i < words.length; i++) {
      const word = words[i][0];
      if (OPTIONS_WITH_VALUE.has(word)) i++;
      else if (!word.startsWith("-")) {
        if (!SCRIPT_EXTENSIONS.includes(extname(word))) return undefined;
        return { runner, file: word.replace(/^\.\//, ""), flagsAt: command.index + words[at].index + runner.length };
      }
    }
  }
  return undefined;
}
