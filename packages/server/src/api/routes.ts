// The JSON API under /api/v1, as a Fastify plugin: each route's schemas (route-schemas.ts) check
// the request before its handler runs and describe it in the OpenAPI document; handlers call
// the query and annotation services. Errors are { error } with a message for a person.
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply } from "fastify";
import { ALL_PROJECTS } from "../auth/authenticator.ts";
import type { RedactionCounts } from "../normalize/redact/counts.ts";
import type { ChangeFeed } from "../pipeline/change-feed.ts";
import type { DeletionService } from "../lifecycle/deletion-service.ts";
import type { AnnotationService } from "../query/annotation-service.ts";
import type { QueryService } from "../query/query-service.ts";
import type { AnnotationTargetRecord } from "../store/records.ts";
import type { DeleteTarget } from "../store/store.ts";
import { redactionAnswer } from "./redaction-types.ts";
import * as S from "./route-schemas.ts";
import { AnnotationInput } from "./types.ts";

type Params = Record<string, string>;

export interface ApiServices {
  queries: QueryService;
  annotations: AnnotationService;
  deletion: DeletionService;
  changes: ChangeFeed;
  /** Each project's redaction rules and what they replaced. */
  redaction: RedactionCounts;
  /** Open event streams at most; past it a new one gets 503 (EventSource retries by itself). Default 1,000. */
  maxSubscribers?: number;
}

