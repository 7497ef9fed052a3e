// `threadline keys create|list|revoke`: keys in the data dir's auth store. The secret is printed
// once, at creation; only its hash is kept.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createKey } from "./auth/admin.ts";
import { SqliteAuthStore } from "./store/sqlite/auth-store.ts";

export const KEYS_USAGE = `Usage: threadline keys <create|list|revoke> [options]

  threadline keys create --project <name> --kind ingest           a key that sends spans to one project
  threadline keys create --project <name> --kind api --role <r>   a key that reads (viewer), annotates
                                                                  (annotator) or administers (admin) one project
  threadline keys list                                            every key, without secrets
  threadline keys revoke <id>                                     the key stops working at once

Options: --name <text> (a note, e.g. the app), --data-dir <dir> (as for serve).
`;

export async function keysCommand(args: string[], dataDir: string, fail: (message: string) => never): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { project: { type: "string" }, kind: { type: "string" }, role: { type: "string" }, name: { type: "string" }, "data-dir": { type: "string" } },
  });
  const store = new SqliteAuthStore(join(values["data-dir"] ?? dataDir, "auth.db"));
  try {
    const [action, ...rest] = positionals;
    if (action === "create") {
      if (!values.project) fail("keys create needs --project <name>");
      const { key, token } = await createKey(store, { project: values.project, kind: values.kind ?? "", role: values.role, name: values.name }).catch((error: Error) => fail(error.message));
      process.stdout.write(`${token}\n`);
      process.stderr.write(`key ${key.id} (${key.kind}${key.role ? `, ${key.role}` : ""}) for project "${key.project}": shown once, keep it safe\n`);
    } else if (action === "list") {
      for (const key of store.listKeys()) {
        const state = key.revokedUs ? `revoked ${new Date(key.revokedUs / 1000).toISOString()}` : "active";
        process.stdout.write(`${key.id}  ${key.kind.padEnd(6)}  ${(key.role ?? "-").padEnd(9)}  ${key.project}  ${state}  ${key.name}\n`);
      }
    } else if (action === "revoke" && rest.length === 1) {
      if (!store.revokeKey(rest[0], Date.now() * 1000)) fail(`no active key ${rest[0]}`);
      process.stderr.write(`key ${rest[0]} revoked\n`);
    } else {
      fail(`unknown keys command "${positionals.join(" ")}"`);
    }
  } finally {
    store.close();
  }
}
