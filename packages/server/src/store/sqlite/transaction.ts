// One transaction around a piece of work on the writer's connection: committed when the work
// returns, rolled back when it throws (the error goes on).
import type { DatabaseSync } from "node:sqlite";

export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
