// Wires the pipeline together on one port: OTLP/HTTP in, the JSON API under /api/v1, the UI at /.
// OTLP/gRPC comes in on a second port (4317).
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { Authenticator } from "./auth/authenticator.ts";
import { createHttpApp } from "./http/app.ts";
import type { CodeEvaluators } from "./evaluate/code/index.ts";
import { EvaluationService } from "./evaluate/evaluation-service.ts";
import { ReviewService } from "./query/review-service.ts";
import { BUILT_IN_EVALUATORS } from "./evaluate/evaluators/index.ts";
import { builtInsOffThread } from "./evaluate/evaluators/off-thread.ts";
import { DEFAULT_IDLE_MS, EvaluationStage } from "./evaluate/stage.ts";
import { LlmBudget, llmJudges, type LlmSettings } from "./evaluate/llm/judge.ts";
import { judgeSpecs, type JudgeSpec } from "./evaluate/llm/templates.ts";
import { DeletionService } from "./lifecycle/deletion-service.ts";
import { RetentionJob } from "./lifecycle/retention.ts";
import { Metrics } from "./ops/metrics.ts";
import { DEFAULT_CAPS, type SpanCaps } from "./normalize/caps.ts";
import { BUILTIN_PRICES, PriceTable, readPriceFile } from "./normalize/prices.ts";
import { RedactionCounts } from "./normalize/redact/counts.ts";
import { redactionSecret } from "./normalize/redact/secret.ts";
import { redactionProblem, type RedactionPlan, type RedactionSettings } from "./normalize/redact/settings.ts";
import { ChangeFeed } from "./pipeline/change-feed.ts";
import { createIngest } from "./pipeline/ingest.ts";
import { AnnotationService } from "./query/annotation-service.ts";
import { QueryService } from "./query/query-service.ts";
import { DEFAULT_GRPC_PORT, startOtlpGrpcReceiver } from "./receivers/otlp-grpc.ts";
import { createOtlpHttpReceiver } from "./receivers/otlp-http.ts";
import { SqliteAuthStore } from "./store/sqlite/auth-store.ts";
import { openClickHouseStore } from "./store/clickhouse/open.ts";
import { SqliteStore } from "./store/sqlite/sqlite-store.ts";
import { parseStoreUrl } from "./store/store-url.ts";
import type { Store } from "./store/store.ts";

export interface ServerOptions {
  /** 0 picks a free port. Default 4318, the OTLP/HTTP standard port. */
  port?: number;
  /** OTLP/gRPC port, on the same host. Default 4317, the OTLP/gRPC standard port; 0 picks a free port; null or false turns gRPC off. */
  grpcPort?: number | null | false;
  host?: string;
  /**
   * "required": every route needs a key. Default: open on loopback, required on any other
   * address, where "open" is refused unless `insecure` says so.
   */
  auth?: "open" | "required";
  /** Allow listening off loopback with authentication open. */
  insecure?: boolean;
  /** Serve HTTPS, and gRPC over TLS, with this certificate (chain) and key, PEM files. */
  tlsCert?: string;
  tlsKey?: string;
  /** A proxy in front terminates TLS: trust its X-Forwarded-* headers and mark the session cookie Secure. */
  trustProxy?: boolean;
  /** Where the database lives. Default ~/.threadline. */
  dataDir?: string;
  /** A JSON price file whose models add to or override the built-in prices. */
  pricesFile?: string;
  /** Largest accepted OTLP body, compressed or not. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Bounds on one export: spans, attributes per span, characters of a value (normalize/caps.ts). */
  caps?: Partial<SpanCaps>;
  /** Live event streams (the UI's live updates) open at once. Default 1,000. */
  maxSubscribers?: number;
  /** Bounds of the write queue (spans and bytes waiting for a commit); past them, exports get 503. */
  writeQueue?: { maxSpans?: number; maxBytes?: number };
  /** Threads that decode, normalize and write exports (0: the main thread). Default: one per core but one, 1 to 4. */
  ingestThreads?: number;
  /** Where the data lives (store/store-url.ts): clickhouse://..., chdb:PATH; absent: SQLite in dataDir. */
  store?: string;
  /** Past this size the SQLite write-ahead log is checkpointed and started over. Default 256 MiB. */
  walLimitBytes?: number;
  /** Days of data kept (by a trace's start), for every project without its own setting; null or absent: all. */
  retentionDays?: number | null;
  /** What is redacted before anything is stored, for every project without its own (docs/redaction.md). */
  redaction?: RedactionSettings;
  /** Per-project settings over the defaults. */
  projects?: Record<string, { retentionDays?: number | null; sessionIdleMs?: number; redaction?: RedactionSettings }>;
  /** How often retention runs. Default an hour. */
  retentionIntervalMs?: number;
  /** Quiet time after which a session is idle and evaluated, in ms. Default 15 minutes; per project in `projects`. */
  sessionIdleMs?: number;
  /** The built-in evaluators to run (names); default all, [] none. */
  evaluators?: string[];
  /** Evaluation jobs run at once. Default 2. */
  evaluationConcurrency?: number;
  /** How often the evaluation stage looks for idle sessions and due jobs (tests). */
  evaluationTickMs?: number;
  /** The share of time the evaluation runner works through a backlog (evaluate/stage.ts). Default 0.2. */
  evaluationShare?: number;
  /** LLM-as-judge evaluators, off until an OpenAI-compatible endpoint is set. */
  llm?: LlmSettings & { judges?: string[]; templates?: Record<string, JudgeSpec> };
  /** Evaluators of your own, loaded by loadCodeEvaluators (evaluate/code/); the server stops their thread on close. */
  codeEvaluators?: CodeEvaluators;
  /** The built web UI. Default: packages/web/dist beside this package. */
  webDir?: string;
  /** Where log lines go, one JSON object each (default: standard error). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The bound OTLP/gRPC port; null when gRPC is off. */
  grpcPort: number | null;
  /** Whether every request needs a key. */
  authRequired: boolean;
  store: Store;
  server: Server;
  retention: RetentionJob;
  evaluation: EvaluationStage;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4318;
export const DEFAULT_DATA_DIR = join(homedir(), ".threadline");
const DEFAULT_WEB_DIR = new URL("../../web/dist", import.meta.url).pathname.replace(/\/$/, "");

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = createLogger(options.log);
  const log = (message: string) => logger.warn(message);
  const listenHost = options.host ?? "127.0.0.1";
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const badRedaction = redactionProblem(options.redaction, options.projects);
  if (badRedaction) throw new Error(badRedaction);
  const redaction: RedactionPlan = { defaults: options.redaction, projects: options.projects, secret: redactionSecret(dataDir) };
  const authStore = new SqliteAuthStore(join(dataDir, "auth.db"));
  let auth: Authenticator;
  try {
    auth = new Authenticator(authStore, authMode(listenHost, options, authStore.activeKeyCount() + authStore.accountCount()) === "required");
  } catch (error) {
    authStore.close();
    throw error;
  }
  let tls: { key: Buffer; cert: Buffer } | undefined;
  try {
    tls = readTls(options);
  } catch (error) {
    authStore.close();
    throw error;
  }
  const prices = PriceTable.fromFile(BUILTIN_PRICES);
  if (options.pricesFile) prices.add(readPriceFile(options.pricesFile));

