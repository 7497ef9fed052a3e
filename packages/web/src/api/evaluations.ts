// The evaluators, their results over time, re-running them and following a run.
import { queryOptions } from "@tanstack/react-query";
import type { EvaluationRun, EvaluationRunRequest, EvaluatorList, SessionEvaluationJobs } from "../../../server/src/api/evaluation-types.ts";
import type { AnnotationDistribution } from "../../../server/src/api/types.ts";
import type { SessionApiFilters } from "../lib/sessionsSearch.ts";
import { buildUrl, getJson, seg, sendJson } from "./client.ts";
import { queryKeys } from "./queries.ts";

export type { EvaluationRun };

/** The list's filters (URL text) as a run's body wants them: scores as numbers. */
export function runFilter(filters: SessionApiFilters): NonNullable<EvaluationRunRequest["filter"]> {
  const { scoreMin, scoreMax, ...rest } = filters;
  return {
    ...(rest as NonNullable<EvaluationRunRequest["filter"]>),
    ...(scoreMin !== undefined ? { scoreMin: Number(scoreMin) } : {}),
    ...(scoreMax !== undefined ? { scoreMax: Number(scoreMax) } : {}),
  };
}

export const evaluationApi = {
  async start(project: string, request: EvaluationRunRequest): Promise<EvaluationRun> {
    return (await sendJson<EvaluationRun>("POST", buildUrl(`/projects/${seg(project)}/evaluations`), request))!;
  },
  progress: (project: string, runId: string) => getJson<EvaluationRun>(buildUrl(`/projects/${seg(project)}/evaluations/${seg(runId)}`)),
};

export type { EvaluatorList };
export type Evaluator = EvaluatorList["evaluators"][number];

export function evaluatorsQuery(project: string) {
  return queryOptions({
    queryKey: ["projects", project, "evaluators"] as const,
    queryFn: ({ signal }) => getJson<EvaluatorList>(buildUrl(`/projects/${seg(project)}/evaluators`), signal),
    staleTime: 60_000,
  });
}

/** An annotation's labels and mean score per bucket over the window (`from`: a time or back from now, 30d). */
export function distributionQuery(project: string, name: string, from: string) {
  return queryOptions({
    queryKey: ["projects", project, "distribution", name, from] as const,
    queryFn: ({ signal }) => getJson<AnnotationDistribution>(buildUrl(`/projects/${seg(project)}/annotation-names/${seg(name)}/distribution`, { from }), signal),
  });
}

export type EvaluationJob = SessionEvaluationJobs["jobs"][number];

/** A session's evaluation jobs, newest first: under the session's key, so refreshing the session refreshes them. */
export function sessionEvaluationsQuery(project: string, sessionId: string) {
  return queryOptions({
    queryKey: [...queryKeys.session(project, sessionId), "evaluations"] as const,
    queryFn: ({ signal }) =>
      getJson<SessionEvaluationJobs>(buildUrl(`/projects/${seg(project)}/sessions/${seg(sessionId)}/evaluations`, { limit: 50 }), signal),
  });
}
