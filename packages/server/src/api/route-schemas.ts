// Each route's parameters, query string, body and answers as TypeBox schemas: the one source of
// the request validation (Fastify checks them before a handler runs), the OpenAPI document (built
// from them by @fastify/swagger) and the web client's parameter types.
import { Type, type Static, type TSchema } from "typebox";
import * as Admin from "./admin-types.ts";
import * as Api from "./types.ts";
import { SESSION_SORT_KEYS, USER_SORT_KEYS } from "./sort-keys.ts";

export const MAX_LIMIT = 500;

const text = (description: string) => Type.Optional(Type.String({ description }));
const Limit = (byDefault: number) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `1 to ${MAX_LIMIT}, default ${byDefault}` }));
const Order = Type.Optional(Type.Enum(["asc", "desc"], { description: "asc or desc (default)" }));
const Cursor = text("nextCursor of the previous page");

const Project = Type.String({ description: "Project name (resource attribute openinference.project.name)" });
const SessionId = Type.String({ description: "Session id (URL-encoded)" });
const TraceId = Type.String({ description: "Trace id, 32 hex characters" });

/** The session filters, shared by the list, its stats and the web UI's links. */
export const SessionFilterQuery = Type.Object({
  user: text("Sessions in which this user took part"),
  from: text("Sessions overlapping the window from this time (ISO-8601, epoch ms, or back from now: 30m, 24h, 7d, 2w)"),
  to: text("… to this time"),
  q: text('Words that must all appear in one turn\'s input, output or new messages; "quoted words" in that order'),
  tag: text("Sessions carrying this tag"),
  hasErrors: Type.Optional(Type.Enum(["true", "false"], { description: "Only sessions with (true) or without (false) a failed span" })),
  metadata: text("key:value: a span's metadata has this key with this value"),
  annotation: text("Sessions with an annotation of this name (with label, scoreMin, scoreMax)"),
  label: text("With annotation: the most frequent label"),
  scoreMin: Type.Optional(Type.Number({ description: "With annotation: lowest mean score" })),
  scoreMax: Type.Optional(Type.Number({ description: "With annotation: highest mean score" })),
  state: Type.Optional(Type.Enum(["open", "idle", "closed"], { description: "Sessions in this lifecycle state" })),
});
export type SessionFilterQuery = Static<typeof SessionFilterQuery>;

export const SessionListQuery = Type.Object({
  ...SessionFilterQuery.properties,
  limit: Limit(50),
  cursor: Cursor,
  sort: text(`One of ${SESSION_SORT_KEYS.join(", ")} (default startTime), or annotation:<name> (mean score; only sessions that have it)`),
  order: Order,
});
export type SessionListQuery = Static<typeof SessionListQuery>;

export const UserListQuery = Type.Object({
  limit: Limit(50),
  cursor: Cursor,
  sort: Type.Optional(Type.Enum([...USER_SORT_KEYS], { description: "default lastSeen" })),
  order: Order,
  q: text("Part of the user id"),
  annotation: text("Users with sessions that have an annotation of this name (with label, minSessions, since)"),
  label: text("With annotation: sessions whose most frequent label is this"),
  minSessions: Type.Optional(Type.Integer({ minimum: 1, description: "With annotation: at least this many such sessions (default 1)" })),
  since: text("Sessions started from this time count for the annotation filter and each user's label counts (ISO-8601, epoch ms or back from now: 7d); default 7d"),
});
export type UserListQuery = Static<typeof UserListQuery>;

export const DistributionQuery = Type.Object({
  from: text("Window start (ISO-8601, epoch ms or back from now: 7d); default 30d"),
  to: text("Window end; default now"),
});
export type DistributionQuery = Static<typeof DistributionQuery>;

export const PageQuery = Type.Object({ limit: Limit(50), cursor: Cursor });
export type PageQuery = Static<typeof PageQuery>;

export const SearchQuery = Type.Object({
  q: Type.String({ description: "What to look for" }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: "Per kind, default 10" })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const AnnotationPatch = Type.Object({
  label: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  score: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  explanation: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  annotatorKind: Type.Optional(Api.AnnotatorKind),
});

const errors = { 400: Api.ApiError, 404: Api.ApiError };
const ok = (schema: TSchema) => ({ 200: schema, ...errors });

/** Path parameters by route. */
export const paths = {
  project: Type.Object({ project: Project }),
  session: Type.Object({ project: Project, sessionId: SessionId }),
  trace: Type.Object({ project: Project, traceId: TraceId }),
  span: Type.Object({ project: Project, traceId: TraceId, spanId: Type.String({ description: "Span id, 16 hex characters" }) }),
  user: Type.Object({ project: Project, userId: Type.String({ description: "User id (URL-encoded)" }) }),
  annotation: Type.Object({ project: Project, annotationId: Type.String() }),
  annotationName: Type.Object({ project: Project, name: Type.String({ description: "Annotation or evaluator name" }) }),
};

/** What each kind of route answers, for the OpenAPI document. */
export const answers = {
  projects: ok(Api.ProjectList),
  sessions: ok(Api.SessionList),
  stats: ok(Api.SessionStats),
  session: ok(Api.SessionDetail),
  traces: ok(Api.TraceList),
  conversation: ok(Api.Conversation),
  trace: ok(Api.TraceDetail),
  annotations: ok(Api.AnnotationList),
  annotation: ok(Api.Annotation),
  annotationPut: { 200: Api.Annotation, 201: Api.Annotation, ...errors },
  deleted: { 204: Type.Null({ description: "Deleted" }), ...errors },
  names: ok(Api.AnnotationNames),
  distribution: ok(Api.AnnotationDistribution),
  users: ok(Api.UserList),
  user: ok(Api.UserDetail),
  search: ok(Api.SearchResults),
  erased: { ...ok(Admin.Deleted), 403: Api.ApiError },
};
