// `threadline users create|list|grant|remove`: people's accounts in the data dir's auth store.
// The password is read from standard input (one line), never from the command line, where
// other users of the machine could see it.
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createAccount, updateAccount } from "./auth/admin.ts";
import { ROLES, type Role } from "./auth/tokens.ts";
import { SqliteAuthStore } from "./store/sqlite/auth-store.ts";

export const USERS_USAGE = `Usage: threadline users <create|list|grant|remove|password> [options]

  threadline users create --login <name> --project <p> --role <r>   an account with a role in one project
                                                                    (--project '*': every project; an admin of
                                                                    every project also manages accounts)
  threadline users list                                             every account and its roles
  threadline users grant <login> --project <p> --role <r|none>      give, change or take away a role
  threadline users password <login>                                 set a new password
  threadline users remove <login>                                   the account is removed and signed out

The password is read from standard input: typed at the prompt, or piped (echo "$PW" | threadline users create ...).
Roles: ${ROLES.join(", ")}. Options: --data-dir <dir> (as for serve).
`;

export async function usersCommand(args: string[], dataDir: string, fail: (message: string) => never): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { login: { type: "string" }, project: { type: "string" }, role: { type: "string" }, "data-dir": { type: "string" } },
  });
  const store = new SqliteAuthStore(join(values["data-dir"] ?? dataDir, "auth.db"));
  const role = (): Role | null => {
    if (values.role === "none") return null;
    if (!ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(", ")}${positionals[0] === "grant" ? ", none" : ""}`);
    return values.role as Role;
  };
  const named = (login: string | undefined) => {
    const account = login ? store.findAccount(login) : null;
    return account ?? fail(`no account "${login ?? ""}"`);
  };
  try {
    const [action, login] = positionals;
    if (action === "create") {
      if (!values.login || !values.project) fail("users create needs --login, --project and --role");
      const roles = { [values.project]: role()! };
      const account = await createAccount(store, { login: values.login, password: await readPassword(), roles }).catch((error: Error) => fail(error.message));
      process.stderr.write(`account ${account.login} created: ${values.role} of ${values.project === "*" ? "every project" : `project "${values.project}"`}\n`);
    } else if (action === "list") {
      for (const a of store.listAccounts()) {
        const roles = Object.entries(a.roles).map(([p, r]) => `${r}@${p}`).join(" ") || "(no role)";
        process.stdout.write(`${a.login}  ${roles}  created ${new Date(a.createdUs / 1000).toISOString()}\n`);
      }
    } else if (action === "grant") {
      if (!values.project) fail("users grant needs --project and --role");
      store.setRole(named(login).id, values.project, role());
      process.stderr.write(`${login}: ${values.role} in ${values.project}\n`);
    } else if (action === "password") {
      await updateAccount(store, named(login).id, { password: await readPassword() }).catch((error: Error) => fail(error.message));
      process.stderr.write(`${login}: password changed\n`);
    } else if (action === "remove") {
      store.removeAccount(named(login).id);
      process.stderr.write(`${login}: removed and signed out\n`);
    } else {
      fail(`unknown users command "${positionals.join(" ")}"`);
    }
  } finally {
    store.close();
  }
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (at least 10 characters): ");
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return "";
}
