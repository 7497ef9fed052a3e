// `threadline init --write`: writes the setup file and wires it in, never over the user's code.
// Running it again changes nothing; where it cannot tell what is safe, it refuses and says why.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InitError } from "./detect.ts";
import { loadsSetup, SDK_PACKAGE, type Setup } from "./setup.ts";

/** What was done, one line per file, for the report. */
export function applySetup(dir: string, setup: Setup): string[] {
  const wiring = setup.wiring;
  if (!wiring) throw new InitError(`${setup.unwired}. Nothing was written; the setup is printed below instead.`);
  // Every check before any write, so a refusal leaves the project as it was.
  const setupPath = join(dir, setup.file);
  const existing = existsSync(setupPath) ? readFileSync(setupPath, "utf8") : undefined;
  if (existing !== undefined && !existing.includes(SDK_PACKAGE)) {
    throw new InitError(`${setup.file} exists and is not a Threadline setup (it does not use ${SDK_PACKAGE}); rename it and run init again`);
  }
  const report: string[] = [];
  const setupFileChange = existing === undefined ? "created" : existing === setup.contents ? "unchanged" : "kept as it is (it differs from what init writes: yours wins)";

  if (wiring.kind === "start-script") {
    const packageJsonPath = join(dir, "package.json");
    const text = readFileSync(packageJsonPath, "utf8");
    const packageJson = JSON.parse(text) as { scripts: Record<string, string> };
    if (loadsSetup(packageJson.scripts.start, setup.file)) report.push(`package.json: unchanged (start already loads ${setup.file})`);
    else {
      packageJson.scripts.start = wiring.script;
      writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, indentOf(text)) + (text.endsWith("\n") ? "\n" : ""));
      report.push(`package.json: start is now "${wiring.script}"`);
    }
  } else {
    const entryPath = join(dir, wiring.entry);
    const source = readFileSync(entryPath, "utf8");
    if (loadsSetup(source, setup.file)) report.push(`${wiring.entry}: unchanged (it already loads ${setup.file})`);
    else if (/\bregister\s*\(/.test(source) && source.includes(SDK_PACKAGE)) {
      throw new InitError(`${wiring.entry} already calls register() from ${SDK_PACKAGE}; a second setup would trace every span twice`);
    } else {
      writeFileSync(entryPath, withFirstLine(source, wiring.line));
      report.push(`${wiring.entry}: added \`${wiring.line}\` at the top`);
    }
  }
  if (existing === undefined) writeFileSync(setupPath, setup.contents);
  report.unshift(`${setup.file}: ${setupFileChange}`);
  return report;
}

/** The line before the rest of the file: after a shebang, and after a "use strict" directive (which must stay first). */
function withFirstLine(source: string, line: string): string {
  const lines = source.split("\n");
  let at = 0;
  if (lines[0]?.startsWith("#!")) at = 1;
  if (/^\s*["']use strict["'];?\s*$/.test(lines[at] ?? "")) at++;
  lines.splice(at, 0, line);
  return lines.join("\n");
}

/** package.json's own indentation, so the one changed line is the whole diff. */
function indentOf(text: string): string | number {
  const indent = /^[{[]\s*\n([ \t]+)/.exec(text)?.[1];
  return indent ?? (text.includes("\n") ? 2 : 0);
}
