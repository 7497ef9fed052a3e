// Table definitions and the DDL they produce, for one server or for a cluster. On a cluster each
// table is a Replicated* table on every node (`<name>_local`, ON CLUSTER) with a Distributed table
// of the plain name in front, so the store's statements are the same on both.

export interface Layout {
  database: string;
  /** A cluster name from the servers' remote_servers; null: a single server (or chdb). */
  cluster: string | null;
}

export interface TableDef {
  name: string;
  /** Column definitions and INDEX clauses, as in CREATE TABLE. */
  columns: string[];
  /** The MergeTree-family engine without the Replicated prefix, e.g. "ReplacingMergeTree(ver)". */
  engine: string;
  orderBy: string;
  settings?: Record<string, string | number>;
  /** Distributed tables: rows of one key on one shard (what a ReplacingMergeTree collapses together). */
  shardBy: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} must be letters, digits and underscores, not starting with a digit: ${JSON.stringify(name)}`);
  return name;
}

export function createDatabase({ database, cluster }: Layout): string {
  return `CREATE DATABASE IF NOT EXISTS ${database}${onCluster(cluster)} ENGINE = Atomic`;
}

const onCluster = (cluster: string | null) => (cluster ? ` ON CLUSTER ${cluster}` : "");

/** The statements that create the table (idempotent: IF NOT EXISTS). */
export function createTable(def: TableDef, { database, cluster }: Layout): string[] {
  const settings = Object.entries(def.settings ?? {}).map(([k, v]) => `${k} = ${v}`);
  const body = (name: string, engine: string) =>
    `CREATE TABLE IF NOT EXISTS ${database}.${name}${onCluster(cluster)} (\n  ${def.columns.join(",\n  ")}\n) ENGINE = ${engine}\nORDER BY ${def.orderBy}` +
    (settings.length ? `\nSETTINGS ${settings.join(", ")}` : "");
  if (!cluster) return [body(def.name, def.engine)];
  const local = `${def.name}_local`;
  return [
    body(local, replicated(def.engine, `/clickhouse/tables/{shard}/${database}/${local}`)),
    `CREATE TABLE IF NOT EXISTS ${database}.${def.name}${onCluster(cluster)} AS ${database}.${local}\n` +
      `ENGINE = Distributed(${cluster}, ${database}, ${local}, ${def.shardBy})`,
  ];
}

/** ReplacingMergeTree(ver) -> ReplicatedReplacingMergeTree('<zk path>', '{replica}', ver). */
function replicated(engine: string, path: string): string {
  const match = /^(\w*MergeTree)(?:\((.*)\))?$/.exec(engine);
  if (!match) throw new Error(`not a MergeTree-family engine: ${engine}`);
  const args = [`'${path}'`, "'{replica}'", ...(match[2] ? [match[2]] : [])];
  return `Replicated${match[1]}(${args.join(", ")})`;
}
