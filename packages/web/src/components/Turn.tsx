import { memo } from "react";
import { Link } from "@tanstack/react-router";
import type { Annotation, ConversationMessage, ConversationTurn } from "../api/types.ts";
import { formatIdleGap, isSystemRole, visibleMessages } from "../lib/conversation.ts";
import { formatCost, formatDuration, formatTokens } from "../lib/format.ts";
import { AnnotationChips } from "./annotations/AnnotationChips.tsx";
import { Thumbs } from "./annotations/Thumbs.tsx";
import { ExternalIcon } from "./icons.tsx";
import { MessageBubble } from "./MessageBubble.tsx";
import { TimeText } from "./TimeText.tsx";
import { SystemMessage, ToolCallCard, ToolResultCard } from "./ToolCall.tsx";
import { TurnError } from "./TurnError.tsx";

export interface TurnProps {
  project: string;
  sessionId: string;
  turn: ConversationTurn;
  /** 0-based position in the session. */
  index: number;
  /** Idle time since the previous turn, when long enough to show. */
  gapMs: number | null;
  showSystem: boolean;
  /** Tool call id → tool name, for the results. */
  toolNames: ReadonlyMap<string, string>;
  /** Shown above user messages. */
  userLabel: string;
  /** Opens the trace (and a span) in the side panel. */
  onOpenTrace: (traceId: string, spanId?: string) => void;
  /** This turn's trace is open in the side panel. */
  active?: boolean;
  /** Evaluations that point at this turn (their metadata names its trace). */
  pointers?: Annotation[];
}

/** What an evaluator's label says about the turn it points at; only problems are marked. */
const POINTER_PHRASES: Record<string, string> = { frustrated: "frustrated from here", failed: "failed here", unanswered: "unanswered here", repetitive: "repeats itself here" };

/** Whether the annotation marks a turn: a problem an evaluator found there. */
export const isPointer = (a: Annotation) => typeof a.metadata?.traceId === "string" && a.label !== null && a.label in POINTER_PHRASES;

function pointerText(a: Annotation): string {
  return `${a.name.replace(/_/g, " ")}: ${POINTER_PHRASES[a.label!]}`;
}

function Message({ message, toolNames, userLabel }: { message: ConversationMessage; toolNames: ReadonlyMap<string, string>; userLabel: string }) {
  if (isSystemRole(message.role)) return <SystemMessage message={message} />;
  if (message.role === "tool" || message.role === "function" || message.role === "ipython") {
    return <ToolResultCard message={message} toolName={(message.toolCallId && toolNames.get(message.toolCallId)) || null} />;
  }
  const calls = message.toolCalls ?? [];
  const hasText = message.content !== null && message.content !== "";
  const author = message.role === "user" ? (message.name ?? userLabel) : message.role === "assistant" ? "Assistant" : message.role;
  return (
    <>
      {(hasText || calls.length === 0) && <MessageBubble role={message.role} author={author} text={message.content} />}
      {calls.length > 0 && (
        <div className="tool-calls">
          {calls.map((call, i) => (
            <ToolCallCard key={call.id ?? i} call={call} />
          ))}
        </div>
      )}
    </>
  );
}

/** One turn (one trace): its figures, the messages it added to the conversation, where it failed. */
export const Turn = memo(function Turn({
  project,
  sessionId,
  turn,
  index,
  gapMs,
  showSystem,
  toolNames,
  userLabel,
  onOpenTrace,
  active,
  pointers = [],
}: TurnProps) {
  const failed = turn.status === "ERROR" || turn.error !== null;
  const messages = visibleMessages(turn.messages, showSystem);
  const hiddenSystem = turn.messages.length - messages.length;
  return (
    <>
      {gapMs !== null && (
        <div className="chat-gap" data-testid="idle-gap" role="separator">
          <span>{formatIdleGap(gapMs)}</span>
        </div>
      )}
      {pointers.map((a) => (
        <div key={a.id} className={`turn-pointer turn-pointer--${a.label ?? "note"}`} data-testid="turn-pointer" data-evaluator={a.name} title={a.explanation ?? ""}>
          <strong>{pointerText(a)}</strong>
          {a.explanation && <span className="turn-pointer__why">{a.explanation}</span>}
        </div>
      ))}
      <article
        className={`chat-turn${failed ? " chat-turn--error" : ""}${active ? " chat-turn--active" : ""}`}
        data-testid={failed ? "turn-error" : "turn"}
        data-trace-id={turn.traceId}
        data-turn-index={index}
        aria-label={`Turn ${index + 1}${failed ? " (failed)" : ""}`}
      >
        <header className="chat-turn__meta">
          <span className="chat-turn__index">Turn {index + 1}</span>
          <span className="chat-turn__figures">
            <TimeText iso={turn.startTime} style="time" />
            <span title="Latency" data-testid="turn-latency">
              {formatDuration(turn.durationMs)}
            </span>
            <span
              title={`${formatTokens(turn.tokens.prompt)} prompt + ${formatTokens(turn.tokens.completion)} completion tokens`}
              data-testid="turn-tokens"
            >
              {formatTokens(turn.tokens.total)} tok
            </span>
            <span title="Cost" data-testid="turn-cost">
              {formatCost(turn.cost.total)}
            </span>
            {failed && <span className="badge badge--error">Error</span>}
          </span>
          <span className="chat-turn__actions">
            <Thumbs project={project} traceId={turn.traceId} sessionId={sessionId} annotations={turn.annotations} />
            <button
              type="button"
              className="chat-turn__action"
              onClick={() => onOpenTrace(turn.traceId)}
              aria-pressed={active}
              title="Show this turn's spans"
              data-testid="turn-open-trace"
            >
              Spans
            </button>
            <Link
              to="/projects/$project/traces/$traceId"
              params={{ project, traceId: turn.traceId }}
              className="chat-turn__action chat-turn__trace mono"
              title={`Open trace ${turn.traceId}`}
              data-testid="turn-trace-link"
            >
              {turn.traceId.slice(0, 8)}
              <ExternalIcon />
            </Link>
          </span>
        </header>
        <AnnotationChips annotations={turn.annotations} />
        <div className="chat-turn__messages">
          {messages.map((message, i) => (
            <Message key={i} message={message} toolNames={toolNames} userLabel={userLabel} />
          ))}
          {messages.length === 0 && !turn.error && (
            <p className="chat-turn__empty muted">
              {hiddenSystem > 0 ? "Only a system prompt in this turn." : "No messages recorded in this turn."}{" "}
              <button type="button" className="link-button" onClick={() => onOpenTrace(turn.traceId)}>
                Show spans
              </button>
            </p>
          )}
          {turn.error && <TurnError error={turn.error} onShowSpan={(spanId) => onOpenTrace(turn.traceId, spanId)} />}
        </div>
      </article>
    </>
  );
});
