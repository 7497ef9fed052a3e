import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { isNotFoundError } from "../api/client.ts";
import { projectsQuery, sessionsQuery } from "../api/queries.ts";
import { Pagination } from "../components/Pagination.tsx";
import { SessionsTable } from "../components/SessionsTable.tsx";
import { EmptyState, ErrorState, LoadingState, Spinner } from "../components/states.tsx";
import { formatNumber } from "../lib/format.ts";
import { resolveSessionsSearch, sessionsSearch, toggleSort } from "../lib/sessionsSearch.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";

const route = getRouteApi("/projects/$project/sessions");

export function SessionsPage() {
  const { project } = route.useParams();
  const search = resolveSessionsSearch(route.useSearch());
  const navigate = route.useNavigate();
  useDocumentTitle("Sessions", project);

  const sessions = useQuery(sessionsQuery(project, search));
  const projects = useQuery(projectsQuery());
  const total = projects.data?.projects.find((p) => p.name === project)?.sessionCount;

  const pageRows = sessions.data?.sessions.length ?? 0;
  const summary =
    total !== undefined
      ? `${formatNumber(pageRows)} on this page · ${formatNumber(total)} session${total === 1 ? "" : "s"} in total`
      : `${formatNumber(pageRows)} on this page`;

  let body;
  if (sessions.isPending) {
    body = <LoadingState label="Loading sessions…" />;
  } else if (sessions.isError) {
    body = isNotFoundError(sessions.error) ? (
      <EmptyState title={`Project “${project}” not found`}>
        <p className="muted">Pick another project above, or send traces for this project first.</p>
      </EmptyState>
    ) : (
      <ErrorState title="Could not load sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />
    );
  } else if (sessions.data.sessions.length === 0) {
    body = search.cursor ? (
      <EmptyState title="No more sessions">
        <button type="button" className="button" onClick={() => void navigate({ search: sessionsSearch({ ...search, cursor: undefined }) })}>
          First page
        </button>
      </EmptyState>
    ) : (
      <EmptyState title="No sessions yet">
        <p className="muted">
          Sessions appear here once traces carrying a <code className="code">session.id</code> attribute arrive for
          project “{project}”.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <>
        <SessionsTable
          project={project}
          sessions={sessions.data.sessions}
          sort={search.sort}
          order={search.order}
          busy={sessions.isPlaceholderData}
          onSort={(key) => void navigate({ search: toggleSort(search, key) })}
        />
        <Pagination
          hasPrevious={search.cursor !== undefined}
          nextCursor={sessions.data.nextCursor}
          summary={summary}
          onFirst={() => void navigate({ search: sessionsSearch({ ...search, cursor: undefined }) })}
          onNext={(cursor) => void navigate({ search: sessionsSearch({ ...search, cursor }) })}
        />
      </>
    );
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <h1 className="page-title">Sessions</h1>
        {sessions.isFetching && !sessions.isPending && <Spinner label="Refreshing sessions" />}
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              void sessions.refetch();
              void projects.refetch();
            }}
            disabled={sessions.isFetching}
          >
            Refresh
          </button>
        </div>
      </div>
      {body}
    </div>
  );
}
