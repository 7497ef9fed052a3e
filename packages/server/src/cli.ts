// The `threadline` command.
import { parseArgs } from "node:util";
import { backupCommand } from "./cli-backup.ts";
import { deleteCommand } from "./cli-delete.ts";
import { initCommand } from "./cli-init.ts";
import { keysCommand, KEYS_USAGE } from "./cli-keys.ts";
import { migrateCommand } from "./cli-migrate.ts";
import { usersCommand, USERS_USAGE } from "./cli-users.ts";
import { ConfigError, FLAGS, loadConfig, serverOptions, type Config } from "./config.ts";
import { loadCodeEvaluators, type CodeEvaluators } from "./evaluate/code/index.ts";
import { DEFAULT_GRPC_PORT } from "./receivers/otlp-grpc.ts";
import { DEFAULT_DATA_DIR, DEFAULT_PORT, startServer } from "./server.ts";

const USAGE = `Usage: threadline serve [options]
       threadline keys <create|list|revoke> [options]   (threadline keys --help)
       threadline users <create|list|grant|password|remove> [options]   people's accounts (threadline users --help)
       threadline backup <dir> [--data-dir <dir>]        a consistent copy, while the server runs
       threadline delete --project <p> --session <id> | --trace <id> | --user <id>   (threadline delete --help)
       threadline init [--write] [--dir <path>]          set up a Node app to send its sessions (threadline init --help)
       threadline migrate --from <data dir> --to <store URL>   move projects to another store (threadline migrate --help)

Receives OpenTelemetry traces (OTLP/HTTP at /v1/traces, and OTLP/gRPC on a second port), groups
them into sessions and users, and serves the web UI and the JSON API (/api/v1) on the HTTP port.

Options:
  --port <n>         port for OTLP/HTTP, the API and the UI (default ${DEFAULT_PORT})
  --grpc-port <n>    port for OTLP/gRPC on the same host (default ${DEFAULT_GRPC_PORT}; 0 picks a free one)
  --no-grpc          do not listen for OTLP/gRPC
  --host <addr>      address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).
                     Off loopback every request needs a key (threadline keys create)
  --auth <mode>      required: keys on loopback too; open: none (loopback only, unless --insecure)
  --insecure         listen off loopback with no authentication (anyone who can reach it reads everything)
  --tls-cert <file>  serve HTTPS and OTLP/gRPC over TLS with this PEM certificate (chain) ...
  --tls-key <file>   ... and this PEM key
  --trust-proxy      a proxy in front terminates TLS: trust its X-Forwarded-* headers, Secure cookies
  --data-dir <dir>   where the data lives (default ${DEFAULT_DATA_DIR})
  --store <url>      clickhouse://user:password@host:8123/database (password also from
                     THREADLINE_CLICKHOUSE_PASSWORD) or chdb:PATH; default SQLite in the data dir
  --prices <file>    JSON model prices added to the built-in table
  --session-idle <d> a session quiet this long is idle and evaluated (default 15m; 30s, 2h, ...)
  --retention-days <n>  delete traces that started more than n days ago (default: keep all;
                     per project in the configuration file)
  --config <file>    a JSON configuration file (docs/configuration.md); THREADLINE_* variables override
                     it, and flags override both
  -h, --help         show this help
`;

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === "keys") {
    if (argv.includes("--help") || argv.includes("-h") || argv.length === 1) return void process.stdout.write(KEYS_USAGE);
    return keysCommand(argv.slice(1), process.env.THREADLINE_DATA_DIR ?? DEFAULT_DATA_DIR, fail);
  }
  if (argv[0] === "users") {
    if (argv.includes("--help") || argv.includes("-h") || argv.length === 1) return void process.stdout.write(USERS_USAGE);
    return usersCommand(argv.slice(1), process.env.THREADLINE_DATA_DIR ?? DEFAULT_DATA_DIR, fail);
  }
  if (argv[0] === "delete") return deleteCommand(argv.slice(1), process.env, fail);
  if (argv[0] === "init") return initCommand(argv.slice(1), process.env, fail);
  if (argv[0] === "migrate") return migrateCommand(argv.slice(1), fail);
  if (argv[0] === "backup") {
    const { values, positionals } = parseArgs({ args: argv.slice(1), allowPositionals: true, options: { "data-dir": { type: "string" } } });
    return backupCommand(positionals[0], values["data-dir"] ?? process.env.THREADLINE_DATA_DIR ?? DEFAULT_DATA_DIR, fail);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        "grpc-port": { type: "string" },
        "no-grpc": { type: "boolean" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        store: { type: "string" },
        prices: { type: "string" },
        auth: { type: "string" },
        insecure: { type: "boolean" },
        "retention-days": { type: "string" },
        "session-idle": { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        "trust-proxy": { type: "boolean" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] !== "serve" || positionals.length > 1) fail(`unknown command "${positionals.join(" ")}"`);
  if (values["no-grpc"] && values["grpc-port"] !== undefined) fail("--grpc-port and --no-grpc cannot be used together");
  // Flags as text: the configuration schema converts and checks them like the file's fields.
  const given = values as Record<string, string | boolean | undefined>;
  const flags = Object.fromEntries(Object.entries(FLAGS).map(([field, flag]) => [field, given[flag]]).filter(([, value]) => value !== undefined)) as Config;
  if (values["no-grpc"]) flags.grpcPort = false;
  let config: Config;
  let codeEvaluators: CodeEvaluators | undefined;
  const configFile = values.config ?? process.env.THREADLINE_CONFIG;
  try {
    config = loadConfig(configFile, process.env, flags);
    // Only the file declares them, so configFile is set; its folder is where their paths start.
    if (config.codeEvaluators && configFile) codeEvaluators = await loadCodeEvaluators(configFile, config.codeEvaluators, Object.keys(config.llm?.templates ?? {}));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(error.message);
  }
  const dataDir = config.dataDir ?? DEFAULT_DATA_DIR;
  const grpcPort = config.grpcPort === false ? null : (config.grpcPort ?? DEFAULT_GRPC_PORT);
  let server;
  try {
    server = await startServer({ ...serverOptions(config), port: config.port ?? DEFAULT_PORT, grpcPort, dataDir, codeEvaluators });
  } catch (error) {
    process.stderr.write(`threadline: ${(error as Error).message}\n`);
    process.exit(1);
  }
  console.log(`Threadline is listening on ${server.url}`);
  console.log(`  UI and API:  ${server.url}/  (${server.url}/api/v1/projects)`);
  console.log(`  OTLP/HTTP:   ${server.url}/v1/traces`);
  console.log(`  OTLP/gRPC:   ${server.grpcPort === null ? "off (--no-grpc)" : `${new URL(server.url).hostname}:${server.grpcPort}`}`);
  console.log(`  data:        ${dataDir}`);
  console.log(`  auth:        ${server.authRequired ? "a key on every request" : "open (loopback only)"}`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

function fail(message: string): never {
  process.stderr.write(`threadline: ${message}\n\n${USAGE}`);
  process.exit(2);
}
