// The HTTP guard, run before every route: a request must name this server (a DNS-rebinding page
// names its own host), come from no other origin, and carry a key, or the session cookie of a
// signed-in person, that may do what its route does in the project its path names (/metrics:
// an admin of any project). A change made with the cookie must also carry the session's CSRF
// token. The UI's files, the OpenAPI document, the health checks and sign-in hold no data.
import type { FastifyReply, FastifyRequest } from "fastify";
import { AuthError, Authenticator, type Access, type Principal } from "../auth/authenticator.ts";
import { hasCsrfToken } from "./web-session.ts";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** What the route needs; by default GET reads and anything else annotates. "public": nothing. */
    access?: Access | "public";
    /** The project the access is checked in when the path names none ("*": every project). */
    project?: string;
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
    // The API, /metrics and the OTLP routes (which say so in their config) are guarded; the UI's files are not.
    const access = path.startsWith("/api/v1/") || path === "/metrics" || request.routeOptions.config.access ? accessOf(request) : null;
    if (!access || access === "public") return;
    try {
      const token = Authenticator.tokenOf((name) => header(request, name));
      const accountId = auth.required && !token ? request.session?.accountId : undefined;
      const principal = accountId ? auth.account(accountId) : await auth.authenticate(token);
      if (!principal) throw new AuthError(401, "your account was removed; sign in again");
      const project = (request.params as { project?: string } | undefined)?.project ?? request.routeOptions.config.project;
      auth.check(principal, access, project);
      if (principal.kind === "account" && request.method !== "GET" && request.method !== "HEAD") {
        if (!hasCsrfToken(request)) throw new AuthError(403, "missing or wrong CSRF token: send the x-csrf-token that GET /api/v1/me gives");
      }
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

function accessOf(request: FastifyRequest): Access | "public" {
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
