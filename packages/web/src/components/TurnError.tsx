import type { ConversationTurn } from "../api/types.ts";

interface TurnErrorProps {
  error: NonNullable<ConversationTurn["error"]>;
  /** Opens the failing span in the trace view. */
  onShowSpan?: (spanId: string) => void;
}

/** Where a turn broke: the failing span (a button to open it) and its error message. */
export function TurnError({ error, onShowSpan }: TurnErrorProps) {
  return (
    <div className="chat-error" role="alert" data-testid="turn-error-detail">
      <span className="turn-error__label">Turn failed</span>
      <span className="turn-error__span">
        {" "}
        in{" "}
        {onShowSpan ? (
          <button type="button" className="chat-error__link" onClick={() => onShowSpan(error.spanId)} title="Show this span">
            <code className="code">{error.spanName}</code>
          </button>
        ) : (
          <code className="code">{error.spanName}</code>
        )}
      </span>
      {error.message ? (
        <pre className="turn-error__message">{error.message}</pre>
      ) : (
        <span className="muted"> — the span reported no message.</span>
      )}
    </div>
  );
}
