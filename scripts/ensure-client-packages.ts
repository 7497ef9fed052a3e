// Test setup: client libraries that need other OpenTelemetry versions than the workspace's
// (@opentelemetry/api 1.9 with the 2.x SDK) live in package folders of their own under
// examples/clients/<name>/, each with its own lockfile. Install each one whose modules are
// missing or older than its lockfile, so `npm install && npm test` works from a fresh clone.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const CLIENTS = new URL("../examples/clients/", import.meta.url).pathname;

for (const entry of readdirSync(CLIENTS, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const folder = join(CLIENTS, entry.name);
  const lock = join(folder, "package-lock.json");
  if (!existsSync(join(folder, "package.json"))) continue;
  const installed = join(folder, "node_modules", ".package-lock.json");
  if (existsSync(installed) && existsSync(lock) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) continue;
  console.log(`Installing the client test package examples/clients/${entry.name}…`);
  execFileSync("npm", [existsSync(lock) ? "ci" : "install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: folder, stdio: "inherit" });
}
