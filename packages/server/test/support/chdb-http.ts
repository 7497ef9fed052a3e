// One chdb engine (ClickHouse as a library) served over the subset of ClickHouse's HTTP interface
// that @clickhouse/client uses, so that real `threadline serve` processes reach one ClickHouse
// engine with the real client in multi-process tests. libchdb opens one data directory per
// process, which is why a single process must own it and serve everyone else.
//
//   GET|HEAD /ping, GET / (no query)  -> "Ok.\n"
//   POST /  body = SQL                 (or ?query=SQL; GET runs read-only, as ClickHouse does)
//   POST /?query=INSERT … FORMAT F     body = the rows
//   URL: database, default_format, query_id, session_id, session_timeout, param_<name> (escaped
//        text, \N for NULL, parsed by the engine exactly as the HTTP interface does), settings
//        (for that query only). Auth: Basic, X-ClickHouse-User/Key or user/password params.
//   Compression: gzip/deflate/br request bodies; gzip responses with enable_http_compression=1.
//   Errors: ClickHouse's statuses, X-ClickHouse-Exception-Code, "Code: N. DB::Exception: … (TYPE)".
//
// Run as a process: node packages/server/test/support/chdb-http.ts --path DIR [--port N]
//   [--host H] [--user U --password P] [--pool N]; it prints its URL on stdout.
import http from "node:http";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import zlib from "node:zlib";
import { Session, type ChdbResult } from "chdb";
import { ClickHouseHttpError, contentType, credentials, digest, outputFormat, parseRequest, readBody, sqlIdentifier, sqlString, type ParsedRequest } from "./chdb-http-protocol.ts";

export interface ChdbHttpOptions {
  /** The data directory; created if missing. One per process (a libchdb limit). */
  path: string;
  /** The one account the server accepts. Default: user "default" with an empty password. */
  user?: string;
  password?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Queries run at once (each on its own chdb connection); further ones wait. Default 4. */
  poolSize?: number;
  /** Largest request body accepted, before and after decompression. Default 256 MiB. */
  maxBodyBytes?: number;
  /** Called once per request, for tests that check what the client sent. */
  log?: (entry: ChdbHttpLogEntry) => void;
}

export interface ChdbHttpLogEntry {
  method: string;
  path: string;
  params: Record<string, string>;
  status: number;
  ms: number;
  sql?: string;
  error?: string;
}

export interface ChdbHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Every connection starts with a ClickHouse server's defaults where chdb's differ. */
const SERVER_DEFAULTS = ["--async_insert=0", "--implicit_select=0"];

const MAX_NAMED_SESSIONS = 64;

/** At most `size` holders at once; the rest queue in arrival order. */
class Slots {
  #free: number;
  #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async take(): Promise<void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/** A session_id's own connection: SETs and temporary tables live on, one query at a time. */
interface NamedSession {
  session: Session;
  queue: Promise<void>;
  timer?: NodeJS.Timeout;
}

export async function startChdbHttp(options: ChdbHttpOptions): Promise<ChdbHttpServer> {
  const { path, host = "127.0.0.1", port = 0, poolSize = 4, maxBodyBytes = 256 * 1024 * 1024, log } = options;
  const expectedUser = digest(options.user ?? "default");
  const expectedKey = digest(options.password ?? "");
  const connect = () => new Session(path, { connectionArgs: SERVER_DEFAULTS });
  // Holds the engine open between requests, and fails start-up early for a bad or taken path.
  const anchor = connect();
  const slots = new Slots(poolSize);
  const named = new Map<string, NamedSession>();
  const running = new Set<string>();

  /**
   * One statement on a connection of its own: chdb keeps a SET and a query parameter on the
   * connection for good (a parameter cannot even be unset), so a fresh connection (under a
   * millisecond) is what scopes URL settings and parameters to one query, as ClickHouse does.
   */
  async function execute(request: ParsedRequest, sessionId: string | null, timeoutSeconds: number) {
    if (!sessionId) {
      await slots.take();
      const session = connect();
      try {
        return await run(session, request);
      } finally {
        session.close();
        slots.give();
      }
    }
    let entry = named.get(sessionId);
    if (!entry) {
      if (named.size >= MAX_NAMED_SESSIONS) throw new ClickHouseHttpError(202, "TOO_MANY_SIMULTANEOUS_QUERIES", `More than ${MAX_NAMED_SESSIONS} sessions are open`);
      entry = { session: connect(), queue: Promise.resolve() };
      named.set(sessionId, entry);
    }
    const current = entry;
    clearTimeout(current.timer);
    const previous = current.queue;
    let done = () => {};
    current.queue = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      return await runInSession(current.session, request);
    } finally {
      current.timer = setTimeout(() => closeNamed(sessionId), timeoutSeconds * 1000).unref();
      done();
    }
  }

