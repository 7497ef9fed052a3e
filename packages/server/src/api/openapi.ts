// The JSON API as an OpenAPI 3.1 document, served at /api/openapi.json. The shapes mirror
// types.ts (the UI's contract); a test checks that every route the server answers is listed.
import { ANNOTATOR_KINDS, SESSION_SORT_KEYS, USER_SORT_KEYS } from "./types.ts";

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: "string" };
const num: Schema = { type: "number" };
const int: Schema = { type: "integer" };
const time: Schema = { type: "string", format: "date-time" };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: "null" }] });
const array = (items: Schema): Schema => ({ type: "array", items });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});

const pathParam = (name: string, description: string) => ({ name, in: "path", required: true, schema: str, description });
const queryParam = (name: string, description: string, schema: Schema = str) => ({ name, in: "query", required: false, schema, description });
const project = pathParam("project", "Project name (resource attribute openinference.project.name)");
const sessionId = pathParam("sessionId", "Session id (URL-encoded)");
const traceId = pathParam("traceId", "Trace id, 32 hex characters");
const page = [queryParam("limit", "1 to 500, default 50", int), queryParam("cursor", "nextCursor of the previous page")];
const sessionFilters = [
  queryParam("user", "Sessions in which this user took part"),
  queryParam("from", "Sessions overlapping the window from this time (ISO-8601 or epoch ms)"),
  queryParam("to", "… to this time"),
  queryParam("q", "Words that must all appear in one span's input, output or new messages"),
  queryParam("tag", "Sessions carrying this tag"),
  queryParam("hasErrors", "true or false", { type: "string", enum: ["true", "false"] }),
  queryParam("metadata", "key:value: a span's metadata has this key with this value"),
  queryParam("annotation", "Sessions with an annotation of this name (with label, scoreMin, scoreMax)"),
  queryParam("label", "With annotation: the most frequent label"),
  queryParam("scoreMin", "With annotation: lowest mean score", num),
  queryParam("scoreMax", "With annotation: highest mean score", num),
];
const json = (schema: Schema, description = "OK") => ({ description, content: { "application/json": { schema } } });
const errors = { 400: json(ref("Error"), "A parameter is invalid"), 404: json(ref("Error"), "No such project, session, trace, user or annotation") };
const get = (summary: string, parameters: unknown[], schema: Schema) => ({ get: { summary, parameters, responses: { 200: json(schema), ...errors } } });
const annotationRoutes = (parameters: unknown[], target: string) => ({
  get: { summary: `The annotations of a ${target}`, parameters, responses: { 200: json(ref("AnnotationList")), ...errors } },
  post: {
    summary: `Annotate a ${target}: creates, or replaces the annotation with the same name and identifier`,
    parameters,
    requestBody: { required: true, content: { "application/json": { schema: ref("AnnotationInput") } } },
    responses: { 200: json(ref("Annotation"), "Replaced"), 201: json(ref("Annotation"), "Created"), ...errors },
  },
});

