// Helpers of the Session page's chat: idle gaps between turns, which tool a result answers,
// and which messages are system prompts.
import type { ConversationMessage, ConversationTurn } from "../api/types.ts";
import { formatDuration } from "./format.ts";

/** A pause longer than this between the end of one turn and the start of the next is shown ("12 min later"). */
export const IDLE_GAP_MS = 5 * 60_000;

/** Idle time before `turn` (from the end of `previous`), or null when it is short enough to not mention. */
export function idleGapBefore(previous: ConversationTurn | undefined, turn: ConversationTurn): number | null {
  if (!previous) return null;
  const gap = Date.parse(turn.startTime) - (Date.parse(previous.startTime) + previous.durationMs);
  return Number.isFinite(gap) && gap > IDLE_GAP_MS ? gap : null;
}

/** "12 min later", "2 h 5 min later", "3 d 4 h later": minutes are precise enough for a pause. */
export function formatIdleGap(ms: number): string {
  return `${formatDuration(Math.max(60_000, Math.round(ms / 60_000) * 60_000))} later`;
}

/** Roles that carry instructions rather than conversation; hidden unless asked for. */
export function isSystemRole(role: string): boolean {
  return role === "system" || role === "developer";
}

/** Tool results name the call they answer only by id: map ids to the tool names of the calls. */
export function toolNamesById(turns: Iterable<ConversationTurn>): Map<string, string> {
  const names = new Map<string, string>();
  for (const turn of turns) {
    for (const message of turn.messages) {
      for (const call of message.toolCalls ?? []) if (call.id) names.set(call.id, call.name);
    }
  }
  return names;
}

/** The messages of a turn shown with the current toggle (system prompts hidden by default). */
export function visibleMessages(messages: ConversationMessage[], showSystem: boolean): ConversationMessage[] {
  return showSystem ? messages : messages.filter((message) => !isSystemRole(message.role));
}
