import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { annotationsQuery, traceQuery } from "../api/queries.ts";
import { AnnotationsPanel } from "../components/annotations/AnnotationsPanel.tsx";
import { Thumbs } from "../components/annotations/Thumbs.tsx";
import { DeleteButton } from "../components/DeleteButton.tsx";
import { CopyLinkButton } from "../components/ShareButtons.tsx";
import { Spinner } from "../components/states.tsx";
import { TraceView } from "../components/trace/TraceView.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/controls.css";
import "../styles/session.css";

const route = getRouteApi("/projects/$project/traces/$traceId");

/** One trace by id: its waterfall and span details, thumbs and annotations; linked from each turn. */
export function TracePage() {
  const { project, traceId } = route.useParams();
  const { span } = route.useSearch();
  const navigate = route.useNavigate();
  useDocumentTitle(`Trace ${traceId.slice(0, 12)}`, project);
  const trace = useQuery(traceQuery(project, traceId));
  const annotations = useQuery(annotationsQuery(project, { type: "trace", traceId }));
  const sessionId = trace.data?.sessionId ?? null;
  const { data: me } = useQuery(meQuery());

  return (
    <div className="page page--wide page--trace">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <ol>
          <li>
            <Link to="/projects/$project/sessions" params={{ project }} className="link">
              Sessions
            </Link>
          </li>
          {sessionId && (
            <li className="breadcrumb__current">
              <Link
                to="/projects/$project/sessions/$sessionId"
                params={{ project, sessionId }}
                search={{ trace: traceId }}
                className="link mono"
                data-testid="breadcrumb-session"
              >
                {sessionId}
              </Link>
            </li>
          )}
          <li aria-current="page" className="breadcrumb__current mono" title={traceId}>
            {traceId}
          </li>
        </ol>
      </nav>
      <div className="page-header">
        <h1 className="page-title page-title--id" title={traceId}>
          Trace <span className="mono">{traceId}</span>
        </h1>
        {trace.isFetching && !trace.isPending && <Spinner label="Refreshing trace" />}
        <div className="page-header__actions">
          {trace.isSuccess && (
            <Thumbs project={project} traceId={traceId} sessionId={sessionId} annotations={annotations.data?.annotations ?? []} />
          )}
          <CopyLinkButton />
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              void trace.refetch();
              void annotations.refetch();
            }}
            disabled={trace.isFetching}
          >
            Refresh
          </button>
          {roleIn(me, project) === "admin" && trace.isSuccess && (
            <DeleteButton
              project={project}
              kind="traces"
              id={traceId}
              label="Delete trace"
              consequence={`Trace ${traceId}, with its ${trace.data.spans.length} spans and their annotations, is deleted for good${sessionId ? `; session ${sessionId} keeps its other turns` : ""}.`}
              onDeleted={() =>
                void (sessionId
                  ? navigate({ to: "/projects/$project/sessions/$sessionId", params: { project, sessionId }, search: {} })
                  : navigate({ to: "/projects/$project/sessions", params: { project }, search: {} }))
              }
            />
          )}
        </div>
      </div>
      <TraceView
        project={project}
        traceId={traceId}
        selectedSpanId={span ?? null}
        onSelectSpan={(spanId) => void navigate({ search: { span: spanId }, replace: true })}
        layout="split"
      />
      {trace.isSuccess && (
        <div className="trace-page__annotations">
          <AnnotationsPanel
            project={project}
            target={{ type: "trace", traceId }}
            sessionId={sessionId}
            title="Trace annotations"
          />
        </div>
      )}
    </div>
  );
}
