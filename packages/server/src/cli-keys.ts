// `threadline keys create|list|revoke`: keys in the data dir's auth store. The secret is printed
// once, at creation; only its hash is kept.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { hashSecret, KEY_KINDS, newToken, ROLES, type KeyKind, type Role } from "./auth/tokens.ts";
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
      const kind = values.kind as KeyKind;
      if (!values.project) fail("keys create needs --project <name>");
      if (!KEY_KINDS.includes(kind)) fail(`--kind must be ${KEY_KINDS.join(" or ")}`);
      if (kind === "api" && !ROLES.includes(values.role as Role)) fail(`an API key needs --role ${ROLES.join(", ")}`);
      if (kind === "ingest" && values.role) fail("an ingest key has no role");
      const { id, token, secret } = newToken(kind);
      store.createKey({
        id, kind, project: values.project, role: kind === "api" ? (values.role as Role) : null, name: values.name ?? "",
        hash: await hashSecret(secret), createdUs: Date.now() * 1000, revokedUs: null,
      });
      process.stdout.write(`${token}\n`);
      process.stderr.write(`key ${id} (${kind}${kind === "api" ? `, ${values.role}` : ""}) for project "${values.project}": shown once, keep it safe\n`);
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
