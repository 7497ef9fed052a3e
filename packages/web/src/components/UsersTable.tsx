import { Link, useNavigate } from "@tanstack/react-router";
import type { UserSortKey, UserSummary } from "../api/types.ts";
import { formatCost, formatNumber, formatTokens } from "../lib/format.ts";
import type { SortOrder } from "../lib/sessionsSearch.ts";
import { AnnotationCell } from "./AnnotationCell.tsx";
import { SortHeader } from "./SortHeader.tsx";
import { TimeText } from "./TimeText.tsx";
import { isInteractiveClick } from "../lib/interactiveClick.ts";
import "../styles/controls.css";
import "../styles/lists.css";

interface UsersTableProps {
  project: string;
  users: UserSummary[];
  sort: UserSortKey;
  order: SortOrder;
  onSort: (key: UserSortKey) => void;
  annotationNames?: readonly string[];
  busy?: boolean;
}


const FIXED_WIDTH = 88 + 76 + 96 + 96 + 72 + 140 + 140;
const ANNOTATION_WIDTH = 124;

/** Users of a project with their usage, errors and annotation averages. */
export function UsersTable({ project, users, sort, order, onSort, annotationNames = [], busy }: UsersTableProps) {
  const navigate = useNavigate();
  const sortProps = { activeSort: sort, activeOrder: order, onSort };
  return (
    <div className="table-wrap table-wrap--scroll">
      <table
        className="table users-table"
        style={{ minWidth: FIXED_WIDTH + 200 + annotationNames.length * ANNOTATION_WIDTH }}
        aria-busy={busy || undefined}
        data-testid="users-table"
      >
        <caption className="visually-hidden">Users of project {project}</caption>
        <colgroup>
          <col />
          <col style={{ width: 88 }} />
          <col style={{ width: 76 }} />
          <col style={{ width: 96 }} />
          <col style={{ width: 96 }} />
          <col style={{ width: 72 }} />
          <col style={{ width: 140 }} />
          <col style={{ width: 140 }} />
          {annotationNames.map((name) => (
            <col key={name} style={{ width: ANNOTATION_WIDTH }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="sticky-col">
              User
            </th>
            <SortHeader label="Sessions" sortKey="sessionCount" align="right" {...sortProps} />
            <SortHeader label="Turns" title="turns (traces)" sortKey="traceCount" align="right" {...sortProps} />
            <SortHeader label="Tokens" title="total tokens" sortKey="totalTokens" align="right" {...sortProps} />
            <SortHeader label="Cost" sortKey="cost" align="right" {...sortProps} />
            <SortHeader label="Errors" sortKey="errorCount" align="right" {...sortProps} />
            <SortHeader label="First seen" sortKey="firstSeen" {...sortProps} />
            <SortHeader label="Last seen" sortKey="lastSeen" {...sortProps} />
            {annotationNames.map((name) => (
              <th key={name} scope="col" className="num" title={`${name}: mean over the user's sessions`}>
                <span className="truncate">{name}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr
              key={u.userId}
              className="row-link"
              data-testid="user-row"
              data-user-id={u.userId}
              onClick={(event) => {
                if (isInteractiveClick(event)) return;
                void navigate({ to: "/projects/$project/users/$userId", params: { project, userId: u.userId } });
              }}
            >
              <td className="sticky-col" data-col="user">
                <Link
                  to="/projects/$project/users/$userId"
                  params={{ project, userId: u.userId }}
                  className="truncate link"
                  title={u.userId}
                  data-testid="user-page-link"
                >
                  {u.userId}
                </Link>
              </td>
              <td className="num" data-col="sessionCount">
                {formatNumber(u.sessionCount)}
              </td>
              <td className="num" data-col="traceCount">
                {formatNumber(u.traceCount)}
              </td>
              <td
                className="num"
                data-col="totalTokens"
                title={`${formatTokens(u.tokens.prompt)} prompt + ${formatTokens(u.tokens.completion)} completion`}
              >
                {formatTokens(u.tokens.total)}
              </td>
              <td className="num" data-col="cost">
                {formatCost(u.cost.total)}
              </td>
              <td className="num" data-col="errorCount">
                {u.errorCount > 0 ? (
                  <span className="badge badge--error">{formatNumber(u.errorCount)}</span>
                ) : (
                  <span className="muted">0</span>
                )}
              </td>
              <td className="nowrap" data-col="firstSeen">
                <TimeText iso={u.firstSeen} />
              </td>
              <td className="nowrap" data-col="lastSeen">
                <TimeText iso={u.lastSeen} />
              </td>
              {annotationNames.map((name) => (
                <td key={name} className="num" data-col={`annotation:${name}`}>
                  <AnnotationCell name={name} summary={(u.annotations ?? []).find((a) => a.name === name)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
