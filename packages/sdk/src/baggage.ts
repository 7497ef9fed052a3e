import { propagation, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from "@opentelemetry/api";
import { W3CBaggagePropagator } from "@opentelemetry/core";
import { idProblem } from "./validate.ts";

// W3C baggage entry names; the same as the span attributes, so the header reads `session.id=...,user.id=...`.
export const BAGGAGE_SESSION_ID = "session.id";
export const BAGGAGE_USER_ID = "user.id";

/** Returns `ctx` whose baggage also carries the given ids, so outbound requests take them downstream. */
export function addIdsToBaggage(ctx: Context, sessionId: string | undefined, userId: string | undefined): Context {
  if (sessionId === undefined && userId === undefined) return ctx;
  let baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  if (sessionId !== undefined) baggage = baggage.setEntry(BAGGAGE_SESSION_ID, { value: sessionId });
  if (userId !== undefined) baggage = baggage.setEntry(BAGGAGE_USER_ID, { value: userId });
  return propagation.setBaggage(ctx, baggage);
}

/**
 * The session and user ids an upstream service put in the baggage. Baggage comes from the network,
 * so ids that would be rejected locally are ignored, silently: a warning per span would flood the log.
 */
export function idsFromBaggage(ctx: Context): { sessionId?: string; userId?: string } | undefined {
  const baggage = propagation.getBaggage(ctx);
  if (baggage === undefined) return undefined;
  const session = baggage.getEntry(BAGGAGE_SESSION_ID)?.value;
  const user = baggage.getEntry(BAGGAGE_USER_ID)?.value;
  if (session === undefined && user === undefined) return undefined;
  return {
    sessionId: session !== undefined && idProblem(session) === undefined ? session.trim() : undefined,
    userId: user !== undefined && idProblem(user) === undefined ? user.trim() : undefined,
  };
}

/**
 * W3C baggage that goes out but never comes in: for a service at a trust boundary, where a caller
 * could otherwise pick the session or user its requests are filed under (and forward anything else).
 */
export class OutboundOnlyBaggagePropagator implements TextMapPropagator {
  private readonly w3c = new W3CBaggagePropagator();

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    this.w3c.inject(ctx, carrier, setter);
  }

  extract(ctx: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return ctx;
  }

  fields(): string[] {
    return this.w3c.fields();
  }
}
