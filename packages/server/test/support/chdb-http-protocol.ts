// The ClickHouse HTTP interface side of chdb-http.ts: reading a request (auth, body, settings,
// parameters) and answering errors with the statuses and bodies a ClickHouse server gives.
import type http from "node:http";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { version as chdbVersion, type RawInsertFormat } from "chdb";

/** URL parameters the HTTP handler reads itself; all others (but param_*) are settings. */
const HANDLER_PARAMS = new Set([
  "query", "database", "default_format", "query_id", "session_id", "session_timeout", "session_check",
  "user", "password", "quota_key", "buffer_size", "wait_end_of_query", "compress", "decompress", "role",
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Client-shaped inserts (`INSERT INTO db.t (a, b) FORMAT F`) go through chdb's zero-copy insert. */
const PLAIN_INSERT = /^\s*INSERT\s+INTO\s+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*(?:\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*\))?\s*FORMAT\s+(\w+)\s*$/i;
const ENGINE_VERSION = chdbVersion().libchdb.replace(/"/g, "");
const RAW_FORMATS = new Set<string>(["JSONEachRow", "JSONCompactEachRow", "CSV", "CSVWithNames", "TSV", "TabSeparated", "TSVWithNames", "TabSeparatedWithNames"]);

/** HTTP status per exception name, as src/Server/HTTP/exceptionCodeToHTTPStatus.cpp maps them. */
const STATUS_BY_NAME = new Map<string, number>([
  ["REQUIRED_PASSWORD", 401],
  ...["UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE", "ACCESS_DENIED"].map((n) => [n, 403] as const),
  ...["BAD_ARGUMENTS", "CANNOT_COMPILE_REGEXP", "CANNOT_PARSE_TEXT", "CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_QUOTED_STRING",
    "CANNOT_PARSE_DATE", "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER", "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING", "CANNOT_PARSE_IPV4",
    "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED", "CANNOT_PARSE_UUID", "DUPLICATE_COLUMN", "ILLEGAL_COLUMN",
    "UNKNOWN_ELEMENT_IN_AST", "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST", "TOO_BIG_AST",
    "UNEXPECTED_AST_STRUCTURE", "SYNTAX_ERROR", "INCORRECT_DATA", "TYPE_MISMATCH", "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
  ].map((n) => [n, 400] as const),
  ...["UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER", "UNKNOWN_TYPE", "UNKNOWN_STORAGE", "UNKNOWN_DATABASE",
    "UNKNOWN_SETTING", "UNKNOWN_DIRECTION_OF_SORTING", "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT", "UNKNOWN_DATABASE_ENGINE",
    "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE",
  ].map((n) => [n, 404] as const),
  ["QUERY_IS_TOO_LARGE", 413], ["NOT_IMPLEMENTED", 501], ["SOCKET_TIMEOUT", 503], ["CANNOT_OPEN_FILE", 503],
  ["HTTP_LENGTH_REQUIRED", 411], ["TIMEOUT_EXCEEDED", 408], ["CANNOT_SCHEDULE_TASK", 503], ["UNSUPPORTED_MEDIA_TYPE", 415],
]);

/** An error to answer the way ClickHouse would. */
export class ClickHouseHttpError extends Error {
  readonly code: number;
  readonly type: string;
  readonly status: number;
  /** `status` for a request malformed at the HTTP level, which a server would answer 500 but is the caller's fault. */
  constructor(code: number, type: string, message: string, status = STATUS_BY_NAME.get(type) ?? 500) {
    super(message);
    this.code = code;
    this.type = type;
    this.status = status;
  }
  /** ClickHouse's error body; chdb's messages already carry "Code: N. DB::Exception: … (TYPE)". */
  get body(): string {
    const text = this.message.startsWith("Code: ") ? this.message : `Code: ${this.code}. DB::Exception: ${this.message}. (${this.type})`;
    return `${text}${/\(version [^)]*\)\s*$/.test(text) ? "" : ` (version ${ENGINE_VERSION})`}\n`;
  }
  static from(error: unknown): ClickHouseHttpError {
    if (error instanceof ClickHouseHttpError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { clickhouseCode?: unknown } | null)?.clickhouseCode;
    if (typeof code !== "number") return new ClickHouseHttpError(1001, "STD_EXCEPTION", message);
    // The innermost exception names the type: "… (UNKNOWN_TABLE)" or "… (UNKNOWN_TABLE) (version …)".
    const types = [...message.matchAll(/\(([A-Z][A-Z0-9_]{2,})\)/g)];
    return new ClickHouseHttpError(code, types.at(-1)?.[1] ?? "UNKNOWN_EXCEPTION", message);
  }
}


export interface ParsedRequest {
  sql: string;
  /** Rows for a client-shaped INSERT, handed to chdb's insert as they are. */
  insert?: { table: string; columns?: string[]; format: RawInsertFormat; rows: Buffer };
  database: string;
  format: string;
  assignments: string[];
  settingNames: string[];
}

export const sqlString = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
export const sqlIdentifier = (name: string) => `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``;
export const digest = (value: string) => createHash("sha256").update(value).digest();
const decoders: Record<string, (data: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

export function contentType(format: string): string {
  if (/^JSON/i.test(format)) return "application/json; charset=UTF-8";
  if (/^(TSV|TabSeparated)/i.test(format)) return "text/tab-separated-values; charset=UTF-8";
  if (/^CSV/i.test(format)) return "text/csv; charset=UTF-8";
  return "text/plain; charset=UTF-8";
}

export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  // Past the limit the rest is read and dropped rather than the socket destroyed, so the 413 arrives.
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      const wasWithin = size <= limit;
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (wasWithin) {
        chunks.length = 0;
        reject(new ClickHouseHttpError(307, "QUERY_IS_TOO_LARGE", `Request body is larger than ${limit} bytes`));
      }
    });
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
  const encoding = String(req.headers["content-encoding"] ?? "").trim().toLowerCase();
  if (!encoding || encoding === "identity" || raw.length === 0) return raw;
  const decode = decoders[encoding];
  if (!decode) throw new ClickHouseHttpError(36, "BAD_ARGUMENTS", `Unknown Content-Encoding of HTTP request: ${encoding}`);
  try {
    return await decode(raw, { maxOutputLength: limit });
  } catch (error) {
    throw new ClickHouseHttpError(271, "CANNOT_DECOMPRESS", `Cannot decompress the ${encoding} request body: ${(error as Error).message}`, 400);
  }
}

/** The user and key the request presents, by any of the ways ClickHouse accepts; more than one is refused. */
export function credentials(req: http.IncomingMessage, params: URLSearchParams): { user: string; key: string } {
  const ways: { user: string; key: string }[] = [];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    ways.push(colon < 0 ? { user: decoded, key: "" } : { user: decoded.slice(0, colon), key: decoded.slice(colon + 1) });
  }
  const headerUser = req.headers["x-clickhouse-user"];
  if (headerUser !== undefined) ways.push({ user: String(headerUser), key: String(req.headers["x-clickhouse-key"] ?? "") });
  if (params.has("user")) ways.push({ user: params.get("user") ?? "", key: params.get("password") ?? "" });
  if (ways.length > 1) throw new ClickHouseHttpError(516, "AUTHENTICATION_FAILED", "Invalid authentication: it is not allowed to use more than one authentication method at once");
  return ways[0] ?? { user: "default", key: "" };
}

/** The statement, its data and what to set before it, from the URL and body. */
export function parseRequest(req: http.IncomingMessage, params: URLSearchParams, body: Buffer): ParsedRequest {
  const inUrl = params.get("query");
  const isGet = req.method === "GET" || req.method === "HEAD";
  let sql = inUrl ?? (isGet ? "" : body.toString("utf8"));
  let insert: ParsedRequest["insert"];
  if (inUrl !== null && !isGet) {
    const plain = PLAIN_INSERT.exec(inUrl);
    const format = plain ? [...RAW_FORMATS].find((f) => f.toLowerCase() === plain[3].toLowerCase()) : undefined;
    // An empty body inserts nothing, as on a server (chdb alone would say NO_DATA_TO_INSERT).
    if (plain && format) insert = { table: plain[1], columns: plain[2]?.split(",").map((c) => c.trim()), format: format as RawInsertFormat, rows: body };
    else if (body.length > 0) sql = `${inUrl}\n${body.toString("utf8")}`;
  }
  if (!sql.trim()) throw new ClickHouseHttpError(62, "SYNTAX_ERROR", "Empty query");

  const assignments: string[] = [];
  const settingNames: string[] = [];
  // GET is for reads (ClickHouse's readonly=2: reads and SETs only).
  if (isGet) assignments.push("readonly = '2'");
  for (const [key, value] of params) {
    if (HANDLER_PARAMS.has(key)) continue;
    if (!NAME.test(key)) throw new ClickHouseHttpError(36, "BAD_ARGUMENTS", `Invalid setting or parameter name: ${JSON.stringify(key.slice(0, 100))}`);
    // Set as text: the engine parses it for the setting's type, and a param_ as the HTTP interface does.
    assignments.push(`${key} = ${sqlString(value)}`);
    if (!key.startsWith("param_")) settingNames.push(key);
  }
  const database = params.get("database") || String(req.headers["x-clickhouse-database"] ?? "") || "default";
  const format = params.get("default_format") || String(req.headers["x-clickhouse-format"] ?? "") || "TabSeparated";
  if (!NAME.test(format)) throw new ClickHouseHttpError(73, "UNKNOWN_FORMAT", `Unknown format ${JSON.stringify(format.slice(0, 100))}`);
  return { sql, insert, database, format, assignments, settingNames };
}

/** The output format the reply is in: a trailing FORMAT clause of a non-INSERT wins over the default. */
export function outputFormat(sql: string, fallback: string): string {
  if (/^\s*INSERT\b/i.test(sql)) return fallback;
  return /\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$/i.exec(sql)?.[1] ?? fallback;
}

