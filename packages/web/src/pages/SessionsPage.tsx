import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { runFilter } from "../api/evaluations.ts";
import { isNotFoundError } from "../api/client.ts";
import { annotationNamesQuery, sessionsQuery, sessionStatsQuery, usersQuery } from "../api/queries.ts";
import { GettingStarted } from "../components/GettingStarted.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { ReevaluateButton } from "../components/ReevaluateButton.tsx";
import { SendToReviewButton } from "../components/SendToReviewButton.tsx";
import { SessionFilters } from "../components/SessionFilters.tsx";
import { SessionStatsPanel } from "../components/SessionStatsPanel.tsx";
import { SessionsTable } from "../components/SessionsTable.tsx";
import { EmptyState, ErrorState, LoadingState, Spinner } from "../components/states.tsx";
import { formatNumber } from "../lib/format.ts";
import {
  ANNOTATION_SORT_PREFIX,
  hasActiveFilters,
  pickFilters,
  resolveSessionsSearch,
  sessionsListParams,
  sessionsSearch,
  toggleSort,
  withFilters,
} from "../lib/sessionsSearch.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/lists.css";

const route = getRouteApi("/projects/$project/sessions");

function toMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The time filter as a chart window: from..to, or from..now. */
function timeWindow(filters: { from?: string; to?: string }): { fromMs?: number; toMs?: number } {
  const fromMs = toMs(filters.from);
  return { fromMs, toMs: toMs(filters.to) ?? (fromMs !== undefined ? Date.now() : undefined) };
}

/** While a project has nothing to show, look again this often (live updates need the project to exist). */
const EMPTY_POLL_MS = 5000;