  let store: Store;
  try {
    const location = parseStoreUrl(options.store);
    store = location.kind === "sqlite"
      ? new SqliteStore({ path: join(dataDir, "threadline.db"), walLimitBytes: options.walLimitBytes, log })
      : await openClickHouseStore(location);
  } catch (error) {
    authStore.close();
    throw error;
  }
  const redactionCounts = new RedactionCounts(redaction, store);
  const changes = new ChangeFeed();
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const limits = { maxSpans: options.writeQueue?.maxSpans ?? 200_000, maxBytes: options.writeQueue?.maxBytes ?? 256 * 2 ** 20 };
  const metrics = new Metrics(() => stage.depth());
  const caps = { ...DEFAULT_CAPS, ...options.caps };
  const stage = createIngest({
    store, prices, pricesFile: options.pricesFile, changes, threads: options.ingestThreads, limits, caps, metrics, redaction,
    redacted: (counts) => {
      redactionCounts.add(counts);
      for (const [project, detector, n] of counts) metrics.redacted(project, detector, n);
    },
    // Ended sessions are due their evaluations now, not at the next look for idle ones.
    sessionsEnded: () => evaluation.wake(),
  });
  const { ingest, close: closeIngest } = stage;
  let closing = false;
  const notReady = () => {
    if (closing) return "shutting down";
    const { spans, bytes } = stage.depth();
    return spans >= limits.maxSpans * 0.9 || bytes >= limits.maxBytes * 0.9 ? "the write queue is nearly full" : null;
  };
  const deletion = new DeletionService(store, changes, (traces) => metrics.deleted("erasure", traces));
  const retention = new RetentionJob({
    store, log, policy: { days: options.retentionDays ?? null, projects: options.projects ?? {} }, intervalMs: options.retentionIntervalMs,
    onExpired: (traces) => metrics.deleted("retention", traces),
  });
  const queries = new QueryService(store);
  const idleMs = (project: string) => options.projects?.[project]?.sessionIdleMs ?? options.sessionIdleMs ?? DEFAULT_IDLE_MS;
  let lastTraffic = 0;
  const llm = options.llm?.baseUrl && options.llm.model ? options.llm : null;
  const budget = llm ? new LlmBudget(llm, store) : null;
  const judges = llm && budget ? llmJudges(llm, judgeSpecs(llm.judges, llm.templates), budget) : [];
  const builtIns = builtInsOffThread(BUILT_IN_EVALUATORS.filter((e) => options.evaluators?.includes(e.name) ?? true));
  const evaluation = new EvaluationStage({
    store, idleMs, log, concurrency: options.evaluationConcurrency, tickMs: options.evaluationTickMs, share: options.evaluationShare,
    busy: () => Date.now() - lastTraffic < 1000,
    evaluators: [...builtIns.evaluators, ...judges, ...(options.codeEvaluators?.evaluators ?? [])],
    onFinished: (evaluator, outcome) => metrics.evaluated(evaluator, outcome),
  });
  const annotations = new AnnotationService(store, changes);
  const app = await createHttpApp({
    logger,
    evaluations: new EvaluationService(store, queries, annotations, evaluation, budget),
    reviews: new ReviewService(store, queries, changes),
    services: { queries, annotations, deletion, changes, redaction: redactionCounts, maxSubscribers: options.maxSubscribers },
    receiveTraces: createOtlpHttpReceiver({ ingest, refuses: stage.refuses, metrics, maxBodyBytes, log }),
    receiveLogs: createOtlpHttpReceiver({ ingest, refuses: stage.refuses, metrics, maxBodyBytes, log, signal: "logs" }),
    maxBodyBytes,
    webDir: options.webDir ?? DEFAULT_WEB_DIR,
    auth,
    authStore,
    tls,
    trustProxy: options.trustProxy ?? false,
    secureCookies: Boolean(tls) || (options.trustProxy ?? false),
    metrics,
    notReady,
    onTraffic: () => void (lastTraffic = Date.now()),
    // Open on loopback: only requests that name loopback (or the address listened on) are answered.
    allowedHosts: auth.required || !isLoopback(listenHost) ? null : new Set([listenHost.toLowerCase()]),
  });
  await app.listen({ port: options.port ?? DEFAULT_PORT, host: listenHost, listenTextResolver: (address) => `listening on ${address}` });
  const server = app.server;

