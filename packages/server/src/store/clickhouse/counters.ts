// Per-project counters on ClickHouse: the LLM judges' use per UTC day and what redaction replaced.
// Each addition is its own row with a fresh id, summed when read: two servers adding at once both
// count (no read-modify-write), and an insert the client retries is dropped by its deduplication
// token (the id; the tables also collapse rows of one id, read with FINAL).
import { randomUUID } from "node:crypto";
import { SYNC_INSERT, type Executor } from "./executor.ts";

export class Counters {
  readonly #ex: Executor;
  readonly #db: string;

  constructor(executor: Executor, database: string) {
    this.#ex = executor;
    this.#db = database;
  }

  async addLlmUsage(project: string, day: string, calls: number, tokens: number): Promise<void> {
    const id = randomUUID();
    await this.#ex.insert(`${this.#db}.llm_usage`, [{ day, project, id, calls, tokens }], { ...SYNC_INSERT, insert_deduplication_token: id });
  }

  async llmUsage(day: string): Promise<Array<{ project: string; calls: number; tokens: number }>> {
    const rows = await this.#ex.query(`SELECT project, sum(calls) AS calls, sum(tokens) AS tokens FROM ${this.#db}.llm_usage FINAL
      WHERE day = {d:String} GROUP BY project ORDER BY project`, { d: day });
    return rows.map((r) => ({ project: r.project as string, calls: Number(r.calls), tokens: Number(r.tokens) }));
  }

  async addRedactions(counts: Array<[string, string, number]>): Promise<void> {
    if (!counts.length) return;
    const id = randomUUID();
    const rows = counts.map(([project, detector, count], i) => ({ project, detector, id: `${id}/${i}`, count }));
    await this.#ex.insert(`${this.#db}.redactions`, rows, { ...SYNC_INSERT, insert_deduplication_token: id });
  }

  async redactionCounts(project: string): Promise<Record<string, number>> {
    const rows = await this.#ex.query(`SELECT detector, sum(count) AS n FROM ${this.#db}.redactions FINAL WHERE project = {p:String}
      GROUP BY detector ORDER BY detector`, { p: project });
    return Object.fromEntries(rows.map((r) => [r.detector as string, Number(r.n)]));
  }
}
