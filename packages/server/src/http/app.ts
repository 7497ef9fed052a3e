// The HTTP server on one port, on Fastify: OTLP/HTTP at /v1/traces and /v1/logs, the JSON API
// under /api/v1 with its OpenAPI document at /api/openapi.json, and the web UI at /. Requests are
// validated by their routes' schemas, logged one line each (JSON, with a request id), and pass the
// guard (guard.ts: host, origin, key) before any route runs.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import { Ajv } from "ajv";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { accountRoutes } from "../api/account-routes.ts";
import { evaluationRoutes } from "../api/evaluation-routes.ts";
import { reviewRoutes } from "../api/review-routes.ts";
import type { ReviewService } from "../query/review-service.ts";
import { apiRoutes, type ApiServices } from "../api/routes.ts";
import type { EvaluationService } from "../evaluate/evaluation-service.ts";
import type { Authenticator } from "../auth/authenticator.ts";
import { QueryError } from "../query/params.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { AuthStore } from "../store/auth.ts";
import { createUnreadSignalReceiver } from "../receivers/otlp-http.ts";
import { createGuard } from "./guard.ts";
import { registerWebSessions } from "./web-session.ts";

export interface HttpAppOptions {
  logger: Logger;
  services: ApiServices;
  evaluations: EvaluationService;
  reviews: ReviewService;
  /** `project`: the one project the export's key may write to (null: any). */
  receiveTraces: (req: IncomingMessage, res: ServerResponse, project: string | null) => Promise<void>;
  /** The same for /v1/logs (their GenAI message records are kept). */
  receiveLogs: (req: IncomingMessage, res: ServerResponse, project: string | null) => Promise<void>;
  /** The largest OTLP body read (metrics are read to their end and dropped). */
  maxBodyBytes: number;
  /** The built web UI. */
  webDir: string;
  auth: Authenticator;
  authStore: AuthStore;
  /** Mark the session cookie Secure: the browser reaches the server over HTTPS. */
  secureCookies?: boolean;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: Buffer; cert: Buffer };
  /** Trust X-Forwarded-For / -Proto from a proxy in front (client addresses for the sign-in limit). */
  trustProxy?: boolean;
  /** Host names requests may name besides loopback ones; null: any (see guard.ts). */
  allowedHosts: Set<string> | null;
  metrics: Metrics;
  /** Why the server cannot take traffic now, or null when it can (/readyz). */
  notReady: () => string | null;
  /** Called for every export and API request (background work yields to them). */
  onTraffic?: () => void;
}

/** Ids (sessions, users) are path segments and may be long: as long as a request line can be (16 KiB). */
const MAX_PARAM_LENGTH = 16 * 1024;

