// Serves the built web UI. Paths that are not files get index.html, so the UI's own router
// handles deep links such as /projects/demo/sessions/abc.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};

export function createStaticUi(root: string) {
  return async function serveUi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "Content-Type": "text/plain" }).end("method not allowed");
      return;
    }
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(url.pathname)));
    } catch {
      res.writeHead(400, { "Content-Type": "text/plain" }).end("malformed path");
      return;
    }
    if (!path.startsWith(root + sep) && path !== root) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const file = (await isFile(path)) ? path : join(root, "index.html");
    // A missing build asset is a 404; any other path is a UI route (session ids may contain dots).
    if (url.pathname.startsWith("/assets/") && file !== path) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    if (!(await isFile(file))) {
      res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`The web UI is not built (no ${file}). Run: npm run build\nThe API is at /api/v1 and OTLP at /v1/traces.\n`);
      return;
    }
    // Vite fingerprints everything under assets/, so those can be cached forever.
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (req.method === "HEAD") return void res.end();
    createReadStream(file).pipe(res);
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
