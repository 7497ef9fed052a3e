// People's sign-in sessions: @fastify/session keeps them in the auth store under a hash of their
// id (sha256: the cookie is the secret, the database holds no usable copy), in a cookie that is
// HttpOnly, SameSite=Strict and Secure when served over TLS (or behind a proxy that is); and
// @fastify/csrf gives each session a token that every cookie-authenticated change must carry in
// x-csrf-token, on top of the guard's Origin check.
import { createHash } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import Tokens from "@fastify/csrf";
import fastifySession, { type SessionStore } from "@fastify/session";
import type { FastifyInstance, FastifyRequest, Session } from "fastify";
import type { AuthStore } from "../store/auth.ts";

export const SESSION_COOKIE = "threadline_session";
/** Signed in for a week after the last request (rolling). */
const MAX_AGE_MS = 7 * 24 * 3_600_000;

declare module "fastify" {
  interface Session {
    accountId?: string;
    csrfSecret?: string;
  }
}

const digest = (id: string) => createHash("sha256").update(id).digest("base64url");

type Callback = (error?: Error | null) => void;

/** The session plugin's store: only sessions someone signed in to are kept. */
function storeOf(auth: AuthStore): SessionStore {
  return {
    set(id: string, session: Session, callback: Callback) {
      try {
        if (session.accountId) auth.putWebSession(digest(id), { accountId: session.accountId, data: JSON.stringify(session), expiresUs: (Date.now() + MAX_AGE_MS) * 1000 });
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    get(id: string, callback: (error: Error | null, session?: Session | null) => void) {
      try {
        const found = auth.getWebSession(digest(id), Date.now() * 1000);
        callback(null, found ? JSON.parse(found.data) : null);
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(id: string, callback: Callback) {
      try {
        auth.deleteWebSession(digest(id));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  };
}

/** `secure`: the browser sees HTTPS (TLS here, or a proxy in front that terminates it). */
export async function registerWebSessions(app: FastifyInstance, auth: AuthStore, secure: boolean): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: auth.secret("session-cookie"),
    cookieName: SESSION_COOKIE,
    cookie: { path: "/", httpOnly: true, sameSite: "strict", secure, maxAge: MAX_AGE_MS },
    saveUninitialized: false,
    rolling: true,
    store: storeOf(auth),
  });
}

// Called as a function: its types declare it so (it works with or without new).
const tokens = Tokens();

/** The signed-in session's CSRF token (made with its secret, kept in the session). */
export function csrfToken(request: FastifyRequest): string {
  request.session.csrfSecret ??= tokens.secretSync();
  return tokens.create(request.session.csrfSecret);
}

/** Whether a cookie-authenticated change carries its session's token. */
export function hasCsrfToken(request: FastifyRequest): boolean {
  const token = request.headers["x-csrf-token"];
  const secret = request.session?.csrfSecret;
  return typeof token === "string" && typeof secret === "string" && tokens.verify(secret, token);
}
