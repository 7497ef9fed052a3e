import type { SessionSummary } from "../api/types.ts";
import { formatCost, formatDuration, formatNumber, formatTokens } from "../lib/format.ts";
import { TimeText } from "./TimeText.tsx";

/** Key figures of a session as a definition list. */
export function SummaryStrip({ session }: { session: SessionSummary }) {
  const users = session.userIds.length ? session.userIds.join(", ") : "—";
  return (
    <dl className="summary-strip" data-testid="session-summary">
      <div className="stat stat--users">
        <dt>{session.userIds.length > 1 ? "Users" : "User"}</dt>
        <dd className="stat__text" title={users}>
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
        <dd>{formatDuration(session.durationMs)}</dd>
      </div>
      <div className="stat">
        <dt>Turns</dt>
        <dd>{formatNumber(session.traceCount)}</dd>
      </div>
      <div className="stat">
        <dt>Tokens</dt>
        <dd title={`${formatTokens(session.tokens.prompt)} prompt + ${formatTokens(session.tokens.completion)} completion`}>
          {formatTokens(session.tokens.total)}
        </dd>
      </div>
      <div className="stat">
        <dt>Cost</dt>
        <dd>{formatCost(session.cost.total)}</dd>
      </div>
      <div className={`stat${session.errorCount > 0 ? " stat--error" : ""}`}>
        <dt>Errors</dt>
        <dd>{formatNumber(session.errorCount)}</dd>
      </div>
    </dl>
  );
}
