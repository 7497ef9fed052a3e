// Wires the pipeline together on one port: OTLP/HTTP in, the JSON API under /api/v1, the UI at /.
// OTLP/gRPC comes in on a second port (4317).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { createApi, sendJson } from "./api/routes.ts";
import { createStaticUi } from "./http/static-ui.ts";
import { BUILTIN_PRICES, PriceTable, readPriceFile } from "./normalize/prices.ts";
import { ChangeFeed } from "./pipeline/change-feed.ts";
import { createIngest } from "./pipeline/ingest.ts";
import { AnnotationService } from "./query/annotation-service.ts";
import { QueryService } from "./query/query-service.ts";
import { DEFAULT_GRPC_PORT, startOtlpGrpcReceiver } from "./receivers/otlp-grpc.ts";
import { createOtlpHttpReceiver } from "./receivers/otlp-http.ts";
import { SqliteStore } from "./store/sqlite/sqlite-store.ts";
import type { Store } from "./store/store.ts";

export interface ServerOptions {
  /** 0 picks a free port. Default 4318, the OTLP/HTTP standard port. */
  port?: number;
  /** OTLP/gRPC port, on the same host. Default 4317, the OTLP/gRPC standard port; 0 picks a free port; null or false turns gRPC off. */
  grpcPort?: number | null | false;
  host?: string;
  /** Where the database lives. Default ~/.threadline. */
  dataDir?: string;
  /** A JSON price file whose models add to or override the built-in prices. */
  pricesFile?: string;
  /** Largest accepted OTLP body, compressed or not. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Bounds of the write queue (spans and bytes waiting for a commit); past them, exports get 503. */
  writeQueue?: { maxSpans?: number; maxBytes?: number };
  /** Threads that decode, normalize and write exports (0: the main thread). Default: one per core but one, 1 to 4. */
  ingestThreads?: number;
  /** Past this size the SQLite write-ahead log is checkpointed and started over. Default 256 MiB. */
  walLimitBytes?: number;
  /** The built web UI. Default: packages/web/dist beside this package. */
  webDir?: string;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The bound OTLP/gRPC port; null when gRPC is off. */
  grpcPort: number | null;
  store: Store;
  server: Server;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4318;
export const DEFAULT_DATA_DIR = join(homedir(), ".threadline");
const DEFAULT_WEB_DIR = new URL("../../web/dist", import.meta.url).pathname.replace(/\/$/, "");

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((message: string) => console.error(message));
  const prices = PriceTable.fromFile(BUILTIN_PRICES);
  if (options.pricesFile) prices.add(readPriceFile(options.pricesFile));

  const store = new SqliteStore({ path: join(options.dataDir ?? DEFAULT_DATA_DIR, "threadline.db"), walLimitBytes: options.walLimitBytes, log });
  const changes = new ChangeFeed();
  const { ingest, close: closeIngest } = createIngest({
    store, prices, pricesFile: options.pricesFile, changes, threads: options.ingestThreads,
    limits: { maxSpans: options.writeQueue?.maxSpans ?? 200_000, maxBytes: options.writeQueue?.maxBytes ?? 256 * 2 ** 20 },
  });
  const receiveTraces = createOtlpHttpReceiver({
    ingest,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    log,
  });
  const handleApi = createApi(new QueryService(store), new AnnotationService(store, changes), changes, log);
  const serveUi = createStaticUi(options.webDir ?? DEFAULT_WEB_DIR);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname === "/v1/traces") {
        if (req.method !== "POST") return sendJson(res, 405, { error: "OTLP export uses POST" });
        return await receiveTraces(req, res);
      }
      if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return await handleApi(req, res, url);
      return await serveUi(req, res, url);
    } catch (error) {
      log(`${req.method} ${url.pathname} failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error; see the server log" });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? "127.0.0.1", () => resolve());
  });
  const grpc =
    options.grpcPort === null || options.grpcPort === false
      ? null
      : await startOtlpGrpcReceiver({
          ingest,
          maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
          log,
          host: options.host ?? "127.0.0.1",
          port: options.grpcPort ?? DEFAULT_GRPC_PORT,
        }).catch(async (error: unknown) => {
          server.close();
          await store.close();
          throw error;
        });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    grpcPort: grpc?.port ?? null,
    store,
    server,
    async close() {
      await grpc?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      changes.close(); // ends the live event streams, which would otherwise keep the server open
      server.closeIdleConnections();
      await closed;
      await closeIngest();
      await store.close();
    },
  };
}
