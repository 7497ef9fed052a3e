import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { isNotFoundError } from "../api/client.ts";
import { sessionQuery } from "../api/queries.ts";
import { Conversation } from "../components/Conversation.tsx";
import { EmptyState, ErrorState, LoadingState, Spinner } from "../components/states.tsx";
import { SummaryStrip } from "../components/SummaryStrip.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";

const route = getRouteApi("/projects/$project/sessions/$sessionId");

export function SessionPage() {
  const { project, sessionId } = route.useParams();
  useDocumentTitle(`Session ${sessionId}`, project);
  const session = useQuery(sessionQuery(project, sessionId));

  let body;
  if (session.isPending) {
    body = <LoadingState label="Loading session…" />;
  } else if (session.isError) {
    body = isNotFoundError(session.error) ? (
      <EmptyState title="Session not found">
        <p className="muted">
          There is no session with this id in project “{project}”.{" "}
          <Link to="/projects/$project/sessions" params={{ project }} className="link">
            Back to sessions
          </Link>
        </p>
      </EmptyState>
    ) : (
      <ErrorState title="Could not load the session" error={session.error} onRetry={() => void session.refetch()} />
    );
  } else {
    const data = session.data;
    body = (
      <>
        <SummaryStrip session={data} />
        {data.traces.length === 0 ? (
          <EmptyState title="No turns in this session" />
        ) : (
          <Conversation project={project} traces={data.traces} />
        )}
      </>
    );
  }

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <ol>
          <li>
            <Link to="/projects/$project/sessions" params={{ project }} className="link" data-testid="breadcrumb-sessions">
              Sessions
            </Link>
          </li>
          <li aria-current="page" className="breadcrumb__current mono" title={sessionId}>
            {sessionId}
          </li>
        </ol>
      </nav>
      <div className="page-header">
        <h1 className="page-title page-title--id" title={sessionId}>
          Session <span className="mono">{sessionId}</span>
        </h1>
        {session.isFetching && !session.isPending && <Spinner label="Refreshing session" />}
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void session.refetch()}
            disabled={session.isFetching}
          >
            Refresh
          </button>
        </div>
      </div>
      {body}
    </div>
  );
}
