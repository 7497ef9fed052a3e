import { useCallback } from "react";
import { useIsFetching, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { isNotFoundError, sessionApi } from "../api/client.ts";
import { queryKeys, sessionQuery } from "../api/queries.ts";
import { AnnotationsPanel } from "../components/annotations/AnnotationsPanel.tsx";
import { Conversation } from "../components/Conversation.tsx";
import { SessionTraces } from "../components/SessionTraces.tsx";
import { DeleteButton } from "../components/DeleteButton.tsx";
import { EvaluationJobs } from "../components/EvaluationJobs.tsx";
import { ReevaluateButton } from "../components/ReevaluateButton.tsx";
import { CopyLinkButton, DownloadButton } from "../components/ShareButtons.tsx";
import { EmptyState, ErrorState, LoadingState, Spinner } from "../components/states.tsx";
import { SessionFacts, SummaryStrip } from "../components/SummaryStrip.tsx";
import { TraceDrawer } from "../components/trace/TraceDrawer.tsx";
import { formatNumber } from "../lib/format.ts";
import type { SessionPageSearch } from "../lib/sessionPageSearch.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/controls.css";
import "../styles/session.css";

const route = getRouteApi("/projects/$project/sessions/$sessionId");

export function SessionPage() {
  const { project, sessionId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  useDocumentTitle(`Session ${sessionId}`, project);
  const session = useQuery(sessionQuery(project, sessionId));
  const queryClient = useQueryClient();
  const { data: me } = useQuery(meQuery());
  // The session, its conversation pages, trace list and annotations all live under this key.
  const fetchingSession = useIsFetching({ queryKey: queryKeys.session(project, sessionId) }) > 0;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.session(project, sessionId) });

  const setSearch = useCallback(
    (change: Partial<Record<keyof SessionPageSearch, string | undefined>>, replace = false) =>
      void navigate({ search: (prev) => ({ ...prev, ...change }) as SessionPageSearch, replace }),
    [navigate],
  );
  const openTrace = useCallback(
    (traceId: string, spanId?: string) => setSearch({ trace: traceId, span: spanId }),
    [setSearch],
  );
  const closeTrace = useCallback(() => setSearch({ trace: undefined, span: undefined }), [setSearch]);
  const selectSpan = useCallback((spanId: string) => setSearch({ span: spanId }, true), [setSearch]);

  const showSystem = search.system === "1";
  const tab = search.tab ?? "conversation";
  const activeTraceId = search.trace ?? null;

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
        <div className="session-overview">
          <SessionFacts session={data} />
          <AnnotationsPanel
            project={project}
            target={{ type: "session", sessionId }}
            initial={data.sessionAnnotations}
            title="Session annotations"
          />
          <EvaluationJobs project={project} sessionId={sessionId} />
        </div>
        <div className="session-toolbar">
          <div className="tabs tabs--page" role="tablist" aria-label="Session views">
            <button
              type="button"
              role="tab"
              aria-selected={tab === "conversation"}
              className={`tabs__tab${tab === "conversation" ? " tabs__tab--active" : ""}`}
              data-testid="tab-conversation"
              onClick={() => setSearch({ tab: undefined })}
            >
              Conversation
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === "traces"}
              className={`tabs__tab${tab === "traces" ? " tabs__tab--active" : ""}`}
              data-testid="tab-traces"
              onClick={() => setSearch({ tab: "traces" })}
            >
              Traces <span className="tabs__count">{formatNumber(data.traceCount)}</span>
            </button>
          </div>
          {tab === "conversation" && (
            <label className="toggle">
              <input
                type="checkbox"
                checked={showSystem}
                onChange={(e) => setSearch({ system: e.target.checked ? "1" : undefined }, true)}
                data-testid="toggle-system"
              />
              Show system prompts
            </label>
          )}
        </div>
        {tab === "conversation" ? (
          <Conversation
            project={project}
            sessionId={sessionId}
            traceCount={data.traceCount}
            userLabel={data.userIds.length === 1 ? data.userIds[0]! : "User"}
            pointers={data.sessionAnnotations}
            showSystem={showSystem}
            activeTraceId={activeTraceId}
            onOpenTrace={openTrace}
          />
        ) : (
          <SessionTraces project={project} sessionId={sessionId} activeTraceId={activeTraceId} onOpenTrace={openTrace} />
        )}
      </>
    );
  }

  return (
    <>
      <div className={`page page--session${activeTraceId ? " page--with-drawer" : ""}`}>
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
          {session.isSuccess && (
            <span className={`badge badge--state badge--${session.data.state}`} data-testid="session-state" title="open: turns arriving; idle: quiet for the idle time; closed: ended">
              {session.data.state}
            </span>
          )}
          {fetchingSession && !session.isPending && <Spinner label="Refreshing session" />}
          <div className="page-header__actions">
            {session.isSuccess && roleIn(me, project) !== "viewer" && (
              <ReevaluateButton project={project} request={{ sessionId }} label="Re-evaluate" />
            )}
            <CopyLinkButton />
            <DownloadButton href={sessionApi.sessionExportUrl(project, sessionId)} label="Download JSON" />
            <button
              type="button"
              className="button button--ghost"
              onClick={refresh}
              disabled={fetchingSession}
            >
              Refresh
            </button>
            {roleIn(me, project) === "admin" && session.isSuccess && (
              <DeleteButton
                project={project}
                kind="sessions"
                id={sessionId}
                label="Delete session"
                consequence={`Every turn of session ${sessionId} (${formatNumber(session.data.traceCount)} traces), with its spans, search words and annotations, is deleted for good.`}
                onDeleted={() => void navigate({ to: "/projects/$project/sessions", params: { project }, search: {} })}
              />
            )}
          </div>
        </div>
        {body}
      </div>
      {activeTraceId && (
        <TraceDrawer
          key={activeTraceId}
          project={project}
          sessionId={sessionId}
          traceId={activeTraceId}
          spanId={search.span ?? null}
          onSelectSpan={selectSpan}
          onClose={closeTrace}
        />
      )}
    </>
  );
}