export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  // Typed as the plain HTTP server's instance: nothing here depends on which of the two it is.
  const app = Fastify({
    ...(options.tls ? { https: options.tls } : {}),
    trustProxy: options.trustProxy ?? false,
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    keepAliveTimeout: 65_000,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  }) as unknown as FastifyInstance;
  // Query strings and paths arrive as text, so their numbers are coerced by their schema; a JSON
  // body is checked as it is (coercing it would turn a null score into 0).
  const coercing = new Ajv({ coerceTypes: true, removeAdditional: true, useDefaults: true, strict: false });
  const exact = new Ajv({ coerceTypes: false, removeAdditional: true, useDefaults: true, strict: false });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? exact : coercing).compile(schema));
  // The API takes JSON bodies only (a form or text body is a 415, not a body that fails its schema).
  app.removeContentTypeParser("text/plain");
  // Answers are written as they are: the schemas describe them, they do not reshape them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) return reply.code(400).send({ error: validationMessage(error) });
    if (error instanceof QueryError) return reply.code(error.status).send({ error: error.message });
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send({ error: "internal error; see the server log" });
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (!reply.hasHeader("cache-control")) reply.header("Cache-Control", "no-store");
  });
  // The access log: one line per answered request.
  app.addHook("onResponse", async (request, reply) => {
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, "request");
    options.metrics.request(request.routeOptions.url ?? "(none)", request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.decorateRequest("principal", null);
  if (options.onTraffic) app.addHook("onRequest", async () => options.onTraffic!());
  // Sessions first: the guard reads the signed-in account from them.
  await registerWebSessions(app, options.authStore, options.secureCookies ?? false);
  app.addHook("onRequest", createGuard({ auth: options.auth, allowedHosts: options.allowedHosts, onRefusedExport: () => options.metrics.refused("unauthorized") }));

  // Operations: liveness, readiness (503 while starting to stop or with a full write queue), metrics.
  app.get("/healthz", { schema: { hide: true } }, () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, (_request, reply) => {
    const reason = options.notReady();
    return reason ? reply.code(503).send({ status: "not ready", reason }) : { status: "ready" };
  });
  app.get("/metrics", { schema: { hide: true }, config: { access: "admin" } }, async (_request, reply) =>
    reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()));

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Threadline API",
        version: "1",
        description: "Sessions, users, traces and annotations of LLM conversations received over OTLP. Times are ISO-8601; errors are { error }.",
      },
    },
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, () => app.swagger());
  await app.register(apiRoutes, options.services);
  await app.register(accountRoutes, { auth: options.auth, store: options.authStore });
  await app.register(evaluationRoutes, { evaluations: options.evaluations });
  await app.register(reviewRoutes, { reviews: options.reviews });

  // OTLP/HTTP: the receiver reads, inflates and decodes the body itself (with its own limits),
  // so no parser of Fastify's touches it.
  await app.register(async (otlp) => {
    otlp.removeAllContentTypeParsers();
    otlp.addContentTypeParser("*", (_request, _payload, done) => done(null));
    // Langfuse's SDKs export to /api/public/otel/v1/traces under their baseUrl: a Langfuse user
    // switching over points baseUrl here (its secret key set to a Threadline ingest key).
    for (const [path, receive] of [["/v1/traces", options.receiveTraces], [LANGFUSE_TRACES, options.receiveTraces], ["/v1/logs", options.receiveLogs]] as const) {
      otlp.post(path, { schema: { hide: true }, config: { access: "ingest" } }, (request, reply) => {
        reply.hijack();
        const principal = request.principal;
        return receive(request.raw, reply.raw, principal?.kind === "key" ? principal.project : null);
      });
      otlp.get(path, { schema: { hide: true } }, (_request, reply) => reply.code(405).header("Allow", "POST").send({ error: "OTLP export uses POST" }));
    }
    const receiveMetrics = createUnreadSignalReceiver("metrics", options.maxBodyBytes);
    otlp.post("/v1/metrics", { schema: { hide: true }, config: { access: "ingest" } }, (request, reply) => {
      reply.hijack();
      return receiveMetrics(request.raw, reply.raw);
    });
  });

  // The UI: Vite fingerprints everything under assets/, so those are cached for good; any other
  // path that is not a file is a route of the UI's own (session ids may contain dots).
  const index = join(options.webDir, "index.html");
  await app.register(fastifyStatic, {
    root: options.webDir,
    index: "index.html",
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header("Cache-Control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      reply.header("X-Content-Type-Options", "nosniff");
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0];
    if (path === "/api" || path.startsWith("/api/")) return reply.code(404).send({ error: `no API route ${request.method} ${path}` });
    if (request.method !== "GET" && request.method !== "HEAD") return reply.code(405).send({ error: "method not allowed" });
    if (path.startsWith("/assets/")) return reply.code(404).send({ error: "not found" });
    if (!existsSync(index)) {
      return reply.code(503).type("text/plain; charset=utf-8")
        .send(`The web UI is not built (no ${index}). Run: npm run build\nThe API is at /api/v1 and OTLP at /v1/traces.\n`);
    }
    return reply.header("Cache-Control", "no-cache").sendFile("index.html", { cacheControl: false });
  });
  return app;
}

export const LANGFUSE_TRACES = "/api/public/otel/v1/traces";

/** A schema's complaint as a sentence about the parameter, e.g. "limit must be <= 500". */
function validationMessage(error: FastifyError): string {
  const first = error.validation![0];
  const where = error.validationContext ?? "request";
  const field = first.instancePath.replace(/^\//, "").replace(/\//g, ".") || where;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === "required") return `${field === where ? "" : `${field}.`}${params.missingProperty as string} is required`;
  if (first.keyword === "enum") {
    const values = params.allowedValues as unknown[];
    return `${field} must be ${values.length === 2 ? values.join(" or ") : `one of ${values.join(", ")}`}`;
  }
  if (first.keyword === "type") return `${field} must be ${params.type === "integer" ? "a whole number" : `a ${String(params.type)}`}`;
  return `${field} ${first.message ?? "is invalid"}`;
}
