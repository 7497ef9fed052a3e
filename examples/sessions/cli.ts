// What the session examples share: their command line, and a check that Threadline is listening.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { diag, DiagConsoleLogger, DiagLogLevel } from "@opentelemetry/api";

export type ExampleOptions = { endpoint: string; project: string; session: string };

/** `--endpoint` (default http://localhost:4318), `--project`, `--session` (default a fresh UUID). */
export function exampleOptions(defaultProject: string): ExampleOptions {
  const { values } = parseArgs({
    options: {
      endpoint: { type: "string", default: "http://localhost:4318" },
      project: { type: "string", default: defaultProject },
      session: { type: "string", default: `sess-${randomUUID()}` },
    },
    strict: false,
  });
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN); // show dropped values and export problems
  return { endpoint: String(values.endpoint).replace(/\/+$/, ""), project: String(values.project), session: String(values.session) };
}

/** Fails fast instead of exporting into the void (the exporter would retry each batch for seconds). */
export async function assertReachable(endpoint: string): Promise<void> {
  const url = `${endpoint}/v1/traces`;
  try {
    // An empty body is a valid, empty OTLP request; any HTTP answer means someone is listening.
    await fetch(url, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array() });
  } catch (error) {
    throw new Error(`Threadline is not reachable at ${url} (start it with: npx threadline serve): ${(error as Error).cause ?? error}`, {
      cause: error,
    });
  }
}

/** Prints where to look (the sessions, with their API URL), as one JSON line the example test reads too. */
export function report(options: ExampleOptions, details: Record<string, unknown>, sessionIds = [options.session]): void {
  const sessions = sessionIds.map((sessionId) => ({
    sessionId,
    url: `${options.endpoint}/api/v1/projects/${encodeURIComponent(options.project)}/sessions/${encodeURIComponent(sessionId)}`,
  }));
  console.log(JSON.stringify({ project: options.project, sessions, ...details }));
}

export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
