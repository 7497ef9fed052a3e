// `threadline delete`: deletes a session, a trace or a user's data through the running server's
// API (the server owns the database while it runs), after a confirmation unless --yes.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { DEFAULT_PORT } from "./server.ts";

export const DELETE_USAGE = `Usage: threadline delete --project <name> (--session <id> | --trace <id> | --user <id>) [options]

Deletes, for good, a session (every turn of it), a trace, or every session a user took part in
and their other traces (erasure), with their spans, search words, annotations and evaluations.
The rollups of what remains are recounted. The server must be running.

Options:
  --url <url>   the server (default http://127.0.0.1:${DEFAULT_PORT}, or THREADLINE_URL)
  --key <key>   an admin API key of the project (or THREADLINE_API_KEY); not needed on an open loopback server
  --yes         do not ask for confirmation
`;

export async function deleteCommand(args: string[], env: NodeJS.ProcessEnv, fail: (message: string) => never): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        project: { type: "string" }, session: { type: "string" }, trace: { type: "string" }, user: { type: "string" },
        url: { type: "string" }, key: { type: "string" }, yes: { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) return void process.stdout.write(DELETE_USAGE);
  const named = (["session", "trace", "user"] as const).filter((kind) => values[kind] !== undefined);
  if (!values.project || named.length !== 1) fail("delete needs --project and exactly one of --session, --trace, --user\n\n" + DELETE_USAGE);
  const kind = named[0];
  const id = values[kind] as string;
  const base = (values.url ?? env.THREADLINE_URL ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/$/, "");
  const what = kind === "user" ? `every session of user "${id}"` : `${kind} "${id}"`;
  if (!values.yes) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`Delete ${what} in project "${values.project}" for good? Type "delete" to confirm: `);
    rl.close();
    if (answer.trim() !== "delete") fail("not confirmed; nothing was deleted");
  }
  const key = values.key ?? env.THREADLINE_API_KEY;
  const url = `${base}/api/v1/projects/${encodeURIComponent(values.project)}/${kind}s/${encodeURIComponent(id)}`;
  let response: Response;
  try {
    response = await fetch(url, { method: "DELETE", headers: key ? { authorization: `Bearer ${key}` } : {} });
  } catch (error) {
    fail(`cannot reach ${base} (is the server running?): ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string; traces?: number; spans?: number; sessions?: number; annotations?: number };
  if (!response.ok) fail(`${response.status}: ${body.error ?? response.statusText}`);
  console.log(`Deleted ${what}: ${body.traces} traces, ${body.spans} spans, ${body.sessions} sessions, ${body.annotations} annotations.`);
}
