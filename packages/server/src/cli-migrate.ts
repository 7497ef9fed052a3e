// `threadline migrate`: moves projects from one store to another (store/copy-project.ts), most
// often from the embedded SQLite store to ClickHouse when one machine is no longer enough.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openClickHouseStore } from "./store/clickhouse/open.ts";
import { copyProject, type CopyStep } from "./store/copy-project.ts";
import { SqliteStore } from "./store/sqlite/sqlite-store.ts";
import type { Store } from "./store/store.ts";
import { describeStore, parseStoreUrl, StoreUrlError } from "./store/store-url.ts";

export const MIGRATE_USAGE = `Usage: threadline migrate --from <data dir | store URL> --to <store URL | data dir> [options]

Copies every project (or those named) from one store to another: spans, from which the new store
builds its sessions, users and search; annotations and evaluation results; idle and closed sessions and
what was already evaluated (nothing is evaluated twice); review queues with their reviews; the
redaction and LLM usage counters. The totals of both stores are compared at the end.

  threadline migrate --from ~/.threadline --to clickhouse://user@ch-1:8123/threadline

Stop the server that writes the source first, or migrate from a copy (threadline backup). The
target may be in use. A migration cut short is finished by running it again with --resume.

Options:
  --from <where>     a data dir (its SQLite store), or clickhouse://..., chdb:PATH
  --to <where>       clickhouse://user:password@host:8123/database (password also from
                     THREADLINE_CLICKHOUSE_PASSWORD), chdb:PATH, or a data dir for SQLite
  --project <name>   only this project (repeatable)
  --resume           go on where a migration stopped, into projects the target already has
`;

/** A store URL, or a data dir holding a SQLite store (which must exist when it is the source). */
async function openStore(where: string, role: "source" | "target"): Promise<{ store: Store; name: string }> {
  const location = /^(chdb:|clickhouses?:)/.test(where) ? parseStoreUrl(where) : null;
  if (location && location.kind !== "sqlite") return { store: await openClickHouseStore(location), name: describeStore(location, where) };
  const path = join(where, "threadline.db");
  if (role === "source" && !existsSync(path)) throw new StoreUrlError(`--from ${where}: no Threadline data there (${path} does not exist)`);
  mkdirSync(where, { recursive: true });
  return { store: new SqliteStore({ path }), name: `SQLite in ${where}` };
}

export async function migrateCommand(args: string[], fail: (message: string) => never): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: "string" }, to: { type: "string" }, project: { type: "string", multiple: true }, resume: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) return void process.stdout.write(MIGRATE_USAGE);
  if (!values.from || !values.to) fail("migrate needs --from and --to\n\n" + MIGRATE_USAGE);
  if (values.from === values.to) fail("--from and --to are the same store");

  let source: { store: Store; name: string } | null = null;
  let target: { store: Store; name: string } | null = null;
  try {
    source = await openStore(values.from, "source");
    target = await openStore(values.to, "target");
    const known = new Set((await source.store.listProjects()).map((p) => p.name));
    const projects = values.project ?? [...known];
    for (const name of projects) if (!known.has(name)) fail(`the source has no project "${name}" (it has: ${[...known].join(", ") || "none"})`);
    if (!values.resume) {
      for (const name of projects) {
        const there = await target.store.getProject(name);
        if (there && there.traceCount > 0) {
          fail(`the target already has project "${name}" (${there.traceCount} traces). Run again with --resume to finish a migration that ` +
            "stopped, or to copy into a project that new traffic already reaches (its counters are then not copied).");
        }
      }
    }
    console.log(`Migrating ${projects.length} project(s) from ${source.name} to ${target.name}.`);
    let mismatch = false;
    for (const name of projects) {
      const started = performance.now();
      let last = 0;
      const progress = (step: CopyStep, done: number) => {
        if (performance.now() - last < 5_000) return;
        last = performance.now();
        process.stderr.write(`  ${name}: ${step} ${done.toLocaleString("en")}\n`);
      };
      const r = await copyProject(source.store, target.store, name, { progress });
      const totals = (p: typeof r.from) => (p ? `${p.sessionCount} sessions, ${p.traceCount} traces, ${p.spanCount} spans, ${p.userCount} users` : "nothing");
      const same = totals(r.from) === totals(r.to);
      mismatch ||= !same;
      console.log(`${name}: ${r.traces} traces (${r.spans} spans), ${r.annotations} annotations, ${r.sessionStates} session states, ` +
        `${r.reviewQueues} review queues in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      console.log(`  source ${totals(r.from)}\n  target ${totals(r.to)}${same ? "" : "  <- DIFFERENT"}`);
    }
    console.log("Accounts and API keys (auth.db) and the redaction key (redaction.key) stay in the data dir: copy them to each server's data dir.");
    if (mismatch) fail("the totals differ; run again with --resume, and report it if they still do");
  } catch (error) {
    if (error instanceof StoreUrlError) fail(error.message);
    throw error;
  } finally {
    await source?.store.close();
    await target?.store.close();
  }
}