const tokens = object({ prompt: int, completion: int, total: int, cacheRead: int, cacheWrite: int, reasoning: int });
const cost = object({ total: num });
const annotationSummary = object({ name: str, annotatorKind: { enum: ANNOTATOR_KINDS }, score: nullable(num), label: nullable(str), count: int });
const message = object({ role: str, content: nullable(str), toolCalls: array(object({ id: nullable(str), name: str, arguments: str })), toolCallId: nullable(str), name: nullable(str) }, ["toolCalls", "toolCallId", "name"]);
const sessionSummary: Schema = object({
  sessionId: str, userIds: array(str), startTime: time, endTime: time, durationMs: int, traceCount: int, spanCount: int,
  errorCount: int, llmCount: int, tokens, cost, firstInput: nullable(str), lastOutput: nullable(str), tags: array(str),
  models: array(str), annotations: array(annotationSummary),
});
const traceSummary = object({
  traceId: str, rootSpanName: nullable(str), userId: nullable(str), startTime: time, durationMs: int, spanCount: int,
  errorCount: int, llmCount: int, input: nullable(str), output: nullable(str), tokens, cost,
  status: { enum: ["OK", "ERROR", "UNSET"] }, tags: array(str), models: array(str),
});
const seriesPoint = object({ time, sessionCount: int, traceCount: int, tokens: int, cost: num, errorCount: int, scores: { type: "object", additionalProperties: num } }, ["scores"]);
const userSummary: Schema = object({
  userId: str, firstSeen: time, lastSeen: time, sessionCount: int, traceCount: int, spanCount: int, errorCount: int, tokens, cost,
  annotations: array(annotationSummary),
});
const target = { oneOf: [object({ type: { const: "session" }, sessionId: str }), object({ type: { const: "trace" }, traceId: str }), object({ type: { const: "span" }, traceId: str, spanId: str })] };

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Threadline API",
    version: "1",
    description: "Sessions, users, traces and annotations of LLM conversations received over OTLP. Times are ISO-8601; errors are { error }.",
  },
  paths: {
    "/api/v1/projects": get("Projects, most recently active first", [], object({ projects: array(object({ name: str, sessionCount: int, traceCount: int, userCount: int, spanCount: int, lastActivity: nullable(time) })) })),
    "/api/v1/projects/{project}/sessions": get("Sessions, sorted and filtered, a page at a time", [
      project, ...page,
      queryParam("sort", `One of ${SESSION_SORT_KEYS.join(", ")}, or annotation:<name> (mean score; only sessions that have it)`),
      queryParam("order", "asc or desc (default)"),
      ...sessionFilters,
    ], object({ sessions: array(ref("SessionSummary")), nextCursor: nullable(str) })),
    "/api/v1/projects/{project}/session-stats": get("Totals of the filtered sessions and their series over time", [project, ...sessionFilters], object({
      sessionCount: int, userCount: int, avgDurationMs: int, avgTurns: num, tokens, cost, errorRate: num, bucketMs: int, series: array(seriesPoint),
    })),
    "/api/v1/projects/{project}/sessions/{sessionId}": get("A session with its first 100 turns", [project, sessionId], {
      allOf: [ref("SessionSummary"), object({ traces: array(ref("TraceSummary")), tracesNextCursor: nullable(str), metadata: { type: "object", additionalProperties: str }, sessionAnnotations: array(ref("Annotation")) })],
    }),
    "/api/v1/projects/{project}/sessions/{sessionId}/traces": get("The session's turns in time order, a page at a time", [project, sessionId, ...page], object({ traces: array(ref("TraceSummary")), nextCursor: nullable(str) })),
    "/api/v1/projects/{project}/sessions/{sessionId}/conversation": get("The conversation: each turn with only the messages new in it", [project, sessionId, ...page], object({
      turns: array(object({
        traceId: str, startTime: time, durationMs: int, status: { enum: ["OK", "ERROR", "UNSET"] }, tokens, cost,
        error: nullable(object({ spanId: str, spanName: str, message: nullable(str) })),
        messages: array({ allOf: [message, object({ spanId: nullable(str) })] }), annotations: array(ref("Annotation")),
      })),
      nextCursor: nullable(str),
    })),
    "/api/v1/projects/{project}/sessions/{sessionId}/export": get("The whole session with every trace and span, as a download", [project, sessionId], object({ session: ref("SessionSummary"), traces: array({ type: "object" }) })),
    "/api/v1/projects/{project}/sessions/{sessionId}/annotations": annotationRoutes([project, sessionId], "session"),
    "/api/v1/projects/{project}/traces/{traceId}": get("A trace with its spans", [project, traceId], object({ traceId: str, sessionId: nullable(str), spans: array({ type: "object", description: "SpanView: ids, names, kinds, times, status, session, user, model, input, output, messages, tokens, cost, tags, metadata, attributes, resource attributes, events" }) })),
    "/api/v1/projects/{project}/traces/{traceId}/annotations": annotationRoutes([project, traceId], "trace"),
    "/api/v1/projects/{project}/traces/{traceId}/spans/{spanId}/annotations": annotationRoutes([project, traceId, pathParam("spanId", "Span id, 16 hex characters")], "span"),
    "/api/v1/projects/{project}/annotations/{annotationId}": {
      patch: {
        summary: "Change an annotation's label, score, explanation or annotator kind",
        parameters: [project, pathParam("annotationId", "Annotation id")],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", properties: { label: nullable(str), score: nullable(num), explanation: nullable(str), annotatorKind: { enum: ANNOTATOR_KINDS } } } } } },
        responses: { 200: json(ref("Annotation")), ...errors },
      },
      delete: { summary: "Delete an annotation", parameters: [project, pathParam("annotationId", "Annotation id")], responses: { 204: { description: "Deleted" }, ...errors } },
    },
    "/api/v1/projects/{project}/annotation-names": get("Every annotation name used in the project", [project], object({
      names: array(object({ name: str, annotatorKinds: array({ enum: ANNOTATOR_KINDS }), count: int, labels: array(str), minScore: nullable(num), maxScore: nullable(num) })),
    })),
    "/api/v1/projects/{project}/users": get("Users, sorted, a page at a time", [
      project, ...page, queryParam("sort", `One of ${USER_SORT_KEYS.join(", ")}`), queryParam("order", "asc or desc (default)"), queryParam("q", "Part of the user id"),
    ], object({ users: array(ref("UserSummary")), nextCursor: nullable(str) })),
    "/api/v1/projects/{project}/users/{userId}": get("A user, with activity and scores over time", [project, pathParam("userId", "User id (URL-encoded)")], {
      allOf: [ref("UserSummary"), object({ bucketMs: int, series: array(seriesPoint) })],
    }),
    "/api/v1/projects/{project}/search": get("Sessions, users and traces whose id starts with q, and sessions whose words match", [project, { ...queryParam("q", "What to look for"), required: true }, queryParam("limit", "Per kind, default 10", int)], object({
      sessions: array(object({ sessionId: str, userIds: array(str), startTime: time, match: { enum: ["id", "text"] } })),
      users: array(object({ userId: str, sessionCount: int })),
      traces: array(object({ traceId: str, sessionId: nullable(str), startTime: time })),
    })),
    "/api/v1/projects/{project}/events": {
      get: {
        summary: "Live changes as server-sent events: `event: changes` with { project, sessionIds, traceIds } after commits",
        parameters: [project],
        responses: { 200: { description: "An event stream", content: { "text/event-stream": { schema: str } } } },
      },
    },
  },
  components: {
    schemas: {
      Error: object({ error: str }),
      SessionSummary: sessionSummary,
      TraceSummary: traceSummary,
      UserSummary: userSummary,
      Annotation: object({
        id: str, target, name: str, label: nullable(str), score: nullable(num), explanation: nullable(str),
        annotatorKind: { enum: ANNOTATOR_KINDS }, identifier: str, createdAt: time, updatedAt: time,
      }),
      AnnotationInput: object({ name: str, label: nullable(str), score: nullable(num), explanation: nullable(str), annotatorKind: { enum: ANNOTATOR_KINDS }, identifier: str }, ["label", "score", "explanation", "annotatorKind", "identifier"]),
      AnnotationList: object({ annotations: array(ref("Annotation")) }),
    },
  },
};
