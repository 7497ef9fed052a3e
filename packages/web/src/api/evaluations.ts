// Re-running evaluations and following a run.
import type { EvaluationRun, EvaluationRunRequest } from "../../../server/src/api/evaluation-types.ts";
import type { SessionApiFilters } from "../lib/sessionsSearch.ts";
import { buildUrl, getJson, seg, sendJson } from "./client.ts";

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
