// The schema's steps, in order. A step is recorded once it has run; its statements must be
// idempotent (IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, ...), since servers starting together may
// both run it (migrations.ts). Add a step in its own file with the next version; never edit a
// step that has shipped.
import type { TableDef } from "../ddl.ts";
import spans from "./001-spans.ts";
import traces from "./002-traces.ts";
import rollups from "./003-rollups.ts";
import annotations from "./004-annotations.ts";
import evaluations from "./005-evaluations.ts";
import search from "./006-search.ts";
import stateByTurns from "./007-state-by-turns.ts";

export interface Migration {
  version: number;
  name: string;
  /** Tables to create (local and clustered DDL come from ddl.ts). */
  tables?: TableDef[];
  /** Further statements, given the database and cluster clause; each idempotent. */
  statements?: (database: string, onCluster: string) => string[];
}

export const MIGRATIONS: Migration[] = [spans, traces, rollups, annotations, evaluations, search, stateByTurns];
