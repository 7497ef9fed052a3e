// The JSON API under /api/v1: routes to the query service, errors as { error } with a status.
import type { IncomingMessage, ServerResponse } from "node:http";
import { QueryError, type QueryService } from "../query/query-service.ts";

type Handler = (params: string[], query: Record<string, string>) => Promise<unknown>;

export function createApi(queries: QueryService, log: (message: string) => void) {
  const routes: Array<[RegExp, Handler]> = [
    [/^\/api\/v1\/projects$/, () => queries.listProjects()],
    [/^\/api\/v1\/projects\/([^/]+)\/sessions$/, ([project], q) => queries.listSessions(project, q)],
    [/^\/api\/v1\/projects\/([^/]+)\/sessions\/([^/]+)$/, ([project, sessionId]) => queries.getSession(project, sessionId)],
    [/^\/api\/v1\/projects\/([^/]+)\/traces\/([^/]+)$/, ([project, traceId]) => queries.getTrace(project, traceId)],
    [/^\/api\/v1\/projects\/([^/]+)\/users$/, ([project], q) => queries.listUsers(project, q)],
    [/^\/api\/v1\/projects\/([^/]+)\/users\/([^/]+)$/, ([project, userId]) => queries.getUser(project, userId)],
  ];

  return async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      for (const [pattern, handler] of routes) {
        const match = pattern.exec(url.pathname);
        if (!match) continue;
        if (req.method !== "GET" && req.method !== "HEAD") {
          return sendJson(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
        }
        // Path segments are matched while still encoded, so ids may contain "/".
        const params = match.slice(1).map((segment) => decodeURIComponent(segment));
        return sendJson(res, 200, await handler(params, Object.fromEntries(url.searchParams)));
      }
      sendJson(res, 404, { error: `no API route ${url.pathname}` });
    } catch (error) {
      if (error instanceof QueryError) return sendJson(res, error.status, { error: error.message });
      if (error instanceof URIError) return sendJson(res, 400, { error: `malformed path: ${url.pathname}` });
      log(`API ${url.pathname} failed: ${(error as Error).stack ?? error}`);
      sendJson(res, 500, { error: "internal error; see the server log" });
    }
  };
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
