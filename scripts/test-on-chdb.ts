// The suites that run on SQLite again, on the ClickHouse store (chdb): the server's API suite, the
// browser tests and the examples. Every test server of test/support.ts opens a chdb database
// (THREADLINE_TEST_STORE). Left out are the files about SQLite itself and one that opens no store;
// the ClickHouse store's own checks are test/clickhouse and the conformance suite, which run on
// both stores in the first pass.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const DIR = "packages/server/test";
/** Left out, and why. */
const LEFT_OUT = new Map([
  ["wal.test.ts", "SQLite's write-ahead log"],
  ["durability.test.ts", "`threadline serve` processes on SQLite killed mid-load (on ClickHouse: clickhouse/stateless.test.ts)"],
  // Not about SQLite, but it opens no store: the configuration and the CLI refusing it.
  ["config.test.ts", "the configuration and the CLI's refusals, before any store is opened"],
]);

const api = readdirSync(DIR).filter((name) => name.endsWith(".test.ts") && !LEFT_OUT.has(name)).map((name) => `${DIR}/${name}`);
// The same globs as test:unit's, expanded by the test runner (which leaves node_modules out).
const files = [...api, "packages/web/test/**/*.test.ts", "examples/**/*.test.ts"];
const { status } = spawnSync(process.execPath, ["--test", "--test-concurrency=3", "--test-timeout=300000", ...files], {
  stdio: "inherit",
  env: { ...process.env, THREADLINE_TEST_STORE: "chdb" },
});
process.exit(status ?? 1);
