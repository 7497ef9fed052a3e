// Gives each distinct resource an id, so a span row holds a number instead of repeating its
// app's service, SDK and host attributes.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Row } from "./rows.ts";

export class ResourceIds {
  readonly #select: StatementSync;
  readonly #insert: StatementSync;
  readonly #known = new Map<string, number>();

  constructor(db: DatabaseSync) {
    this.#select = db.prepare("SELECT id FROM resources WHERE attributes = ?");
    this.#insert = db.prepare("INSERT INTO resources (attributes) VALUES (?)");
  }

  /** The id of the resource (its attributes as JSON), stored first if new. Call inside the write transaction. */
  idOf(resource: string): number {
    let id = this.#known.get(resource);
    if (id === undefined) {
      id = ((this.#select.get(resource) as Row | undefined)?.id as number | undefined) ?? Number(this.#insert.run(resource).lastInsertRowid);
      if (this.#known.size >= 10_000) this.#known.clear();
      this.#known.set(resource, id);
    }
    return id;
  }

  /** After a rollback: ids handed out in the failed transaction no longer exist. */
  forget(): void {
    this.#known.clear();
  }
}
