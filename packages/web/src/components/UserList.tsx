import { Fragment } from "react";
import { Link } from "@tanstack/react-router";

/** User ids of a session: the first one or two (links to their pages when `project` is given), then "+N". */
export function UserList({ userIds, max = 2, project }: { userIds: readonly string[]; max?: number; project?: string }) {
  if (userIds.length === 0) return <span className="muted">—</span>;
  const shown = userIds.slice(0, max);
  const rest = userIds.length - shown.length;
  return (
    <span className="user-list" title={userIds.join(", ")}>
      {shown.map((userId, i) => (
        <Fragment key={userId}>
          {i > 0 && ", "}
          {project === undefined ? (
            userId
          ) : (
            <Link to="/projects/$project/users/$userId" params={{ project, userId }} className="user-link" data-testid="user-link">
              {userId}
            </Link>
          )}
        </Fragment>
      ))}
      {rest > 0 && <span className="muted"> +{rest}</span>}
    </span>
  );
}
