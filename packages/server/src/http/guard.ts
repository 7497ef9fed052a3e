// The HTTP guard, run before every route: a request must name this server (a DNS-rebinding page
// names its own host), come from no other origin, and carry a key that may do what its route
// does in the project its path names (/metrics: an admin key of any project). The UI's files,
// the OpenAPI document and the health checks hold no data.
import type { FastifyReply, FastifyRequest } from "fastify";
import { AuthError, Authenticator, type Access, type Principal } from "../auth/authenticator.ts";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** What the route needs; by default GET reads and anything else annotates. */
    access?: Access;
  }
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export interface GuardOptions {
  auth: Authenticator;
  /** Counts exports refused for their key. */
  onRefusedExport?: () => void;
  /** Host names (without port) requests may name besides loopback ones; null: any. */
  allowedHosts: Set<string> | null;
}

export function createGuard({ auth, allowedHosts, onRefusedExport }: GuardOptions) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const host = request.headers.host ?? "";
    const hostname = host.replace(/:\d+$/, "").toLowerCase();
    if (allowedHosts && !LOOPBACK_NAMES.has(hostname) && !allowedHosts.has(hostname)) {
      return refuse(reply, 403, `this server does not answer for host "${host}" (it listens on loopback; see --host)`);
    }
    const origin = request.headers.origin;
    if (origin && origin !== "null" && originHost(origin) !== host.toLowerCase()) {
      return refuse(reply, 403, `cross-origin requests are refused (Origin ${origin})`);
    }
    const path = request.url.split("?")[0];
    const access = path === "/v1/traces" ? "ingest" : path.startsWith("/api/v1/") || path === "/metrics" ? accessOf(request) : null;
    if (!access) return;
    try {
      const principal = await auth.authenticate(Authenticator.tokenOf((name) => header(request, name)));
      auth.check(principal, access, (request.params as { project?: string } | undefined)?.project);
      request.principal = principal;
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (access === "ingest") onRefusedExport?.();
      if (error.status === 503) reply.header("Retry-After", "1");
      if (error.status === 401) reply.header("WWW-Authenticate", 'Bearer realm="threadline"');
      return refuse(reply, error.status, error.message);
    }
  };
}

function accessOf(request: FastifyRequest): Access {
  return request.routeOptions.config.access ?? (request.method === "GET" || request.method === "HEAD" ? "read" : "annotate");
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
}
