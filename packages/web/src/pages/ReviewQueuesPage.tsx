// The project's review queues, with how far each one is.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { reviewQueuesQuery } from "../api/reviews.ts";
import { TimeText } from "../components/TimeText.tsx";
import { EmptyState, ErrorState, LoadingState } from "../components/states.tsx";
import { formatNumber } from "../lib/format.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/admin.css";
import "../styles/review.css";

const route = getRouteApi("/projects/$project/review");

export function ReviewQueuesPage() {
  const { project } = route.useParams();
  useDocumentTitle("Review", project);
  const queues = useQuery(reviewQueuesQuery(project));
  let body;
  if (queues.isPending) body = <LoadingState label="Loading review queues…" />;
  else if (queues.isError) body = <ErrorState title="Could not load the review queues" error={queues.error} onRetry={() => void queues.refetch()} />;
  else if (queues.data.queues.length === 0) {
    body = (
      <EmptyState title="No review queues yet">
        On the <Link to="/projects/$project/sessions" params={{ project }} className="link">sessions page</Link>, filter or sort the sessions
        (say, frustrated this week, or the lowest goal_completion) and choose “Send to review”.
      </EmptyState>
    );
  } else {
    body = (
      <table className="admin-table" data-testid="review-queues">
        <thead>
          <tr><th>Queue</th><th>Reviewers score</th><th>Progress</th><th>Made by</th><th>Made</th></tr>
        </thead>
        <tbody>
          {queues.data.queues.map((q) => (
            <tr key={q.id} data-testid="review-queue-row">
              <td><Link to="/projects/$project/review/$queueId" params={{ project, queueId: q.id }} className="link">{q.name}</Link></td>
              <td className="mono">{q.annotation}</td>
              <td>
                <progress className="review-progress" max={q.total} value={q.reviewed} aria-label={`${q.reviewed} of ${q.total} reviewed`} />{" "}
                <span data-testid="queue-progress">{formatNumber(q.reviewed)} / {formatNumber(q.total)}</span>
              </td>
              <td>{q.createdBy}</td>
              <td><TimeText iso={q.createdAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <div className="page page--wide">
      <div className="page-header"><h1 className="page-title">Review queues</h1></div>
      {body}
    </div>
  );
}