export async function apiRoutes(app: FastifyInstance, { queries, annotations, deletion, changes, redaction, maxSubscribers = 1_000 }: ApiServices): Promise<void> {
  const live = { open: 0, max: maxSubscribers };
  const P = "/api/v1/projects/:project";
  const get = <Q>(url: string, summary: string, params: object, answer: object, handler: (params: Params, query: Q) => Promise<unknown>, querystring?: object) =>
    app.get(url, { schema: { summary, params, response: answer, ...(querystring ? { querystring } : {}) } }, (request) => handler(request.params as Params, request.query as Q));

  // A key sees its own project only, a person the projects they have a role in.
  app.get("/api/v1/projects", { schema: { summary: "Projects, most recently active first", response: S.answers.projects } }, async (request) => {
    const { projects } = await queries.listProjects();
    const principal = request.principal;
    if (principal?.kind === "key") return { projects: projects.filter((p) => p.name === principal.project) };
    if (principal?.kind === "account" && !principal.roles[ALL_PROJECTS]) return { projects: projects.filter((p) => p.name in principal.roles) };
    return { projects };
  });
  get<S.SessionListQuery>(`${P}/sessions`, "Sessions, sorted and filtered, a page at a time", S.paths.project, S.answers.sessions,
    ({ project }, query) => queries.listSessions(project, query), S.SessionListQuery);
  get<S.SessionFilterQuery>(`${P}/session-stats`, "Totals of the filtered sessions and their series over time", S.paths.project, S.answers.stats,
    ({ project }, query) => queries.sessionStats(project, query), S.SessionFilterQuery);
  get(`${P}/sessions/:sessionId`, "A session with its first 100 turns", S.paths.session, S.answers.session,
    ({ project, sessionId }) => queries.getSession(project, sessionId));
  get<S.PageQuery>(`${P}/sessions/:sessionId/traces`, "The session's turns in time order, a page at a time", S.paths.session, S.answers.traces,
    ({ project, sessionId }, query) => queries.listSessionTraces(project, sessionId, query), S.PageQuery);
  get<S.PageQuery>(`${P}/sessions/:sessionId/conversation`, "The conversation: each turn with only the messages new in it", S.paths.session,
    S.answers.conversation, ({ project, sessionId }, query) => queries.conversation(project, sessionId, query), S.PageQuery);
  app.get(`${P}/sessions/:sessionId/export`, { schema: { summary: "The whole session with every trace and span, as a download", params: S.paths.session } },
    async (request, reply) => {
      const { project, sessionId } = request.params as Params;
      const chunks = await queries.exportSession(project, sessionId);
      reply.header("Content-Type", "application/json; charset=utf-8");
      reply.header("Content-Disposition", `attachment; filename="session-${sessionId.replace(/[^\w.-]+/g, "_")}.json"`);
      return reply.send(Readable.from(chunks));
    });
  get(`${P}/traces/:traceId`, "A trace with its spans", S.paths.trace, S.answers.trace, ({ project, traceId }) => queries.getTrace(project, traceId));

  // Annotations of a session, a trace or a span: list, and create or replace.
  const targets: Array<[string, string, object, (p: Params) => AnnotationTargetRecord]> = [
    ["session", `${P}/sessions/:sessionId/annotations`, S.paths.session, (p) => ({ type: "session", sessionId: p.sessionId })],
    ["trace", `${P}/traces/:traceId/annotations`, S.paths.trace, (p) => ({ type: "trace", traceId: p.traceId.toLowerCase() })],
    ["span", `${P}/traces/:traceId/spans/:spanId/annotations`, S.paths.span,
      (p) => ({ type: "span", traceId: p.traceId.toLowerCase(), spanId: p.spanId.toLowerCase() })],
  ];
  for (const [kind, url, params, target] of targets) {
    get(url, `The annotations of a ${kind}`, params, S.answers.annotations, (p) => annotations.list(p.project, target(p)));
    app.post(url, {
      schema: { summary: `Annotate a ${kind}: creates, or replaces the annotation with the same name and identifier`, params, body: AnnotationInput, response: S.answers.annotationPut },
    }, async (request, reply) => {
      const p = request.params as Params;
      const { annotation, created } = await annotations.put(p.project, target(p), request.body);
      return reply.code(created ? 201 : 200).send(annotation);
    });
  }
  app.patch(`${P}/annotations/:annotationId`, {
    schema: { summary: "Change an annotation's label, score, explanation or annotator kind", params: S.paths.annotation, body: S.AnnotationPatch, response: S.answers.annotation },
  }, (request) => {
    const { project, annotationId } = request.params as Params;
    return annotations.patch(project, annotationId, request.body);
  });
  app.delete(`${P}/annotations/:annotationId`, { schema: { summary: "Delete an annotation", params: S.paths.annotation, response: S.answers.deleted } },
    async (request, reply) => {
      const { project, annotationId } = request.params as Params;
      await annotations.delete(project, annotationId);
      return reply.code(204).send();
    });
  get(`${P}/annotation-names`, "Every annotation name used in the project", S.paths.project, S.answers.names, ({ project }) => annotations.names(project));
  get<S.DistributionQuery>(`${P}/annotation-names/:name/distribution`, "An annotation's (an evaluator's) labels and mean score over time, by the sessions' start",
    S.paths.annotationName, S.answers.distribution, ({ project, name }, query) => annotations.distribution(project, name, query), S.DistributionQuery);

  get<S.UserListQuery>(`${P}/users`, "Users, sorted, a page at a time", S.paths.project, S.answers.users, ({ project }, query) => queries.listUsers(project, query), S.UserListQuery);
  get(`${P}/users/:userId`, "A user, with activity and scores over time", S.paths.user, S.answers.user, ({ project, userId }) => queries.getUser(project, userId));
  get(`${P}/redaction`, "The project's redaction rules, and how many values they replaced", S.paths.project, redactionAnswer,
    async ({ project }) => redaction.status(project));
  get<S.SearchQuery>(`${P}/search`, "Sessions, users and traces whose id starts with q, and sessions whose words match", S.paths.project, S.answers.search,
    ({ project }, query) => queries.search(project, query), S.SearchQuery);

  // Deletion (admin): a session, a trace, or every session a user took part in (erasure).
  const erasable: Array<[string, object, string, (p: Params) => DeleteTarget]> = [
    [`${P}/sessions/:sessionId`, S.paths.session, "Delete a session: every trace, span, search word and annotation of it", (p) => ({ type: "session", sessionId: p.sessionId })],
    [`${P}/traces/:traceId`, S.paths.trace, "Delete a trace, with its spans and annotations; its session is recounted", (p) => ({ type: "trace", traceId: p.traceId.toLowerCase() })],
    [`${P}/users/:userId`, S.paths.user, "Erase a user: every session they took part in, whole, and their traces outside sessions", (p) => ({ type: "user", userId: p.userId })],
  ];
  for (const [url, params, summary, target] of erasable) {
    app.delete(url, { config: { access: "admin" }, schema: { summary, params, response: S.answers.erased } }, (request) => {
      const p = request.params as Params;
      return deletion.delete(p.project, target(p));
    });
  }

  app.get(`${P}/events`, {
    schema: { summary: "Live changes as server-sent events: `event: changes` with { project, sessionIds, traceIds } after commits", params: S.paths.project },
  }, (request, reply) => streamChanges(reply, changes, (request.params as Params).project, live));
}

/** A client that leaves this much unread is dropped, not buffered for. */
const MAX_UNSENT_BYTES = 1024 * 1024;

/** Server-sent events: `event: changes` with what each commit touched, and a heartbeat. */
function streamChanges(reply: FastifyReply, changes: ChangeFeed, project: string, live: { open: number; max: number }): FastifyReply | void {
  if (live.open >= live.max) {
    return reply.code(503).header("Retry-After", "5").send({ error: `too many live event streams (${live.max}); retry shortly` });
  }
  live.open++;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
  const send = (text: string) => {
    if (res.writableLength > MAX_UNSENT_BYTES) return void res.destroy();
    res.write(text);
  };
  send(": connected\n\n");
  const stop = changes.subscribe(project, (event) => send(`event: changes\ndata: ${JSON.stringify(event)}\n\n`), () => res.end());
  const heartbeat = setInterval(() => send(": heartbeat\n\n"), 15_000);
  res.on("close", () => {
    live.open--;
    stop();
    clearInterval(heartbeat);
  });
}
