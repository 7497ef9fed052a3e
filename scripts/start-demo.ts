// `npm start`: Threadline on the embedded store, with the demo conversations loaded through the
// real SDK and OTLP (once: a restart keeps the data and does not load the demo again).
import { spawn } from "node:child_process";
import { startServer, DEFAULT_DATA_DIR } from "../packages/server/src/index.ts";
import { annotateDemo } from "../examples/demo/evaluate.ts";

const DEMO_PROJECT = "demo";
const port = Number(process.env.PORT ?? 4318);
const dataDir = process.env.THREADLINE_DATA_DIR ?? DEFAULT_DATA_DIR;
// A terminal for a person: warnings and errors, not a line per request (THREADLINE_LOG_LEVEL=info shows them).
process.env.THREADLINE_LOG_LEVEL ??= "warn";

const server = await startServer({ port, dataDir, host: process.env.HOST });
const projects = await server.store.listProjects();
if (!projects.some((p) => p.name === DEMO_PROJECT && p.sessionCount > 0)) {
  console.log(`Loading the demo conversations into project "${DEMO_PROJECT}"…`);
  const demo = spawn(process.execPath, ["examples/demo/run.ts", "--endpoint", server.url, "--project", DEMO_PROJECT], {
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((resolve) => demo.on("exit", resolve));
  if (code !== 0) console.error(`The demo exited with code ${code}; Threadline keeps running with what arrived.`);
  const { rows } = await server.store.listSessions({ project: DEMO_PROJECT, limit: 500, sort: "startTime", order: "asc", after: null, filter: {} });
  const annotated = await annotateDemo(server.url, DEMO_PROJECT, rows.map((s) => s.sessionId));
  console.log(`Annotated the demo: ${annotated} evaluations, reviews and thumbs.`);
}

console.log(`\nThreadline is running: open ${server.url}\n  OTLP/HTTP endpoint: ${server.url}/v1/traces\n  data: ${dataDir}\nPress Ctrl+C to stop.`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
