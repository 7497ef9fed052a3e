// Installing the setup's packages with the project's own package manager. Where each package
// comes from can be overridden (a folder of packages, for offline installs and tests).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InitError, type PackageManager } from "./detect.ts";
import { SDK_PACKAGE } from "./setup.ts";

/** This checkout's SDK: @threadline/sdk is not on the npm registry, so it is linked from here. */
const CHECKOUT_SDK = fileURLToPath(new URL("../../../sdk/", import.meta.url));

/**
 * The install specs: `name@file:<folder>/<name>` from `packagesFrom` (a node_modules, or any folder
 * of package folders), else the registry name; the SDK from this checkout when it is not there.
 */
export function packageSpecs(names: string[], packagesFrom: string | undefined): string[] {
  return names.map((name) => {
    if (packagesFrom !== undefined) {
      const folder = join(packagesFrom, name);
      if (!existsSync(join(folder, "package.json"))) throw new InitError(`${name} is not in ${packagesFrom} (--packages-from): expected ${folder}/package.json`);
      return `${name}@file:${folder}`;
    }
    if (name === SDK_PACKAGE && isSdk(CHECKOUT_SDK)) return `${name}@file:${CHECKOUT_SDK.replace(/\/$/, "")}`;
    return name;
  });
}

function isSdk(folder: string): boolean {
  try {
    return JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).name === SDK_PACKAGE;
  } catch {
    return false;
  }
}

export function installCommand(manager: PackageManager, specs: string[]): string[] {
  return [manager, manager === "npm" ? "install" : "add", ...specs];
}

/** Runs the install in the project, its output on stderr (stdout is init's report). */
export function install(dir: string, command: string[]): Promise<void> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: dir, stdio: ["ignore", process.stderr, process.stderr] });
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(new InitError(error.code === "ENOENT" ? `${program} is not on PATH; install it, or run init with --no-install and then: ${command.join(" ")}` : error.message)),
    );
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new InitError(`${command.join(" ")} failed (${signal ?? `exit code ${code}`}); nothing else was changed`));
    });
  });
}
