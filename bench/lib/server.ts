// The server under test, as a child process: `threadline serve --port 0 --grpc-port 0 --data-dir
// DIR` (free ports, so a server still shutting down cannot stop the next from starting), run by the
// same Node as the bench. Watches its memory and CPU through /proc; cleanup.ts makes sure it does
// not outlive the bench.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { track } from "./cleanup.ts";
import { ROOT } from "./config.ts";

export interface ProcStats {
  /** Peak resident set size so far (VmHWM), bytes. */
  peakRss: number;
  rss: number;
  /** The anonymous part of rss (heap, malloc; what a leak grows) and the file-backed part (mapped database pages, code). */
  rssAnon: number;
  rssFile: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
}

export function procStats(pid: number): ProcStats | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { peakRss: kb("VmHWM"), rss: kb("VmRSS"), rssAnon: kb("RssAnon"), rssFile: kb("RssFile"), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return null;
  }
}

export interface ServerHandle {
  url: string;
  pid: number;
  stats(): ProcStats | null;
  /** The last lines the server wrote to stderr. */
  log(): string;
  /** SIGTERM (the server flushes and exits), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  /** Write a V8 CPU profile of the server into this directory when it exits. */
  cpuProfDir?: string;
  /** More environment for the server (THREADLINE_CONFIG, ...). */
  env?: Record<string, string>;
}

export async function startServer(options: StartOptions): Promise<ServerHandle> {
  const bin = process.env.BENCH_SERVER_BIN ?? `${ROOT}/packages/server/bin/threadline.js`;
  const nodeArgs = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, bin, "serve", "--port", "0", "--grpc-port", "0", "--data-dir", options.dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "", ...options.env },
  });
  track(child);
  let stderr = "";
  // BENCH_SERVER_LOG=<file>: every server's whole stderr appended there (warnings, each request's line).
  const logFile = process.env.BENCH_SERVER_LOG;
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
    if (logFile) appendFileSync(logFile, chunk);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s\n${stderr}`)), 120_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (code ${code}, signal ${signal})\n${stderr.trim()}`));
    });
  });

  return {
    url,
    pid: child.pid!,
    stats: () => procStats(child.pid!),
    log: () => stderr.trim().split("\n").slice(-20).join("\n"),
    async stop(graceMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples a process's RSS and CPU every `everyMs`; `stop()` returns peak RSS and CPU used. */
export function sampleProcess(pid: number, everyMs = 250) {
  const first = procStats(pid);
  let maxRss = first?.rss ?? 0;
  const timer = setInterval(() => {
    const now = procStats(pid);
    if (now) maxRss = Math.max(maxRss, now.rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = procStats(pid);
      return {
        maxRss: Math.max(maxRss, last?.rss ?? 0),
        peakRss: last?.peakRss ?? NaN,
        cpuSeconds: last && first ? last.cpuSeconds - first.cpuSeconds : NaN,
      };
    },
  };
}
