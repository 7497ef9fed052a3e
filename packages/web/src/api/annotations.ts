// Annotation mutations shared by the session, turn, trace and span views, and the cache updates
// after them: the changed target's list is refetched, and the loaded conversation pages are
// patched in place (refetching every loaded page of a 20,000-turn session for one thumb would be waste).
import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { sessionApi } from "./client.ts";
import { queryKeys, sessionPageKeys } from "./queries.ts";
import type { Annotation, AnnotationInput, AnnotationTarget, Conversation } from "./types.ts";

/**
 * Thumbs up / down on a turn (a trace) — the convention of this UI:
 * an annotation on the trace named "thumbs", annotator HUMAN, default identifier (so one per trace),
 * label "up" with score 1, or label "down" with score 0. The mean score of "thumbs" is then the
 * share of thumbs up. Clicking the active thumb again deletes the annotation.
 */
export const THUMBS = {
  name: "thumbs",
  up: { label: "up", score: 1 },
  down: { label: "down", score: 0 },
} as const;

export type ThumbsValue = "up" | "down";

/** The human thumbs annotation among a target's annotations, if any. */
export function findThumbs(annotations: Annotation[]): Annotation | undefined {
  return annotations.find((a) => a.name === THUMBS.name && a.annotatorKind === "HUMAN");
}

export function thumbsValue(annotation: Annotation | undefined): ThumbsValue | null {
  if (!annotation) return null;
  if (annotation.label === "up" || annotation.label === "down") return annotation.label;
  if (annotation.score === 1) return "up";
  if (annotation.score === 0) return "down";
  return null;
}

/** Replaces (same id, or same name + identifier: POST replaces those) or removes one annotation in a list. */
export function upsertAnnotation(list: Annotation[], changed: Annotation | null, removedId?: string): Annotation[] {
  const matches = (a: Annotation) =>
    a.id === removedId ||
    (changed !== null && (a.id === changed.id || (a.name === changed.name && a.identifier === changed.identifier)));
  const index = list.findIndex(matches);
  const rest = list.filter((a) => !matches(a));
  if (!changed) return rest;
  if (index < 0) return [...rest, changed];
  rest.splice(index, 0, changed); // keep its place in the list
  return rest;
}

/**
 * Patches the turns of every loaded conversation of the project that show this trace. A refetch in
 * flight (e.g. started by a live update before this change was committed) is cancelled first, so it
 * cannot land afterwards with the old annotations; the live update for this change refetches anyway.
 */
async function patchConversations(queryClient: QueryClient, project: string, traceId: string, changed: Annotation | null, removedId?: string) {
  const filters = { queryKey: ["projects", project, "session"], predicate: (query: { queryKey: readonly unknown[] }) => query.queryKey[4] === "conversation" };
  await queryClient.cancelQueries(filters);
  queryClient.setQueriesData<InfiniteData<Conversation>>(
    filters,
    (data) => {
      if (!data) return data;
      let touched = false;
      const pages = data.pages.map((page) => {
        if (!page.turns.some((turn) => turn.traceId === traceId)) return page;
        touched = true;
        return {
          ...page,
          turns: page.turns.map((turn) =>
            turn.traceId === traceId ? { ...turn, annotations: upsertAnnotation(turn.annotations, changed, removedId) } : turn,
          ),
        };
      });
      return touched ? { ...data, pages } : data;
    },
  );
}

async function afterChange(
  queryClient: QueryClient,
  project: string,
  target: AnnotationTarget,
  changed: Annotation | null,
  removedId?: string,
  sessionId?: string | null,
) {
  if (target.type === "trace") await patchConversations(queryClient, project, target.traceId, changed, removedId);
  void queryClient.invalidateQueries({ queryKey: sessionPageKeys.annotations(project, target), exact: true });
  const session = target.type === "session" ? target.sessionId : sessionId;
  // The session's own figures (annotation summaries, sessionAnnotations), not its conversation pages.
  if (session) void queryClient.invalidateQueries({ queryKey: queryKeys.session(project, session), exact: true });
  // Lists show annotation summaries as columns.
  void queryClient.invalidateQueries({ queryKey: ["projects", project, "sessions"] });
  void queryClient.invalidateQueries({ queryKey: ["projects", project, "annotationNames"] });
}

/** Save (create or replace), update and delete, each refreshing what shows the annotation. */
export function useAnnotationMutations(project: string, sessionId?: string | null) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: ({ target, input }: { target: AnnotationTarget; input: AnnotationInput }) =>
      sessionApi.saveAnnotation(project, target, input),
    onSuccess: (annotation, { target }) => afterChange(queryClient, project, target, annotation, undefined, sessionId),
  });
  const update = useMutation({
    mutationFn: ({ annotation, input }: { annotation: Annotation; input: Partial<AnnotationInput> }) =>
      sessionApi.updateAnnotation(project, annotation.id, input),
    onSuccess: (updated, { annotation }) =>
      afterChange(queryClient, project, annotation.target, updated, annotation.id, sessionId),
  });
  const remove = useMutation({
    mutationFn: (annotation: Annotation) => sessionApi.deleteAnnotation(project, annotation.id),
    onSuccess: (_nothing, annotation) => afterChange(queryClient, project, annotation.target, null, annotation.id, sessionId),
  });
  return { save, update, remove };
}