export function SessionsPage() {
  const { project } = route.useParams();
  const search = route.useSearch();
  const resolved = resolveSessionsSearch(search);
  const navigate = route.useNavigate();
  const { data: me } = useQuery(meQuery());
  const filters = pickFilters(search);
  const filtered = hasActiveFilters(filters);
  useDocumentTitle("Sessions", project);

  const sessions = useQuery({
    ...sessionsQuery(project, sessionsListParams(resolved)),
    refetchInterval: (query) => {
      const { data, error } = query.state;
      const empty = data !== undefined && data.sessions.length === 0 && !filtered && !resolved.cursor;
      return empty || isNotFoundError(error) ? EMPTY_POLL_MS : false;
    },
  });
  const stats = useQuery(sessionStatsQuery(project, resolved.filters));
  const names = useQuery(annotationNamesQuery(project));
  const knownUsers = useQuery({ ...usersQuery(project, { sort: "lastSeen", limit: 100 }), placeholderData: undefined });
  const annotationNames = names.data?.names ?? [];
  const columns = annotationNames.map((a) => a.name);
  // Sorting by an annotation makes its column visible even before the names have loaded.
  const sortedAnnotation = resolved.sort.startsWith(ANNOTATION_SORT_PREFIX) ? resolved.sort.slice(ANNOTATION_SORT_PREFIX.length) : null;
  if (sortedAnnotation !== null && !columns.includes(sortedAnnotation)) columns.push(sortedAnnotation);

  const goToCursor = (cursor: string | undefined) =>
    void navigate({ search: sessionsSearch({ sort: resolved.sort, order: resolved.order, cursor, filters }) });
  const setFilters = (next: typeof filters) => void navigate({ search: withFilters(search, next) });

  const notFound = sessions.isError && isNotFoundError(sessions.error);
  const emptyProject = sessions.data !== undefined && sessions.data.sessions.length === 0 && !filtered && !resolved.cursor;
  const teach = notFound || (emptyProject && !sortedAnnotation);

  const tags = [...new Set((sessions.data?.sessions ?? []).flatMap((s) => s.tags))].sort();
  const pageRows = sessions.data?.sessions.length ?? 0;
  const matching = stats.data?.sessionCount;
  const summary =
    matching !== undefined
      ? `${formatNumber(pageRows)} on this page · ${formatNumber(matching)} ${filtered ? "matching" : "in total"}`
      : `${formatNumber(pageRows)} on this page`;

  let body;
  if (sessions.isPending) {
    body = <LoadingState label="Loading sessions…" />;
  } else if (notFound || (teach && sessions.data)) {
    body = (
      <GettingStarted project={project} title={notFound ? `Project “${project}” has no data yet` : `No sessions in “${project}” yet`}>
        {notFound
          ? "Send traces with this project name and it appears here."
          : "Traces arrived, but none carries a session id. Put spans in a session as below."}
      </GettingStarted>
    );
  } else if (sessions.isError) {
    body = <ErrorState title="Could not load sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />;
  } else if (sessions.data.sessions.length === 0) {
    body = resolved.cursor ? (
      <EmptyState title="No more sessions">
        <button type="button" className="button" onClick={() => goToCursor(undefined)}>
          First page
        </button>
      </EmptyState>
    ) : (
      <EmptyState title="No sessions match these filters">
        {sortedAnnotation !== null && (
          <p className="muted">Sorted by “{sortedAnnotation}”: only sessions annotated with it are listed.</p>
        )}
        <button type="button" className="button" data-testid="empty-clear-filters" onClick={() => void navigate({ search: {} })}>
          Clear filters and sort
        </button>
      </EmptyState>
    );
  } else {
    body = (
      <>
        {sortedAnnotation !== null && (
          <p className="list-note muted" data-testid="annotation-sort-note">
            Sorted by the mean score of “{sortedAnnotation}”: sessions without it are left out.
          </p>
        )}
        <SessionsTable
          project={project}
          sessions={sessions.data.sessions}
          sort={resolved.sort}
          order={resolved.order}
          annotationNames={columns}
          busy={sessions.isPlaceholderData}
          onSort={(key) => void navigate({ search: toggleSort(search, key) })}
        />
        <Pagination
          hasPrevious={resolved.cursor !== undefined}
          nextCursor={sessions.data.nextCursor}
          summary={summary}
          onFirst={() => goToCursor(undefined)}
          onNext={(cursor) => goToCursor(cursor)}
        />
      </>
    );
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <h1 className="page-title">Sessions</h1>
        {(sessions.isFetching || stats.isFetching) && !sessions.isPending && <Spinner label="Refreshing sessions" />}
        <div className="page-header__actions">
          {roleIn(me, project) !== "viewer" && stats.data && stats.data.sessionCount > 0 && (
            <ReevaluateButton
              project={project}
              request={{ filter: runFilter(resolved.filters) }}
              label={filtered ? `Re-evaluate these ${formatNumber(stats.data.sessionCount)} sessions` : "Re-evaluate all sessions"}
            />
          )}
          {roleIn(me, project) !== "viewer" && stats.data && stats.data.sessionCount > 0 && (
            <SendToReviewButton project={project} search={resolved} names={names.data?.names.map((n) => n.name) ?? []} count={stats.data.sessionCount} />
          )}
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              void sessions.refetch();
              void stats.refetch();
              void names.refetch();
            }}
            disabled={sessions.isFetching}
          >
            Refresh
          </button>
        </div>
      </div>
      {!teach && !sessions.isPending && (
        <>
          <SessionFilters
            filters={filters}
            onChange={setFilters}
            annotationNames={annotationNames}
            userSuggestions={knownUsers.data?.users.map((u) => u.userId) ?? []}
            tagSuggestions={tags}
          />
          {stats.data ? (
            <SessionStatsPanel stats={stats.data} busy={stats.isPlaceholderData} {...timeWindow(resolved.filters)} />
          ) : stats.isError ? (
            <p className="list-note list-note--error" role="alert" data-testid="stats-error">
              Could not load the figures of these sessions: {stats.error.message}
            </p>
          ) : (
            <div className="stats-placeholder" aria-hidden="true" />
          )}
        </>
      )}
      {body}
    </div>
  );
}
