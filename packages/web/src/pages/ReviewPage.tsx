// One review queue, one session at a time: the conversation with the evaluators' pointers, their
// verdicts, and the reviewer's label, score and note, with keyboard shortcuts to move on.
import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { sessionQuery } from "../api/queries.ts";
import { reviewQueueQuery, type ReviewItem, type ReviewQueueDetail } from "../api/reviews.ts";
import { Conversation } from "../components/Conversation.tsx";
import { ReviewForm } from "../components/ReviewForm.tsx";
import { EmptyState, ErrorState, LoadingState } from "../components/states.tsx";
import { formatScore } from "../lib/figures.ts";
import { formatNumber } from "../lib/format.ts";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";
import "../styles/review.css";
import "../styles/session.css";

const route = getRouteApi("/projects/$project/review/$queueId");

export function ReviewPage() {
  const { project, queueId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queue = useQuery(reviewQueueQuery(project, queueId));
  const { data: me } = useQuery(meQuery());
  useDocumentTitle(queue.data ? `Review: ${queue.data.queue.name}` : "Review", project);

  const items = queue.data?.items ?? [];
  // Without ?item=, the first session nobody has reviewed yet.
  const position = search.item ?? (items.find((i) => !i.reviewedBy) ?? items[0])?.position;
  const index = items.findIndex((i) => i.position === position);
  const item = index >= 0 ? items[index] : undefined;
  const go = (to: ReviewItem | undefined) => to && void navigate({ search: { item: to.position }, replace: true });
  const next = () => go(items[index + 1]);
  const previous = () => go(items[index - 1]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLElement && event.target.closest("input, textarea, select, [contenteditable]")) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === "j" || event.key === "ArrowRight") next();
      else if (event.key === "k" || event.key === "ArrowLeft") previous();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  if (queue.isPending) return <div className="page"><LoadingState label="Loading the queue…" /></div>;
  if (queue.isError) return <div className="page"><ErrorState title="Could not load the queue" error={queue.error} onRetry={() => void queue.refetch()} /></div>;
  const { queue: q, agreement } = queue.data;
  return (
    <div className="page page--wide">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <ol>
          <li><Link to="/projects/$project/review" params={{ project }} className="link">Review</Link></li>
          <li aria-current="page" className="breadcrumb__current">{q.name}</li>
        </ol>
      </nav>
      <div className="page-header">
        <h1 className="page-title">{q.name}</h1>
        <span className="muted" data-testid="review-progress">{formatNumber(q.reviewed)} of {formatNumber(q.total)} reviewed</span>
        <progress className="review-progress" max={q.total} value={q.reviewed} aria-hidden="true" />
        <Agreement agreement={agreement} />
      </div>
      {!item ? (
        <EmptyState title="This queue has no sessions left (they were deleted)" />
      ) : (
        <div className="review-layout">
          <div className="review-layout__main">
            <ReviewedSession project={project} sessionId={item.sessionId} />
          </div>
          <aside className="review-layout__side" aria-label="Review">
            <div className="review-nav">
              <button type="button" className="button" onClick={previous} disabled={index <= 0} data-testid="review-previous" title="Previous (k or ←)">‹ Previous</button>
              <span data-testid="review-position">{index + 1} / {items.length}</span>
              <button type="button" className="button" onClick={next} disabled={index >= items.length - 1} data-testid="review-next" title="Next (j or →)">Next ›</button>
            </div>
            <Link to="/projects/$project/sessions/$sessionId" params={{ project, sessionId: item.sessionId }} className="link mono review-session-link">{item.sessionId}</Link>
            <Verdicts item={item} annotation={q.annotation} />
            {roleIn(me, project) === "viewer" ? (
              <p className="muted">Viewers read the queue; reviewing needs the annotator role.</p>
            ) : (
              <ReviewForm key={`${item.position}:${item.review?.updatedAt ?? ""}`} project={project} queue={q} item={item} onSaved={next} />
            )}
            <ItemList items={items} current={item.position} onPick={go} />
          </aside>
        </div>
      )}
    </div>
  );
}

function ReviewedSession({ project, sessionId }: { project: string; sessionId: string }) {
  const session = useQuery(sessionQuery(project, sessionId));
  if (session.isPending) return <LoadingState label="Loading session…" />;
  if (session.isError) return <ErrorState title="Could not load the session" error={session.error} onRetry={() => void session.refetch()} />;
  const data = session.data;
  return (
    <Conversation
      key={sessionId}
      project={project}
      sessionId={sessionId}
      traceCount={data.traceCount}
      userLabel={data.userIds.length === 1 ? data.userIds[0]! : "User"}
      pointers={data.sessionAnnotations}
      showSystem={false}
      activeTraceId={null}
      onOpenTrace={(traceId) => window.open(`/projects/${encodeURIComponent(project)}/sessions/${encodeURIComponent(sessionId)}?trace=${traceId}`, "_blank")}
    />
  );
}

function Verdicts({ item, annotation }: { item: ReviewItem; annotation: string }) {
  if (item.verdicts.length === 0) return <p className="muted">No {annotation} result on this session yet.</p>;
  return (
    <ul className="review-verdicts" data-testid="review-verdicts">
      {item.verdicts.map((v) => (
        <li key={`${v.annotatorKind}:${v.identifier}`}>
          <span className="muted">{v.annotatorKind === "HUMAN" ? v.identifier : `${annotation} (${v.annotatorKind.toLowerCase()})`}:</span>{" "}
          {v.label && <span className="label-pill">{v.label}</span>} {v.score !== null && formatScore(v.score)}
        </li>
      ))}
    </ul>
  );
}

function Agreement({ agreement }: { agreement: ReviewQueueDetail["agreement"] }) {
  if (agreement.length === 0) return null;
  return (
    <span className="review-agreement" data-testid="review-agreement">
      {agreement.map((a) => (
        <span key={`${a.annotatorKind}:${a.identifier}`} title={`Over ${a.compared} reviewed sessions this evaluator also judged`}>
          {a.annotatorKind.toLowerCase()} {a.identifier}: {a.sameLabel !== null ? `same label ${Math.round(a.sameLabel * 100)}%` : "no labels"}
          {a.meanScoreDifference !== null && ` · scores ±${formatScore(a.meanScoreDifference)}`} (of {a.compared})
        </span>
      ))}
    </span>
  );
}

function ItemList({ items, current, onPick }: { items: ReviewItem[]; current: number; onPick: (item: ReviewItem) => void }) {
  return (
    <ol className="review-items" data-testid="review-items">
      {items.map((i) => (
        <li key={i.position}>
          <button type="button" className={`review-items__item${i.position === current ? " review-items__item--current" : ""}`} onClick={() => onPick(i)}
            aria-current={i.position === current ? "true" : undefined}>
            <span className="mono">{i.sessionId}</span>
            <span className="muted">{i.reviewedBy ? `✓ ${i.reviewedBy}` : ""}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
