// The executor over ClickHouse's HTTP interface, with the official client (real servers and clusters).
import { createClient, type ClickHouseClient, type ClickHouseSettings } from "@clickhouse/client";
import { SYNC_INSERT, type Executor, type Params, type Row, type Settings } from "./executor.ts";

export interface HttpExecutorOptions {
  /** http(s)://host:port */
  url: string;
  username: string;
  password: string;
  database: string;
}

export class HttpExecutor implements Executor {
  readonly #client: ClickHouseClient;

  constructor({ url, username, password, database }: HttpExecutorOptions) {
    // The database is named in every statement; the connection uses the default one, so that
    // migrations can create the store's database first.
    void database;
    this.#client = createClient({
      url, username, password,
      // Numbers as numbers (the server quotes 64-bit integers in JSON by default; chdb does not).
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
  }

  async query<T extends Row = Row>(sql: string, params: Params = {}): Promise<T[]> {
    const result = await this.#client.query({ query: sql, query_params: params, format: "JSONEachRow" });
    return result.json<T>();
  }

  async command(sql: string, params: Params = {}): Promise<void> {
    await this.#client.command({ query: sql, query_params: params });
  }

  async insert(table: string, rows: Row[], settings: Settings = {}): Promise<void> {
    if (rows.length === 0) return;
    await this.#client.insert({ table, values: rows, format: "JSONEachRow", clickhouse_settings: { ...SYNC_INSERT, ...settings } as ClickHouseSettings });
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
