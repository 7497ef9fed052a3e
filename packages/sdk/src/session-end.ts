// endSession(): tells Threadline a conversation is over, so its evaluations run now instead of
// after the project's idle time. It marks the active span with `threadline.session.end`, or,
// with no span active or another session named, sends a short span of its own that carries it.
import { context, diag, trace } from "@opentelemetry/api";
import { withSession } from "./scopes.ts";
import { isStrict } from "./validate.ts";

export const SESSION_END_ATTRIBUTE = "threadline.session.end";

/** Ends the current session (`withSession` / `usingSession`), or the one named. Never throws outside strict mode. */
export function endSession(sessionId?: string): void {
  try {
    const active = trace.getActiveSpan();
    if (!sessionId && active?.isRecording()) {
      active.setAttribute(SESSION_END_ATTRIBUTE, true);
      return;
    }
    const send = () => trace.getTracer("@threadline/sdk").startSpan("session.end", { attributes: { [SESSION_END_ATTRIBUTE]: true } }, context.active()).end();
    if (sessionId) withSession(sessionId, send);
    else send();
  } catch (error) {
    if (isStrict()) throw error;
    diag.warn(`threadline: endSession: ${(error as Error).message}`);
  }
}
