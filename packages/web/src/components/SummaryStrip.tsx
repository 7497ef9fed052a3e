import type { SessionDetail, SessionSummary } from "../api/types.ts";
import { formatCost, formatDuration, formatNumber, formatTokens } from "../lib/format.ts";
import { TimeText } from "./TimeText.tsx";

/** Key figures of a session as a definition list. */
export function SummaryStrip({ session }: { session: SessionSummary }) {
  const users = session.userIds.length ? session.userIds.join(", ") : "—";
  return (
    <dl className="summary-strip" data-testid="session-summary">
      <div className="stat stat--users">
        <dt>{session.userIds.length > 1 ? "Users" : "User"}</dt>
        <dd className="stat__text" title={users} data-testid="summary-users">
          {users}
        </dd>
      </div>
      <div className="stat">
        <dt>Start</dt>
        <dd>
          <TimeText iso={session.startTime} style="short" />
        </dd>
      </div>
      <div className="stat">
        <dt>Duration</dt>
        <dd data-testid="summary-duration">{formatDuration(session.durationMs)}</dd>
      </div>
      <div className="stat">
        <dt>Turns</dt>
        <dd data-testid="summary-turns">{formatNumber(session.traceCount)}</dd>
      </div>
      <div className="stat">
        <dt>LLM calls</dt>
        <dd data-testid="summary-llm-calls">{formatNumber(session.llmCount)}</dd>
      </div>
      <div className="stat">
        <dt>Tokens</dt>
        <dd
          title={`${formatTokens(session.tokens.prompt)} prompt + ${formatTokens(session.tokens.completion)} completion`}
          data-testid="summary-tokens"
        >
          {formatTokens(session.tokens.total)}
        </dd>
      </div>
      <div className="stat">
        <dt>Cost</dt>
        <dd data-testid="summary-cost">{formatCost(session.cost.total)}</dd>
      </div>
      <div className={`stat${session.errorCount > 0 ? " stat--error" : ""}`}>
        <dt>Errors</dt>
        <dd data-testid="summary-errors">{formatNumber(session.errorCount)}</dd>
      </div>
    </dl>
  );
}

/** Models, tags and metadata of a session, as compact chips. */
export function SessionFacts({ session }: { session: Pick<SessionDetail, "models" | "tags" | "metadata"> }) {
  const metadata = Object.entries(session.metadata ?? {});
  if (session.models.length === 0 && session.tags.length === 0 && metadata.length === 0) return null;
  return (
    <dl className="facts" data-testid="session-facts">
      {session.models.length > 0 && (
        <div className="facts__group">
          <dt>{session.models.length > 1 ? "Models" : "Model"}</dt>
          {session.models.map((model) => (
            <dd key={model} className="chip mono">
              {model}
            </dd>
          ))}
        </div>
      )}
      {session.tags.length > 0 && (
        <div className="facts__group">
          <dt>Tags</dt>
          {session.tags.map((tag) => (
            <dd key={tag} className="chip">
              {tag}
            </dd>
          ))}
        </div>
      )}
      {metadata.length > 0 && (
        <div className="facts__group">
          <dt>Metadata</dt>
          {metadata.map(([key, value]) => (
            <dd key={key} className="chip" title={`${key}: ${value}`}>
              <span className="chip__key">{key}</span> {value}
            </dd>
          ))}
        </div>
      )}
    </dl>
  );
}
