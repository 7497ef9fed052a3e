// Sessions' lifecycle and their evaluations: close a session, list the evaluators, re-run them on
// a session or on every session a filter keeps, and follow such a run.
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { EvaluationService } from "../evaluate/evaluation-service.ts";
import * as E from "./evaluation-types.ts";
import { paths } from "./route-schemas.ts";
import { ApiError } from "./types.ts";

const errors = { 400: ApiError, 403: ApiError, 404: ApiError };

export async function evaluationRoutes(app: FastifyInstance, { evaluations }: { evaluations: EvaluationService }): Promise<void> {
  const P = "/api/v1/projects/:project";
  app.post(`${P}/sessions/:sessionId/close`, {
    schema: { summary: "End a session: it is evaluated now instead of after its idle time; a new turn reopens it", params: paths.session, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    const { project, sessionId } = request.params as { project: string; sessionId: string };
    await evaluations.close(project, sessionId);
    return reply.code(204).send();
  });
  app.get(`${P}/evaluators`, { schema: { summary: "The evaluators this server runs", params: paths.project, response: { 200: E.EvaluatorList, ...errors } } },
    () => evaluations.evaluators());
  app.post(`${P}/evaluations`, {
    schema: { summary: "Run evaluators again on one session, or on every session a filter keeps", params: paths.project, body: E.EvaluationRunRequest, response: { 202: E.EvaluationRun, ...errors } },
  }, async (request, reply) => {
    const { project } = request.params as { project: string };
    return reply.code(202).send(await evaluations.run(project, request.body as E.EvaluationRunRequest));
  });
  app.get(`${P}/evaluations/:runId`, {
    schema: { summary: "How far a run is: its jobs queued, running, done and failed", params: Type.Object({ ...paths.project.properties, runId: Type.String() }), response: { 200: E.EvaluationRun, ...errors } },
  }, (request) => evaluations.progress((request.params as { runId: string }).runId));
}
