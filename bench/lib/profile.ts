// Summarizes a V8 .cpuprofile (node --cpu-prof): where the server's time went, by function
// (self time) and by area (server module, package, native, GC, idle).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { table } from "./stats.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith("(") ? functionName : `native: ${functionName || "(anonymous)"}`;
  const server = /packages\/server\/src\/([^/]+)\/([^/]+)/.exec(url);
  if (server) return `server/${server[1]}/${server[2]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return url.replace(/^node:internal\/(.*?)(\/.*)?$/, "node:$1");
  return url.replace(/^file:\/\//, "");
}

/** One summary per thread (node writes one .cpuprofile per thread: main, then workers). */
export function summarizeProfiles(dir: string, top = 15): string {
  const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile")).sort();
  if (files.length === 0) return `(no .cpuprofile in ${dir}: the server did not exit cleanly)`;
  return files.map((file) => summarizeProfile(dir, file, top)).join("\n\n");
}

function summarizeProfile(dir: string, file: string, top: number): string {
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)!;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (node.callFrame.functionName === "(idle)") idle += dt;
    const where = node.callFrame.url.replace(/^.*\/(packages|node_modules)\//, "$1/").replace(/^file:\/\//, "");
    const fn = `${node.callFrame.functionName || "(anonymous)"}${where ? ` ${where}:${node.callFrame.lineNumber + 1}` : ""}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    byArea.set(area(node), (byArea.get(area(node)) ?? 0) + dt);
  });
  const busy = total - idle;
  const rows = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => name !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => [`${((us / busy) * 100).toFixed(1)}%`, `${(us / 1e6).toFixed(1)} s`, name]);
  return [
    `profile ${join(dir, file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle`,
    "",
    "by area (self time, share of busy time):",
    table(["share", "self", "area"], rows(byArea)),
    "",
    "by function (self time):",
    table(["share", "self", "function"], rows(byFunction)),
  ].join("\n");
}
