// Sessions' lifecycle and their evaluations: close a session, see its evaluation jobs, list the
// evaluators, re-run them on a session or on every session a filter keeps, and follow such a run.
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { EvaluationService } from "../evaluate/evaluation-service.ts";
import * as E from "./evaluation-types.ts";
import { paths, SessionFilterQuery } from "./route-schemas.ts";
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
  app.get(`${P}/sessions/:sessionId/evaluations`, {
    schema: {
      summary: "The session's evaluation jobs: which evaluators ran on which version, how far each is, and why one failed",
      params: paths.session, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "default 100" })) }),
      response: { 200: E.SessionEvaluationJobs, ...errors },
    },
  }, (request) => {
    const { project, sessionId } = request.params as { project: string; sessionId: string };
    return evaluations.sessionJobs(project, sessionId, (request.query as { limit?: number }).limit ?? 100);
  });
  app.get(`${P}/evaluators`, { schema: { summary: "The evaluators this server runs", params: paths.project, response: { 200: E.EvaluatorList, ...errors } } },
    (request) => evaluations.evaluators((request.params as { project: string }).project));
  app.post(`${P}/evaluations`, {
    schema: { summary: "Run evaluators again on one session, or on every session a filter keeps", params: paths.project, body: E.EvaluationRunRequest, response: { 202: E.EvaluationRun, ...errors } },
  }, async (request, reply) => {
    const { project } = request.params as { project: string };
    return reply.code(202).send(await evaluations.run(project, request.body as E.EvaluationRunRequest));
  });
  app.post(`${P}/annotations/bulk`, {
    schema: { summary: `Store up to ${E.MAX_BULK} annotations of sessions, traces or spans at once (an outside evaluation pipeline writing back)`, params: paths.project, body: E.BulkAnnotations, response: { 200: E.BulkResult, ...errors } },
  }, (request) => evaluations.bulk((request.params as { project: string }).project, request.body as E.BulkAnnotations));
  app.get(`${P}/transcripts`, {
    schema: {
      summary: "Sessions with their transcripts as JSON lines (streamed), filtered like the sessions list: for evaluation elsewhere",
      params: paths.project, querystring: Type.Object({ ...SessionFilterQuery.properties, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: "default 10,000" })) }),
    },
  }, async (request, reply) => {
    const { project } = request.params as { project: string };
    const { limit = 10_000, ...filter } = request.query as SessionFilterQuery & { limit?: number };
    await evaluations.requireProject(project);
    reply.header("Content-Type", "application/x-ndjson; charset=utf-8");
    reply.header("Content-Disposition", `attachment; filename="${project.replace(/[^\w.-]+/g, "_")}-transcripts.jsonl"`);
    return reply.send(Readable.from(evaluations.transcripts(project, filter, limit)));
  });
  app.get(`${P}/evaluations/:runId`, {
    schema: { summary: "How far a run is: its jobs queued, running, done and failed", params: Type.Object({ ...paths.project.properties, runId: Type.String() }), response: { 200: E.EvaluationRun, ...errors } },
  }, (request) => evaluations.progress((request.params as { runId: string }).runId));
}
