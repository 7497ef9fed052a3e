// A session as evaluators read it: its turns in order, each with what the user said, what the
// assistant answered and where it broke, built from the same conversation the session page shows.
import type { QueryService } from "../query/query-service.ts";

export interface TranscriptTurn {
  /** 1-based, as a person counts turns. */
  turn: number;
  traceId: string;
  startTime: string;
  user: string[];
  assistant: string[];
  error: { spanId: string; spanName: string; message: string | null } | null;
}

export interface Transcript {
  project: string;
  sessionId: string;
  turns: TranscriptTurn[];
  /** Turns left out past MAX_TURNS. */
  omitted: number;
}

/** Built-in evaluators read at most this many turns of a session (the first ones). */
export const MAX_TURNS = 2_000;

export async function readTranscript(queries: QueryService, project: string, sessionId: string): Promise<Transcript | null> {
  const session = await queries.getSession(project, sessionId).catch(() => null);
  if (!session) return null;
  const turns: TranscriptTurn[] = [];
  let cursor: string | undefined;
  do {
    const page = await queries.conversation(project, sessionId, { limit: 500, cursor });
    for (const t of page.turns) {
      if (turns.length >= MAX_TURNS) break;
      const text = (role: string) => t.messages.filter((m) => m.role === role && m.content).map((m) => m.content as string);
      turns.push({ turn: turns.length + 1, traceId: t.traceId, startTime: t.startTime, user: text("user"), assistant: text("assistant"), error: t.error });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && turns.length < MAX_TURNS);
  return { project, sessionId, turns, omitted: Math.max(0, session.traceCount - turns.length) };
}
