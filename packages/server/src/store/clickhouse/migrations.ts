// Versioned migrations, run at start-up. Why several servers starting at once is safe: every
// statement of a step is idempotent (CREATE ... IF NOT EXISTS, and later steps must be written the
// same way), so two servers running a step together both succeed and leave the same schema; a step
// is recorded only after all its statements succeeded, so a server that dies halfway leaves the
// step unrecorded and the next start runs it again; the record table collapses duplicate records
// (ReplacingMergeTree on the version). On a cluster every statement runs ON CLUSTER, which the
// servers' distributed DDL queue applies one at a time on every node.
import { checkIdentifier, createDatabase, createTable, type Layout, type TableDef } from "./ddl.ts";
import type { Executor } from "./executor.ts";
import { MIGRATIONS, type Migration } from "./migrations/index.ts";

const RECORDS: TableDef = {
  name: "schema_migrations",
  columns: ["version UInt32", "name String", "applied_us Int64"],
  engine: "ReplacingMergeTree",
  orderBy: "version",
  shardBy: "version",
};

/** Every statement that brings an empty database to the latest step, in order (for one server or a cluster). */
export function migrationStatements(layout: Layout, steps: Migration[] = MIGRATIONS): Array<{ version: number; sql: string[] }> {
  return steps.map((step) => ({ version: step.version, sql: stepStatements(step, layout) }));
}

function stepStatements(step: Migration, layout: Layout): string[] {
  const onCluster = layout.cluster ? ` ON CLUSTER ${layout.cluster}` : "";
  return [...(step.tables ?? []).flatMap((table) => createTable(table, layout)), ...(step.statements?.(layout.database, onCluster) ?? [])];
}

/** Runs the steps not yet recorded; returns the versions it ran. */
export async function migrate(executor: Executor, layout: Layout, steps: Migration[] = MIGRATIONS): Promise<number[]> {
  checkIdentifier(layout.database, "the ClickHouse database name");
  if (layout.cluster) checkIdentifier(layout.cluster, "the ClickHouse cluster name");
  await executor.command(createDatabase(layout));
  for (const sql of createTable(RECORDS, layout)) await executor.command(sql);
  const applied = new Set(
    (await executor.query<{ version: number }>(`SELECT DISTINCT version FROM ${layout.database}.${RECORDS.name}`)).map((r) => Number(r.version)),
  );
  const latest = Math.max(0, ...steps.map((s) => s.version));
  const newer = [...applied].filter((v) => v > latest);
  if (newer.length) {
    throw new Error(`the ClickHouse database ${layout.database} has schema version ${Math.max(...newer)}, newer than this Threadline's ${latest}: upgrade Threadline`);
  }
  const ran: number[] = [];
  for (const step of steps) {
    if (applied.has(step.version)) continue;
    for (const sql of stepStatements(step, layout)) await executor.command(sql);
    await executor.insert(`${layout.database}.${RECORDS.name}`, [{ version: step.version, name: step.name, applied_us: Date.now() * 1000 }]);
    ran.push(step.version);
  }
  return ran;
}