  const grpc =
    options.grpcPort === null || options.grpcPort === false
      ? null
      : await startOtlpGrpcReceiver({
          // Exports over gRPC count as traffic too: background work yields to them.
          ingest: (request) => {
            lastTraffic = Date.now();
            return ingest(request);
          },
          maxBodyBytes,
          log,
          auth,
          metrics,
          host: listenHost,
          port: options.grpcPort ?? DEFAULT_GRPC_PORT,
          tls,
        }).catch(async (error: unknown) => {
          await app.close();
          await closeIngest();
          await store.close();
          authStore.close();
          throw error;
        });
  retention.start();
  evaluation.start(Object.values(options.projects ?? {}).flatMap((p) => (p.sessionIdleMs ? [p.sessionIdleMs] : [])));
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";

  return {
    url: `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    grpcPort: grpc?.port ?? null,
    authRequired: auth.required,
    store,
    server,
    retention,
    evaluation,
    async close() {
      closing = true;
      await retention.stop();
      await evaluation.stop();
      await builtIns.close();
      await options.codeEvaluators?.close();
      await grpc?.close();
      changes.close(); // ends the live event streams, which would otherwise keep the server open
      await app.close();
      await closeIngest();
      await redactionCounts.flush();
      await store.close();
      authStore.close();
    },
  };
}

/** The certificate and key, when both are given (one alone is a mistake worth stopping for). */
function readTls({ tlsCert, tlsKey }: ServerOptions): { key: Buffer; cert: Buffer } | undefined {
  if (!tlsCert && !tlsKey) return undefined;
  if (!tlsCert || !tlsKey) throw new Error("TLS needs both --tls-cert and --tls-key");
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`, { cause: error });
    }
  };
  return { cert: read(tlsCert, "certificate"), key: read(tlsKey, "key") };
}

/** JSON lines to standard error, or to `write` (tests and benches collect them). */
function createLogger(write?: (line: string) => void): Logger {
  const destination = write ? { write: (line: string) => write(line.trimEnd()) } : pino.destination(2);
  return pino({ level: process.env.THREADLINE_LOG_LEVEL ?? "info" }, destination);
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Open or required, refusing what would expose conversations or lock everyone out. */
function authMode(host: string, options: ServerOptions, keys: number): "open" | "required" {
  const mode = options.auth ?? (isLoopback(host) || options.insecure ? "open" : "required");
  if (mode === "open" && !isLoopback(host) && !options.insecure) {
    throw new Error(`refusing to listen on ${host} with authentication off: create a key (threadline keys create) and leave it on, or pass --insecure`);
  }
  if (mode === "required" && keys === 0) {
    throw new Error(
      `authentication is required on ${host} but there is no key or account yet: create an admin with ` +
        "`threadline users create --login <you> --project '*' --role admin` (and an ingest key for each app: " +
        "`threadline keys create --project <name> --kind ingest`), or pass --insecure",
    );
  }
  return mode;
}
