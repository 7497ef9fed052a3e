import { useCallback, useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { isNotFoundError } from "../api/client.ts";
import { annotationNamesQuery, usersQuery } from "../api/queries.ts";
import { GettingStarted } from "../components/GettingStarted.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { UsersTable } from "../components/UsersTable.tsx";
import { EmptyState, ErrorState, LoadingState, Spinner } from "../components/states.tsx";
import { formatNumber } from "../lib/format.ts";
import { describeLabelFilter, resolveUsersSearch, toggleUserSort, usersSearch } from "../lib/usersSearch.ts";
import { evaluatorsQuery } from "../api/evaluations.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/controls.css";
import "../styles/lists.css";
import "../styles/evaluations.css";

const route = getRouteApi("/projects/$project/users");

export function UsersPage() {
  const { project } = route.useParams();
  const search = resolveUsersSearch(route.useSearch());
  const navigate = route.useNavigate();
  useDocumentTitle("Users", project);

  const users = useQuery(usersQuery(project, search));
  const names = useQuery(annotationNamesQuery(project));
  const evaluators = useQuery(evaluatorsQuery(project));
  const views = (evaluators.data?.evaluators ?? []).filter((e) => e.worst?.label);
  const clearLabelFilter = () => void navigate({ search: usersSearch({ ...search, annotation: undefined, label: undefined, minSessions: undefined, since: undefined, cursor: undefined }) });
  const columns = names.data?.names.map((a) => a.name) ?? [];

  // The id filter applies as you type (debounced); the URL keeps it.
  const [draft, setDraft] = useState(search.q ?? "");
  const sent = useRef(search.q);
  const latest = useRef(search);
  useEffect(() => {
    latest.current = search;
  });
  useEffect(() => {
    // Back/forward or a link changed the filter: show it (but never undo what is being typed).
    if (search.q !== sent.current) {
      sent.current = search.q;
      setDraft(search.q ?? "");
    }
  }, [search.q]);
  const apply = useCallback(
    (text: string) => {
      const q = text.trim() || undefined;
      if (q === latest.current.q) return;
      sent.current = q;
      void navigate({ search: usersSearch({ ...latest.current, q, cursor: undefined }), replace: true });
    },
    [navigate],
  );
  useEffect(() => {
    const timer = setTimeout(() => apply(draft), 300);
    return () => clearTimeout(timer);
  }, [draft, apply]);

  let body;
  if (users.isPending) {
    body = <LoadingState label="Loading users…" />;
  } else if (users.isError) {
    body = isNotFoundError(users.error) ? (
      <GettingStarted project={project} title={`Project “${project}” has no data yet`}>
        Send traces with this project name and its users appear here.
      </GettingStarted>
    ) : (
      <ErrorState title="Could not load users" error={users.error} onRetry={() => void users.refetch()} />
    );
  } else if (users.data.users.length === 0) {
    body = search.annotation && !search.cursor ? (
      <EmptyState title={`No one: ${describeLabelFilter(search).replace(/^Users/, "no user")}`}>
        <button type="button" className="button" onClick={clearLabelFilter}>Every user</button>
      </EmptyState>
    ) : search.q ? (
      <EmptyState title={`No user id contains “${search.q}”`}>
        <button type="button" className="button" onClick={() => setDraft("")}>
          Clear the filter
        </button>
      </EmptyState>
    ) : search.cursor ? (
      <EmptyState title="No more users">
        <button type="button" className="button" onClick={() => void navigate({ search: usersSearch({ ...search, cursor: undefined }) })}>
          First page
        </button>
      </EmptyState>
    ) : (
      <GettingStarted project={project} title={`No users in “${project}” yet`}>
        Sessions arrived, but no span carries a user id. Set one as below.
      </GettingStarted>
    );
  } else {
    const pageRows = users.data.users.length;
    body = (
      <>
        <UsersTable
          project={project}
          users={users.data.users}
          sort={search.sort}
          order={search.order}
          annotationNames={columns}
          busy={users.isPlaceholderData}
          onSort={(key) => void navigate({ search: toggleUserSort(search, key) })}
        />
        <Pagination
          hasPrevious={search.cursor !== undefined}
          nextCursor={users.data.nextCursor}
          summary={`${formatNumber(pageRows)} on this page`}
          onFirst={() => void navigate({ search: usersSearch({ ...search, cursor: undefined }) })}
          onNext={(cursor) => void navigate({ search: usersSearch({ ...search, cursor }) })}
        />
      </>
    );
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <h1 className="page-title">Users</h1>
        {users.isFetching && !users.isPending && <Spinner label="Refreshing users" />}
        <div className="page-header__actions">
          <span className="filter-input filter-input--icon">
            <svg className="filter-input__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
              <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
            <input
              type="search"
              className="input input--sm users-filter"
              placeholder="Filter by user id…"
              aria-label="Filter users by id"
              data-testid="users-q"
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") apply(draft);
              }}
            />
          </span>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              void users.refetch();
              void names.refetch();
            }}
            disabled={users.isFetching}
          >
            Refresh
          </button>
        </div>
      </div>
      {(search.annotation || views.length > 0) && (
        <div className="list-views" data-testid="users-views">
          {search.annotation ? (
            <span className="filter-chip" data-testid="label-filter">
              {describeLabelFilter(search)}
              <button type="button" className="button button--ghost button--sm" aria-label="Clear this filter" onClick={clearLabelFilter}>×</button>
            </span>
          ) : (
            views.map((e) => (
              <button key={e.name} type="button" className="button button--ghost button--sm" data-testid={`view-${e.name}`}
                onClick={() => void navigate({ search: usersSearch({ ...search, annotation: e.name, label: e.worst!.label!, minSessions: 2, since: "7d", cursor: undefined }) })}>
                Two or more “{e.worst!.label}” sessions this week
              </button>
            ))
          )}
        </div>
      )}
      {body}
    </div>
  );
}
