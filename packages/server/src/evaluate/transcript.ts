// A session as evaluators read it: its turns in order, each with what the user said, what the
// assistant answered and where it broke, built the way the session page's conversation is (each
// message once), straight from the store: without the page's annotations and figures, which
// evaluators do not read and which cost reads that browsing people are waiting for.
import { ConversationHistory } from "../query/conversation.ts";
import type { BackgroundReads, Cursor } from "../store/store.ts";

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
const PAGE = 200;

/** The session's transcript, or null when there is no such session (deleted meanwhile). */
export async function readTranscript(store: BackgroundReads, project: string, sessionId: string): Promise<Transcript | null> {
  const session = await store.getSession(project, sessionId);
  if (!session) return null;
  const history = new ConversationHistory();
  const turns: TranscriptTurn[] = [];
  let after: Cursor | null = null;
  do {
    const page = await store.listSessionTraces(project, sessionId, Math.min(PAGE, MAX_TURNS - turns.length), after);
    const spans = await store.getTraceSpans(project, page.rows.map((t) => t.traceId));
    for (const trace of page.rows) {
      const { messages, error } = history.turn(trace, spans.get(trace.traceId) ?? []);
      const text = (role: string) => messages.filter((m) => m.role === role && m.content).map((m) => m.content as string);
      turns.push({ turn: turns.length + 1, traceId: trace.traceId, startTime: new Date(trace.startUs / 1000).toISOString(), user: text("user"), assistant: text("assistant"), error });
    }
    after = page.next;
  } while (after && turns.length < MAX_TURNS);
  return { project, sessionId, turns, omitted: Math.max(0, session.traceCount - turns.length) };
}
