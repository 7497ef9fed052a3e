import { Link, useNavigate } from "@tanstack/react-router";
import type { SessionSummary } from "../api/types.ts";
import { formatCost, formatDuration, formatTokens } from "../lib/format.ts";
import { ANNOTATION_SORT_PREFIX, type SessionSort, type SortOrder } from "../lib/sessionsSearch.ts";
import { AnnotationCell } from "./AnnotationCell.tsx";
import { SortHeader } from "./SortHeader.tsx";
import { TimeText } from "./TimeText.tsx";
import { Truncate } from "./Truncate.tsx";
import { UserList } from "./UserList.tsx";
import { isInteractiveClick } from "../lib/interactiveClick.ts";
import "../styles/controls.css";
import "../styles/lists.css";

interface SessionsTableProps {
  project: string;
  sessions: SessionSummary[];
  sort: SessionSort;
  order: SortOrder;
  onSort: (key: SessionSort) => void;
  /** Annotation and evaluation names: one column each. */
  annotationNames?: readonly string[];
  /** On a user's page the user column says nothing new. */
  hideUsers?: boolean;
  busy?: boolean;
}


/** Column widths (px); the conversation column takes what is left, at least TEXT_MIN_WIDTH. */
const W = { session: 176, start: 138, duration: 86, turns: 66, prompt: 78, completion: 106, tokens: 78, cost: 100, errors: 68 };
const SESSION_WIDTH_NO_USERS = 160;
const ANNOTATION_WIDTH = 104;
const TEXT_MIN_WIDTH = 230;

export function SessionsTable({ project, sessions, sort, order, onSort, annotationNames = [], hideUsers, busy }: SessionsTableProps) {
  const navigate = useNavigate();
  const sortProps = { activeSort: sort, activeOrder: order, onSort };
  const sessionWidth = hideUsers ? SESSION_WIDTH_NO_USERS : W.session;
  const fixed = Object.values(W).reduce((a, b) => a + b, 0) - W.session + sessionWidth;
  const minWidth = fixed + TEXT_MIN_WIDTH + annotationNames.length * ANNOTATION_WIDTH;

  return (
    <div className="table-wrap table-wrap--scroll">
      <table
        className="table sessions-table sessions-table--stacked"
        style={{ minWidth }}
        aria-busy={busy || undefined}
        data-testid="sessions-table"
      >
        <caption className="visually-hidden">Sessions of project {project}</caption>
        <colgroup>
          <col style={{ width: sessionWidth }} />
          <col />
          <col style={{ width: W.start }} />
          <col style={{ width: W.duration }} />
          <col style={{ width: W.turns }} />
          <col style={{ width: W.prompt }} />
          <col style={{ width: W.completion }} />
          <col style={{ width: W.tokens }} />
          <col style={{ width: W.cost }} />
          <col style={{ width: W.errors }} />
          {annotationNames.map((name) => (
            <col key={name} style={{ width: ANNOTATION_WIDTH }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="sticky-col">
              {hideUsers ? "Session" : "Session · user"}
            </th>
            <th scope="col">First input · last output</th>
            <SortHeader label="Start" sortKey="startTime" {...sortProps} />
            <SortHeader label="Duration" sortKey="durationMs" align="right" {...sortProps} />
            <SortHeader label="Turns" sortKey="traceCount" align="right" {...sortProps} />
            <SortHeader label="Prompt" title="prompt tokens" sortKey="promptTokens" align="right" {...sortProps} />
            <SortHeader label="Completion" title="completion tokens" sortKey="completionTokens" align="right" {...sortProps} />
            <SortHeader label="Tokens" title="total tokens" sortKey="totalTokens" align="right" {...sortProps} />
            <SortHeader label="Cost" sortKey="cost" align="right" {...sortProps} />
            <SortHeader label="Errors" sortKey="errorCount" align="right" {...sortProps} />
            {annotationNames.map((name) => (
              <SortHeader
                key={name}
                label={name}
                title={`${name} (mean score)`}
                sortKey={`${ANNOTATION_SORT_PREFIX}${name}`}
                align="right"
                testId={`sort-annotation-${name}`}
                {...sortProps}
              />
            ))}
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
              <td className="sticky-col">
                <span className="cell-stack">
                  <Link
                    to="/projects/$project/sessions/$sessionId"
                    params={{ project, sessionId: s.sessionId }}
                    className="truncate link mono"
                    title={s.sessionId}
                    data-testid="session-link"
                    data-col="session"
                  >
                    {s.sessionId}
                  </Link>
                  {!hideUsers && (
                    <span className="cell-stack__sub" data-col="users">
                      <UserList userIds={s.userIds} project={project} max={1} />
                    </span>
                  )}
                </span>
              </td>
              <td>
                <span className="cell-stack">
                  <span className="cell-io" data-col="firstInput">
                    <Truncate text={s.firstInput} />
                  </span>
                  <span className="cell-io cell-io--out cell-stack__sub" data-col="lastOutput">
                    <Truncate text={s.lastOutput} />
                  </span>
                </span>
              </td>
              <td className="nowrap" data-col="startTime">
                <TimeText iso={s.startTime} />
              </td>
              <td className="num" data-col="durationMs">
                {formatDuration(s.durationMs)}
              </td>
              <td className="num" data-col="traceCount">
                {formatTokens(s.traceCount)}
              </td>
              <td className="num" data-col="promptTokens">
                {formatTokens(s.tokens.prompt)}
              </td>
              <td className="num" data-col="completionTokens">
                {formatTokens(s.tokens.completion)}
              </td>
              <td className="num" data-col="totalTokens">
                {formatTokens(s.tokens.total)}
              </td>
              <td className="num" data-col="cost">
                {formatCost(s.cost.total)}
              </td>
              <td className="num" data-col="errorCount">
                {s.errorCount > 0 ? (
                  <span className="badge badge--error" title={`${s.errorCount} error${s.errorCount === 1 ? "" : "s"}`}>
                    {formatTokens(s.errorCount)}
                  </span>
                ) : (
                  <span className="muted">0</span>
                )}
              </td>
              {annotationNames.map((name) => (
                <td key={name} className="num" data-col={`annotation:${name}`}>
                  <AnnotationCell name={name} summary={(s.annotations ?? []).find((a) => a.name === name)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
