// The configuration: a JSON file, THREADLINE_* variables over it, flags over both. A bad field
// stops the server before it starts, with a message that names where and what.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { loadConfig } from "../src/config.ts";

const CLI = new URL("../bin/threadline.js", import.meta.url).pathname;

test("file, then environment, then flags; numbers and booleans from text", async () => {
  const dir = await mkdtemp(join(tmpdir(), "threadline-config-"));
  try {
    const file = join(dir, "threadline.json");
    await writeFile(file, JSON.stringify({ port: 5000, host: "127.0.0.1", caps: { maxValueChars: 5000 }, walLimitBytes: 64 * 2 ** 20 }));
    const config = loadConfig(file, { THREADLINE_PORT: "6000", THREADLINE_INSECURE: "true", THREADLINE_GRPC_PORT: "false" }, { host: "::1" });
    assert.deepEqual(config, { port: 6000, host: "::1", caps: { maxValueChars: 5000 }, walLimitBytes: 64 * 2 ** 20, insecure: true, grpcPort: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a bad field stops the server with a message naming the file, variable or flag", async () => {
  const dir = await mkdtemp(join(tmpdir(), "threadline-config-"));
  try {
    const run = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, [CLI, "serve", "--data-dir", dir, "--port", "0", "--no-grpc", ...args], { env: { ...process.env, ...env } })
        .then(() => "started", (error: { stderr: string }) => error.stderr);
    const file = join(dir, "bad.json");
    for (const [content, message] of [
      [{ caps: { maxValueChars: 0 } }, /bad\.json: caps\.maxValueChars must be >= 1/],
      [{ prot: 4318 }, /bad\.json: unknown field prot/],
      [{ auth: "maybe" }, /bad\.json: auth must be one of open, required/],
      [{ writeQueue: { maxSpans: "many" } }, /bad\.json: writeQueue\.maxSpans must be integer/],
      [{ sessionIdle: "soon" }, /bad\.json: sessionIdle must match/],
      [{ llm: { baseUrl: "http://127.0.0.1:9/v1", model: "m", templates: { tone: { template: "Rate the tone.", score: [1, 5] } } } }, /bad\.json: llm\.templates\.tone\.template must match/],
      [{ llm: { baseUrl: "http://127.0.0.1:9/v1", model: "m", templates: { tone: { template: "{{transcript}}", score: [1] } } } }, /bad\.json: llm\.templates\.tone\.score/],
    ] as const) {
      await writeFile(file, JSON.stringify(content));
      assert.match(await run(["--config", file]), message);
    }
    await writeFile(file, "{ not json");
    assert.match(await run(["--config", file]), /bad\.json: .*JSON/);
    assert.match(await run([], { THREADLINE_MAX_BODY_BYTES: "lots" }), /THREADLINE_MAX_BODY_BYTES: must be integer/);
    assert.match(await run(["--port", "70000"]), /--port must be <= 65535/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
