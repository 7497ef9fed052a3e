// Where the data lives, as the --store flag and the config file's `store` say it:
//   (absent)                                   SQLite in the data dir (the default)
//   clickhouse://user:password@host:8123/db    a ClickHouse server over HTTP (clickhouses:// for HTTPS)
//   chdb:PATH                                  the ClickHouse engine embedded, data in PATH
//   chdb:PATH?database=NAME                    ... in a database other than "threadline"
// The password may come from THREADLINE_CLICKHOUSE_PASSWORD instead, so it is not in `ps`.

export type StoreLocation =
  | { kind: "sqlite" }
  | { kind: "clickhouse"; url: string; username: string; password: string; database: string; cluster: string | null }
  | { kind: "chdb"; path: string; database: string };

export const DEFAULT_CLICKHOUSE_DATABASE = "threadline";
const DATABASE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USAGE = "expected clickhouse://user:password@host:8123/database, clickhouses://... (HTTPS) or chdb:PATH";

export class StoreUrlError extends Error {}

export function parseStoreUrl(text: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (text == null || text === "" || text === "sqlite") return { kind: "sqlite" };
  if (text.startsWith("chdb:")) {
    const [, rest, named] = /^chdb:(.*?)(?:\?database=([^?]*))?$/s.exec(text) ?? [];
    const path = rest.replace(/^\/\/(?=\/)/, "");
    if (!path) throw new StoreUrlError(`--store ${text}: the chdb store needs a directory (chdb:/var/lib/threadline/chdb)`);
    const database = named ?? DEFAULT_CLICKHOUSE_DATABASE;
    if (!DATABASE.test(database)) throw new StoreUrlError(`--store: the database name ${JSON.stringify(database)} must be letters, digits and underscores`);
    return { kind: "chdb", path, database };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreUrlError(`--store ${JSON.stringify(text)}: not a URL; ${USAGE}`);
  }
  if (url.protocol !== "clickhouse:" && url.protocol !== "clickhouses:") {
    throw new StoreUrlError(`--store ${url.protocol}//...: unknown kind of store; ${USAGE}`);
  }
  if (!url.hostname) throw new StoreUrlError(`--store ${text}: no host; ${USAGE}`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || DEFAULT_CLICKHOUSE_DATABASE;
  if (!DATABASE.test(database)) throw new StoreUrlError(`--store: the database name ${JSON.stringify(database)} must be letters, digits and underscores`);
  const cluster = url.searchParams.get("cluster");
  if (cluster != null && !DATABASE.test(cluster)) throw new StoreUrlError(`--store: the cluster name ${JSON.stringify(cluster)} must be letters, digits and underscores`);
  const tls = url.protocol === "clickhouses:";
  return {
    kind: "clickhouse",
    url: `${tls ? "https" : "http"}://${url.port ? url.host : `${url.host}:${tls ? 8443 : 8123}`}`,
    username: decodeURIComponent(url.username) || "default",
    password: url.password ? decodeURIComponent(url.password) : (env.THREADLINE_CLICKHOUSE_PASSWORD ?? ""),
    database,
    cluster,
  };
}

/** The location without its password, for logs and the start-up banner. */
export function describeStore(location: StoreLocation, dataDir: string): string {
  if (location.kind === "sqlite") return `SQLite in ${dataDir}`;
  if (location.kind === "chdb") return `chdb in ${location.path} (database ${location.database})`;
  return `ClickHouse ${location.url}, database ${location.database}${location.cluster ? `, cluster ${location.cluster}` : ""}`;
}
