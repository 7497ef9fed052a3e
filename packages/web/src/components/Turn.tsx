import type { TraceSummary } from "../api/types.ts";
import { formatCost, formatDuration, formatTokens } from "../lib/format.ts";
import { MessageBubble } from "./MessageBubble.tsx";
import { TimeText } from "./TimeText.tsx";
import { TurnError } from "./TurnError.tsx";

interface TurnProps {
  project: string;
  trace: TraceSummary;
  index: number;
}

/** One conversation turn (one trace): the user's message, then the assistant's reply. */
export function Turn({ project, trace, index }: TurnProps) {
  const failed = trace.status === "ERROR";
  return (
    <li
      className={`turn${failed ? " turn--error" : ""}`}
      data-testid={failed ? "turn-error" : "turn"}
      data-trace-id={trace.traceId}
      aria-label={`Turn ${index + 1}${failed ? " (failed)" : ""}`}
    >
      <div className="turn__meta">
        <span className="turn__index">Turn {index + 1}</span>
        <TimeText iso={trace.startTime} style="time" />
        <span title="Latency">{formatDuration(trace.durationMs)}</span>
        <span title={`${formatTokens(trace.tokens.prompt)} prompt + ${formatTokens(trace.tokens.completion)} completion`}>
          {formatTokens(trace.tokens.total)} tokens
        </span>
        <span title="Cost">{formatCost(trace.cost.total)}</span>
        {failed && <span className="badge badge--error">Error</span>}
        <span className="turn__trace mono" title={`Trace ${trace.traceId}`}>
          {trace.traceId.slice(0, 8)}
        </span>
      </div>
      <MessageBubble role="user" author={trace.userId ?? "User"} text={trace.input} />
      {failed ? (
        <MessageBubble role="assistant" author="Assistant" text={trace.output} failed>
          <TurnError project={project} traceId={trace.traceId} />
        </MessageBubble>
      ) : (
        <MessageBubble role="assistant" author="Assistant" text={trace.output} />
      )}
    </li>
  );
}
