// Deleting a session, a trace or every trace of a user (erasure), for the API and the CLI. The
// store removes the data and everything derived from it; live pages hear of it.
import type { Deleted } from "../api/admin-types.ts";
import type { ChangeFeed } from "../pipeline/change-feed.ts";
import { QueryError } from "../query/params.ts";
import type { DeleteTarget, Store } from "../store/store.ts";

export class DeletionService {
  readonly #store: Store;
  readonly #changes: ChangeFeed | undefined;
  readonly #onDeleted: (traces: number) => void;

  constructor(store: Store, changes?: ChangeFeed, onDeleted: (traces: number) => void = () => {}) {
    this.#store = store;
    this.#changes = changes;
    this.#onDeleted = onDeleted;
  }

  async delete(project: string, target: DeleteTarget): Promise<Deleted> {
    const deleted = await this.#store.deleteData(project, target);
    if (!deleted) throw new QueryError(404, `no ${describe(target)} in project "${project}"`);
    this.#onDeleted(deleted.traces);
    this.#changes?.touched(project, target.type === "session" ? target.sessionId : null, target.type === "trace" ? target.traceId : null);
    return deleted;
  }
}

function describe(target: DeleteTarget): string {
  return target.type === "session" ? `session "${target.sessionId}"` : target.type === "trace" ? `trace "${target.traceId}"` : `user "${target.userId}"`;
}
