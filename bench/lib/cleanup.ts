// Nothing a bench starts outlives it: child processes are stopped and temporary directories
// removed on normal exit, on failure and on Ctrl-C (SIGINT) or SIGTERM.
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

const children = new Set<ChildProcess>();
const interruptHooks = new Set<() => void>();
const paths = new Set<string>();
let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  // SIGTERM, not SIGKILL: a bench child then stops its own server child, and a server flushes.
  process.on("exit", () => {
    for (const child of children) child.kill("SIGTERM");
    for (const path of paths) rmSync(path, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      for (const interrupt of interruptHooks) interrupt();
      const exits = [...children].map((child) => new Promise((resolve) => child.once("exit", resolve)));
      for (const child of children) child.kill("SIGTERM");
      const timer = setTimeout(() => {
        for (const child of children) child.kill("SIGKILL");
      }, 10_000);
      await Promise.all(exits);
      clearTimeout(timer);
      process.exit(130);
    });
  }
}

/** Stops `child` when the bench exits, however it exits. */
export function track(child: ChildProcess): void {
  hook();
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Runs `interrupt` first on SIGINT/SIGTERM (e.g. to stop sending); returns an unregister. */
export function onInterrupt(interrupt: () => void): () => void {
  hook();
  interruptHooks.add(interrupt);
  return () => interruptHooks.delete(interrupt);
}

/** Removes `path` (recursively) when the bench exits. */
export function removeOnExit(path: string): void {
  hook();
  paths.add(path);
}
