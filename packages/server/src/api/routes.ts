// The JSON API under /api/v1: routes to the query and annotation services; errors as { error }.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChangeFeed } from "../pipeline/change-feed.ts";
import type { AnnotationService } from "../query/annotation-service.ts";
import { QueryError, type QueryService } from "../query/query-service.ts";
import { openApiDocument } from "./openapi.ts";

type Params = Record<string, string>;
interface Request {
  path: string[];
  query: Params;
  body: () => Promise<unknown>;
}
/** A JSON answer, or a function that writes the response itself (streams). */
type Answer = unknown | ((res: ServerResponse) => void | Promise<void>);
type Route = [method: string, pattern: RegExp, handler: (request: Request) => Promise<Answer>];

const P = "/api/v1/projects/([^/]+)";
const MAX_BODY = 1024 * 1024;

export function createApi(queries: QueryService, annotations: AnnotationService, changes: ChangeFeed, log: (message: string) => void) {
  const routes: Route[] = [
    ["GET", /^\/api\/openapi\.json$/, async () => openApiDocument],
    ["GET", /^\/api\/v1\/projects$/, () => queries.listProjects()],
    ["GET", new RegExp(`^${P}/sessions$`), ({ path: [p], query }) => queries.listSessions(p, query)],
    ["GET", new RegExp(`^${P}/session-stats$`), ({ path: [p], query }) => queries.sessionStats(p, query)],
    ["GET", new RegExp(`^${P}/sessions/([^/]+)$`), ({ path: [p, id] }) => queries.getSession(p, id)],
    ["GET", new RegExp(`^${P}/sessions/([^/]+)/traces$`), ({ path: [p, id], query }) => queries.listSessionTraces(p, id, query)],
    ["GET", new RegExp(`^${P}/sessions/([^/]+)/conversation$`), ({ path: [p, id], query }) => queries.conversation(p, id, query)],
    ["GET", new RegExp(`^${P}/sessions/([^/]+)/export$`), async ({ path: [p, id] }) => {
      const chunks = await queries.exportSession(p, id);
      return async (res: ServerResponse) => {
        res.writeHead(200, {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Disposition": `attachment; filename="session-${id.replace(/[^\w.-]+/g, "_")}.json"`,
        });
        for await (const chunk of chunks) if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
        res.end();
      };
    }],
    ["GET", new RegExp(`^${P}/sessions/([^/]+)/annotations$`), ({ path: [p, sessionId] }) => annotations.list(p, { type: "session", sessionId })],
    ["POST", new RegExp(`^${P}/sessions/([^/]+)/annotations$`), async ({ path: [p, sessionId], body }) => created(await annotations.put(p, { type: "session", sessionId }, await body()))],
    ["GET", new RegExp(`^${P}/traces/([^/]+)$`), ({ path: [p, id] }) => queries.getTrace(p, id)],
    ["GET", new RegExp(`^${P}/traces/([^/]+)/annotations$`), ({ path: [p, traceId] }) => annotations.list(p, { type: "trace", traceId: traceId.toLowerCase() })],
    ["POST", new RegExp(`^${P}/traces/([^/]+)/annotations$`), async ({ path: [p, traceId], body }) => created(await annotations.put(p, { type: "trace", traceId: traceId.toLowerCase() }, await body()))],
    ["GET", new RegExp(`^${P}/traces/([^/]+)/spans/([^/]+)/annotations$`), ({ path: [p, traceId, spanId] }) => annotations.list(p, { type: "span", traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase() })],
    ["POST", new RegExp(`^${P}/traces/([^/]+)/spans/([^/]+)/annotations$`), async ({ path: [p, traceId, spanId], body }) => created(await annotations.put(p, { type: "span", traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase() }, await body()))],
    ["PATCH", new RegExp(`^${P}/annotations/([^/]+)$`), async ({ path: [p, id], body }) => annotations.patch(p, id, await body())],
    ["DELETE", new RegExp(`^${P}/annotations/([^/]+)$`), async ({ path: [p, id] }) => {
      await annotations.delete(p, id);
      return (res: ServerResponse) => void res.writeHead(204).end();
    }],
    ["GET", new RegExp(`^${P}/annotation-names$`), ({ path: [p] }) => annotations.names(p)],
    ["GET", new RegExp(`^${P}/users$`), ({ path: [p], query }) => queries.listUsers(p, query)],
    ["GET", new RegExp(`^${P}/users/([^/]+)$`), ({ path: [p, id] }) => queries.getUser(p, id)],
    ["GET", new RegExp(`^${P}/search$`), ({ path: [p], query }) => queries.search(p, query)],
    ["GET", new RegExp(`^${P}/events$`), async ({ path: [p] }) => (res: ServerResponse) => streamChanges(res, changes, p)],
  ];

  return async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const matching = routes.filter(([, pattern]) => pattern.test(url.pathname));
      if (matching.length === 0) return sendJson(res, 404, { error: `no API route ${url.pathname}` });
      const method = req.method === "HEAD" ? "GET" : req.method;
      const route = matching.find(([m]) => m === method);
      if (!route) {
        res.setHeader("Allow", matching.map(([m]) => m).join(", "));
        return sendJson(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
      }
      // Path segments are matched while still encoded, so ids may contain "/".
      const path = (route[1].exec(url.pathname) as RegExpExecArray).slice(1).map((segment) => decodeURIComponent(segment));
      const answer = await route[2]({ path, query: Object.fromEntries(url.searchParams), body: () => readJson(req) });
      if (typeof answer === "function") return await (answer as (res: ServerResponse) => Promise<void>)(res);
      if (answer instanceof Created) return sendJson(res, answer.created ? 201 : 200, answer.body);
      sendJson(res, 200, answer);
    } catch (error) {
      if (error instanceof QueryError) return sendJson(res, error.status, { error: error.message });
      if (error instanceof URIError) return sendJson(res, 400, { error: `malformed path: ${url.pathname}` });
      log(`API ${req.method} ${url.pathname} failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error; see the server log" });
      else res.destroy();
    }
  };
}

class Created {
  readonly body: unknown;
  readonly created: boolean;
  constructor(body: unknown, isNew: boolean) {
    this.body = body;
    this.created = isNew;
  }
}
const created = ({ annotation, created: isNew }: { annotation: unknown; created: boolean }) => new Created(annotation, isNew);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim();
  if (type !== "application/json") throw new QueryError(415, "send the body as application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new QueryError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new QueryError(400, `invalid JSON: ${(error as Error).message}`);
  }
}

/** Server-sent events: `event: changes` with what each commit touched, and a heartbeat. */
function streamChanges(res: ServerResponse, changes: ChangeFeed, project: string): void {
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
  res.write(": connected\n\n");
  const stop = changes.subscribe(project, (event) => res.write(`event: changes\ndata: ${JSON.stringify(event)}\n\n`), () => res.end());
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), 15_000);
  res.on("close", () => {
    stop();
    clearInterval(heartbeat);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}
