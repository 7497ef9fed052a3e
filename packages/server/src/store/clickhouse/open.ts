// Opens a ClickHouse store at a parsed location: the HTTP client for servers, chdb embedded.
import type { StoreLocation } from "../store-url.ts";
import { ChdbExecutor } from "./chdb-executor.ts";
import { ClickHouseStore } from "./clickhouse-store.ts";
import { HttpExecutor } from "./http-executor.ts";

export async function openClickHouseStore(location: Exclude<StoreLocation, { kind: "sqlite" }>): Promise<ClickHouseStore> {
  if (location.kind === "chdb") {
    return ClickHouseStore.open({ executor: await ChdbExecutor.open(location.path), database: location.database });
  }
  const { url, username, password, database, cluster } = location;
  return ClickHouseStore.open({ executor: new HttpExecutor({ url, username, password, database }), database, cluster });
}