  async function run(session: Session, request: ParsedRequest): Promise<{ result?: ChdbResult; writtenRows?: number }> {
    const prefix = [`USE ${sqlIdentifier(request.database)}`];
    if (request.assignments.length) prefix.push(`SET ${request.assignments.join(", ")}`);
    await session.queryAsync(prefix.join("; "));
    if (request.insert) {
      const { table, columns, format, rows } = request.insert;
      const summary = await session.insert({ table, columns, format, values: rows });
      return { writtenRows: summary.rowsWritten };
    }
    return { result: await session.queryAsync(request.sql, { format: request.format }) };
  }

  /** In a named session URL settings still hold for one query: the values before are put back. */
  async function runInSession(session: Session, request: ParsedRequest) {
    const names = request.settingNames.filter((n) => n !== "readonly");
    const before = names.length
      ? (await session.queryAsync(`SELECT name, value, changed FROM system.settings WHERE name IN (${names.map(sqlString).join(", ")})`, { format: "JSONEachRow" }))
          .text().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { name: string; value: string; changed: number })
      : [];
    try {
      return await run(session, request);
    } finally {
      const restore = before.map((s) => `${s.name} = ${s.changed ? sqlString(s.value) : "DEFAULT"}`);
      if (restore.length) await session.queryAsync(`SET ${restore.join(", ")}`).catch(() => {});
    }
  }

  function closeNamed(sessionId: string) {
    const entry = named.get(sessionId);
    if (!entry) return;
    named.delete(sessionId);
    clearTimeout(entry.timer);
    void entry.queue.then(() => entry.session.close());
  }

  async function handleQuery(req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams, logEntry: ChdbHttpLogEntry) {
    const queryId = params.get("query_id") || randomUUID();
    const sessionId = params.get("session_id");
    try {
      const { user, key } = credentials(req, params);
      // Compared as digests so that neither length nor content shows in the timing.
      if (!timingSafeEqual(digest(user), expectedUser) || !timingSafeEqual(digest(key), expectedKey)) {
        throw new ClickHouseHttpError(516, "AUTHENTICATION_FAILED", `${user}: Authentication failed: password is incorrect, or there is no user with such name`);
      }
      const request = parseRequest(req, params, await readBody(req, maxBodyBytes));
      logEntry.sql = request.sql.length > 500 ? `${request.sql.slice(0, 500)}…` : request.sql;
      const timeout = Number(params.get("session_timeout") ?? 60);
      if (sessionId !== null && (!sessionId || !Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)) {
        throw new ClickHouseHttpError(36, "BAD_ARGUMENTS", "session_id must not be empty and session_timeout must be between 0 and 3600 seconds");
      }
      // GET's readonly could not be taken back off a session's connection (nor a parameter: in a
      // session they stay set, a chdb limit), so sessions take POST only.
      if (sessionId !== null && req.method !== "POST") throw new ClickHouseHttpError(36, "BAD_ARGUMENTS", "Queries in a session (session_id) must be sent with POST");
      if (running.has(queryId)) throw new ClickHouseHttpError(216, "QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING", `Query with id = ${queryId} is already running`);
      running.add(queryId);
      const started = process.hrtime.bigint();
      let outcome;
      try {
        outcome = await execute(request, sessionId, timeout);
      } finally {
        running.delete(queryId);
      }
      const out = outcome.result ? Buffer.from(outcome.result.bytes()) : Buffer.alloc(0);
      const summary: Record<string, string> = {
        read_rows: String(outcome.result?.rowsRead ?? 0),
        read_bytes: String(outcome.result?.bytesRead ?? 0),
        written_rows: String(outcome.writtenRows ?? 0),
        written_bytes: "0",
        total_rows_to_read: String(outcome.result?.rowsRead ?? 0),
        result_bytes: String(out.length),
        elapsed_ns: String(process.hrtime.bigint() - started),
      };
      const format = outputFormat(request.sql, request.format);
      const compress = /^(1|true)$/i.test(params.get("enable_http_compression") ?? "") && /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? ""));
      res.writeHead(200, {
        "Content-Type": contentType(format),
        "X-ClickHouse-Query-Id": queryId,
        "X-ClickHouse-Format": format,
        "X-ClickHouse-Summary": JSON.stringify(summary),
        "X-ClickHouse-Timezone": "UTC",
        ...(sessionId ? { "X-ClickHouse-Session-Id": sessionId } : {}),
        ...(compress ? { "Content-Encoding": "gzip" } : {}),
      });
      res.end(compress ? await promisify(zlib.gzip)(out, { level: 1 }) : out);
      logEntry.status = 200;
    } catch (caught) {
      const error = ClickHouseHttpError.from(caught);
      logEntry.status = error.status;
      logEntry.error = error.body.trim();
      if (res.headersSent) return void res.destroy();
      res.writeHead(error.status, {
        "Content-Type": "text/plain; charset=UTF-8",
        "X-ClickHouse-Exception-Code": String(error.code),
        "X-ClickHouse-Query-Id": queryId,
        // A body we stopped reading cannot be drained: close rather than reuse the connection.
        ...(req.complete ? {} : { Connection: "close" }),
      });
      res.end(error.body);
    }
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const [pathname, search = ""] = (req.url ?? "/").split("?", 2);
    const params = new URLSearchParams(search);
    const logEntry: ChdbHttpLogEntry = { method: req.method ?? "", path: pathname, params: Object.fromEntries(params), status: 0, ms: 0 };
    const finish = () => {
      logEntry.ms = +(performance.now() - started).toFixed(1);
      log?.(logEntry);
    };
    const plain = (status: number, text: string) => {
      logEntry.status = status;
      res.writeHead(status, { "Content-Type": "text/plain; charset=UTF-8" });
      res.end(req.method === "HEAD" ? undefined : text);
      finish();
    };
    const isRead = req.method === "GET" || req.method === "HEAD";
    if ((pathname === "/ping" || pathname === "/replicas_status") && isRead) return plain(200, "Ok.\n");
    if (pathname !== "/") return plain(404, `There is no handle ${pathname.slice(0, 200)}\n\nUse / or /ping for health checks.\n`);
    if (isRead && !params.has("query")) return plain(200, "Ok.\n");
    if (!isRead && req.method !== "POST") return plain(405, `Method ${req.method} is not allowed: use GET or POST.\n`);
    handleQuery(req, res, params, logEntry)
      .catch((error: unknown) => {
        // Last resort: handleQuery answers its own errors; never let one take the process down.
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=UTF-8" });
        res.end(`Code: 1001. DB::Exception: ${String(error)}. (STD_EXCEPTION)\n`);
      })
      .finally(finish);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    anchor.close();
    throw error;
  }
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`,
    async close() {
      // Idle keep-alive sockets close at once; requests under way finish first.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const sessions = [...named.entries()];
      for (const [sessionId] of sessions) closeNamed(sessionId);
      await Promise.all(sessions.map(([, entry]) => entry.queue));
      anchor.close();
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      path: { type: "string" }, port: { type: "string", default: "8123" }, host: { type: "string", default: "127.0.0.1" },
      user: { type: "string" }, password: { type: "string" }, pool: { type: "string", default: "4" },
    },
  });
  if (!values.path) {
    console.error("usage: chdb-http.ts --path DIR [--port 8123] [--host 127.0.0.1] [--user U --password P] [--pool 4]");
    process.exit(2);
  }
  const server = await startChdbHttp({
    path: values.path, host: values.host, port: Number(values.port), poolSize: Number(values.pool),
    user: values.user, password: values.password,
  });
  console.log(server.url);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
