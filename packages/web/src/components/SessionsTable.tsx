import type { MouseEvent } from "react";
import { Link, useNavigate } from "@tanstack/react-router";
import type { SessionSummary } from "../api/types.ts";
import { formatCost, formatDuration, formatTokens } from "../lib/format.ts";
import type { SessionSortKey, SortOrder } from "../lib/sessionsSearch.ts";
import { SortHeader } from "./SortHeader.tsx";
import { TimeText } from "./TimeText.tsx";
import { Truncate } from "./Truncate.tsx";
import { UserList } from "./UserList.tsx";

interface SessionsTableProps {
  project: string;
  sessions: SessionSummary[];
  sort: SessionSortKey;
  order: SortOrder;
  onSort: (key: SessionSortKey) => void;
  busy?: boolean;
}

/** Clicks on links, buttons or while selecting text must not also open the row. */
function isInteractiveClick(event: MouseEvent<HTMLElement>): boolean {
  const target = event.target as HTMLElement;
  if (target.closest("a, button, input, select, textarea")) return true;
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().length > 0;
}

export function SessionsTable({ project, sessions, sort, order, onSort, busy }: SessionsTableProps) {
  const navigate = useNavigate();
  const sortProps = { activeSort: sort, activeOrder: order, onSort };

  return (
    <div className="table-wrap">
      <table className="table sessions-table" aria-busy={busy || undefined} data-testid="sessions-table">
        <caption className="visually-hidden">Sessions of project {project}</caption>
        <colgroup>
          <col className="col-session" />
          <col className="col-users" />
          <col className="col-text" />
          <col className="col-text" />
          <col className="col-time" />
          <col className="col-duration" />
          <col className="col-num-sm" />
          <col className="col-num" />
          <col className="col-num" />
          <col className="col-num-sm" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Users</th>
            <th scope="col">First input</th>
            <th scope="col">Last output</th>
            <SortHeader label="Start" sortKey="startTime" {...sortProps} />
            <SortHeader label="Duration" sortKey="durationMs" align="right" {...sortProps} />
            <SortHeader label="Turns" sortKey="traceCount" align="right" {...sortProps} />
            <SortHeader label="Tokens" sortKey="totalTokens" align="right" {...sortProps} />
            <SortHeader label="Cost" sortKey="cost" align="right" {...sortProps} />
            <SortHeader label="Errors" sortKey="errorCount" align="right" {...sortProps} />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr
              key={s.sessionId}
              className="row-link"
              data-testid="session-row"
              data-session-id={s.sessionId}
              onClick={(event) => {
                if (isInteractiveClick(event)) return;
                void navigate({
                  to: "/projects/$project/sessions/$sessionId",
                  params: { project, sessionId: s.sessionId },
                });
              }}
            >
              <td className="mono">
                <Link
                  to="/projects/$project/sessions/$sessionId"
                  params={{ project, sessionId: s.sessionId }}
                  className="truncate link"
                  title={s.sessionId}
                  data-testid="session-link"
                >
                  {s.sessionId}
                </Link>
              </td>
              <td>
                <UserList userIds={s.userIds} />
              </td>
              <td>
                <Truncate text={s.firstInput} />
              </td>
              <td>
                <Truncate text={s.lastOutput} />
              </td>
              <td className="nowrap">
                <TimeText iso={s.startTime} />
              </td>
              <td className="num">{formatDuration(s.durationMs)}</td>
              <td className="num">{formatTokens(s.traceCount)}</td>
              <td className="num" title={`${formatTokens(s.tokens.prompt)} prompt + ${formatTokens(s.tokens.completion)} completion`}>
                {formatTokens(s.tokens.total)}
              </td>
              <td className="num">{formatCost(s.cost.total)}</td>
              <td className="num">
                {s.errorCount > 0 ? (
                  <span className="badge badge--error" title={`${s.errorCount} error${s.errorCount === 1 ? "" : "s"}`}>
                    {formatTokens(s.errorCount)}
                  </span>
                ) : (
                  <span className="muted">0</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
