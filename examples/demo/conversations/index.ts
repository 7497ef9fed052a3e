import type { Conversation } from "../apps.ts";
import { DEV } from "./dev.ts";
import { SHOP } from "./shop.ts";
import { TRAVEL } from "./travel.ts";

/** Every scripted conversation, apps interleaved so that concurrent sessions mix them. */
export const CONVERSATIONS: Conversation[] = interleave(TRAVEL, SHOP, DEV);

/** The stub model's answers for every scripted turn that has one, keyed by the user's message. */
export function scriptedReplies(conversations: Conversation[]): Map<string, string> {
  return new Map(conversations.flatMap((c) => c.turns.flatMap((turn) => (turn.assistant ? [[turn.user.trim(), turn.assistant] as const] : []))));
}

function interleave<T>(...lists: T[][]): T[] {
  const length = Math.max(...lists.map((list) => list.length));
  return Array.from({ length }, (_, i) => lists.flatMap((list) => (i < list.length ? [list[i]] : []))).flat();
}
