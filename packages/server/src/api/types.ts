// The JSON API's shapes (camelCase, times as ISO-8601 strings), as TypeBox schemas: each is at
// once the JSON Schema the routes validate with and list in the OpenAPI document, and (as a type
// of the same name) the contract the web UI imports. Routes and their parameters: routes.ts.
import { Type, type Static, type TSchema } from "typebox";

export { SESSION_SORT_KEYS, USER_SORT_KEYS, type SessionSortKey, type SortOrder, type UserSortKey } from "./sort-keys.ts";

export const ANNOTATOR_KINDS = ["HUMAN", "LLM", "CODE"] as const;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: "date-time" });
const Cursor = Nullable(Type.String({ description: "Pass back as `cursor` for the next page; null after the last" }));

export const TokenCounts = Type.Object({
  prompt: Type.Integer(),
  completion: Type.Integer(),
  total: Type.Integer(),
  cacheRead: Type.Integer({ description: "Prompt tokens read from the provider's cache (included in prompt)" }),
  cacheWrite: Type.Integer({ description: "Prompt tokens written to the provider's cache (included in prompt)" }),
  reasoning: Type.Integer({ description: "Reasoning tokens (included in completion)" }),
});
export type TokenCounts = Static<typeof TokenCounts>;

export const Cost = Type.Object({ total: Type.Number() });
export type Cost = Static<typeof Cost>;

export const TraceStatus = Type.Enum(["OK", "ERROR", "UNSET"]);
export type TraceStatus = Static<typeof TraceStatus>;

export const AnnotatorKind = Type.Enum(ANNOTATOR_KINDS);
export type AnnotatorKind = Static<typeof AnnotatorKind>;

export const ProjectSummary = Type.Object({
  name: Type.String(),
  sessionCount: Type.Integer(),
  traceCount: Type.Integer(),
  userCount: Type.Integer(),
  spanCount: Type.Integer(),
  lastActivity: Nullable(Time),
});
export type ProjectSummary = Static<typeof ProjectSummary>;

export const ProjectList = Type.Object({ projects: Type.Array(ProjectSummary) });
export type ProjectList = Static<typeof ProjectList>;

/** Per annotation name on a session or user: the mean score, the most frequent label. */
export const AnnotationSummary = Type.Object({
  name: Type.String(),
  annotatorKind: AnnotatorKind,
  score: Nullable(Type.Number()),
  label: Nullable(Type.String()),
  count: Type.Integer(),
  labels: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: "Users: how many of their sessions had each label, among sessions started since the list's `since` (default the last 7 days)" })),
});
export type AnnotationSummary = Static<typeof AnnotationSummary>;

export const AnnotationTarget = Type.Union([
  Type.Object({ type: Type.Literal("session"), sessionId: Type.String() }),
  Type.Object({ type: Type.Literal("trace"), traceId: Type.String() }),
  Type.Object({ type: Type.Literal("span"), traceId: Type.String(), spanId: Type.String() }),
]);
export type AnnotationTarget = Static<typeof AnnotationTarget>;

/** A human annotation or an automatic evaluation (LLM or CODE) of a session, trace or span. */
export const Annotation = Type.Object({
  id: Type.String(),
  target: AnnotationTarget,
  name: Type.String(),
  label: Nullable(Type.String()),
  score: Nullable(Type.Number()),
  explanation: Nullable(Type.String()),
  annotatorKind: AnnotatorKind,
  identifier: Type.String({ description: "Tells apart several annotations of one name on one target (e.g. one per reviewer)" }),
  metadata: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: "What an evaluator points at: { turn (1-based), traceId }; or anything a client adds" })),
  createdAt: Time,
  updatedAt: Time,
});
export type Annotation = Static<typeof Annotation>;

/**
 * What POST takes (it creates, or replaces by target + name + identifier); PATCH takes the same
 * without name and identifier, which are the annotation's key. The annotation service checks the
 * values themselves, with messages that name the field.
 */
export const AnnotationInput = Type.Object({
  name: Type.String(),
  label: Type.Optional(Nullable(Type.String())),
  score: Type.Optional(Nullable(Type.Number())),
  explanation: Type.Optional(Nullable(Type.String())),
  annotatorKind: Type.Optional(AnnotatorKind),
  identifier: Type.Optional(Type.String()),
  metadata: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown()))),
});
export type AnnotationInput = Static<typeof AnnotationInput>;

export const AnnotationList = Type.Object({ annotations: Type.Array(Annotation) });
export type AnnotationList = Static<typeof AnnotationList>;

/** Every annotation name used in a project: the columns and filters of the lists. */
export const AnnotationNames = Type.Object({
  names: Type.Array(Type.Object({
    name: Type.String(),
    annotatorKinds: Type.Array(AnnotatorKind),
    count: Type.Integer(),
    labels: Type.Array(Type.String()),
    minScore: Nullable(Type.Number()),
    maxScore: Nullable(Type.Number()),
  })),
});
export type AnnotationNames = Static<typeof AnnotationNames>;

/** An annotation name (an evaluator's, say) over time, by the sessions' start. */
export const AnnotationDistribution = Type.Object({
  name: Type.String(),
  from: Time,
  to: Time,
  bucketMs: Type.Integer({ description: "Bucket size: an hour up to 3 days of range, a day beyond" }),
  series: Type.Array(Type.Object({
    time: Time,
    sessions: Type.Integer({ description: "Sessions started in the bucket that have the annotation" }),
    meanScore: Nullable(Type.Number()),
    labels: Type.Record(Type.String(), Type.Integer(), { description: "Sessions per most frequent label" }),
  })),
});
export type AnnotationDistribution = Static<typeof AnnotationDistribution>;

export const SessionSummary = Type.Object({
  sessionId: Type.String(),
  userIds: Type.Array(Type.String()),
  startTime: Time,
  endTime: Time,
  durationMs: Type.Number(),
  traceCount: Type.Integer(),
  spanCount: Type.Integer(),
  errorCount: Type.Integer(),
  llmCount: Type.Integer({ description: "LLM calls in the session" }),
  tokens: TokenCounts,
  cost: Cost,
  firstInput: Nullable(Type.String()),
  lastOutput: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  models: Type.Array(Type.String()),
  state: Type.Enum(["open", "idle", "closed"], { description: "open: turns arriving; idle: quiet for the project's idle time; closed: ended by the app or the API" }),
  annotations: Type.Array(AnnotationSummary),
});
export type SessionSummary = Static<typeof SessionSummary>;

export const TraceSummary = Type.Object({
  traceId: Type.String(),
  rootSpanName: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  startTime: Time,
  durationMs: Type.Number(),
  spanCount: Type.Integer(),
  errorCount: Type.Integer(),
  llmCount: Type.Integer(),
  input: Nullable(Type.String()),
  output: Nullable(Type.String()),
  tokens: TokenCounts,
  cost: Cost,
  status: TraceStatus,
  tags: Type.Array(Type.String()),
  models: Type.Array(Type.String()),
});
export type TraceSummary = Static<typeof TraceSummary>;

export const SessionDetail = Type.Object({
  ...SessionSummary.properties,
  traces: Type.Array(TraceSummary, { description: "The first 100 turns in time order; the rest page through /traces?cursor" }),
  tracesNextCursor: Cursor,
  metadata: Type.Record(Type.String(), Type.String()),
  sessionAnnotations: Type.Array(Annotation, { description: "Every annotation of the session itself" }),
});
export type SessionDetail = Static<typeof SessionDetail>;

export const SessionList = Type.Object({ sessions: Type.Array(SessionSummary), nextCursor: Cursor });
export type SessionList = Static<typeof SessionList>;

export const TraceList = Type.Object({ traces: Type.Array(TraceSummary), nextCursor: Cursor });
export type TraceList = Static<typeof TraceList>;

const ToolCall = Type.Object({ id: Nullable(Type.String()), name: Type.String(), arguments: Type.String() });
const messageFields = {
  role: Type.String(),
  content: Nullable(Type.String()),
  toolCalls: Type.Optional(Type.Array(ToolCall)),
  toolCallId: Type.Optional(Nullable(Type.String())),
  name: Type.Optional(Nullable(Type.String())),
};

export const ChatMessage = Type.Object(messageFields);
export type ChatMessage = Static<typeof ChatMessage>;

export const SpanEvent = Type.Object({ name: Type.String(), time: Time, attributes: Type.Record(Type.String(), Type.Unknown()) });
export type SpanEvent = Static<typeof SpanEvent>;

export const SpanView = Type.Object({
  spanId: Type.String(),
  parentSpanId: Nullable(Type.String()),
  name: Type.String(),
  kind: Type.String({ description: "OTLP span kind: INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER or UNSPECIFIED" }),
  spanKind: Nullable(Type.String({ description: "OpenInference span kind (LLM, CHAIN, TOOL, AGENT, ...) when known" })),
  startTime: Time,
  endTime: Time,
  durationMs: Type.Number(),
  status: Type.Object({ code: TraceStatus, message: Nullable(Type.String()) }),
  sessionId: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  model: Nullable(Type.String()),
  input: Nullable(Type.String()),
  output: Nullable(Type.String()),
  inputMessages: Nullable(Type.Array(ChatMessage)),
  outputMessages: Nullable(Type.Array(ChatMessage)),
  tokens: TokenCounts,
  cost: Cost,
  tags: Type.Array(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  resourceAttributes: Type.Record(Type.String(), Type.Unknown()),
  events: Type.Array(SpanEvent),
});
export type SpanView = Static<typeof SpanView>;

export const TraceDetail = Type.Object({ traceId: Type.String(), sessionId: Nullable(Type.String()), spans: Type.Array(SpanView) });
export type TraceDetail = Static<typeof TraceDetail>;

export const UserSummary = Type.Object({
  userId: Type.String(),
  firstSeen: Time,
  lastSeen: Time,
  sessionCount: Type.Integer(),
  traceCount: Type.Integer(),
  spanCount: Type.Integer(),
  errorCount: Type.Integer(),
  tokens: TokenCounts,
  cost: Cost,
  annotations: Type.Array(AnnotationSummary),
});
export type UserSummary = Static<typeof UserSummary>;

export const UserList = Type.Object({ users: Type.Array(UserSummary), nextCursor: Cursor });
export type UserList = Static<typeof UserList>;

export const ApiError = Type.Object({ error: Type.String({ description: "What was wrong, for a person to read" }) });
export type ApiError = Static<typeof ApiError>;

// ---- Conversation (the Session page's chat) ----

/** One message of a conversation, shown once even though every LLM call re-sends the history. */
export const ConversationMessage = Type.Object({
  ...messageFields,
  spanId: Nullable(Type.String({ description: "The span the message was first seen in" })),
});
export type ConversationMessage = Static<typeof ConversationMessage>;

/** One turn (trace) of the conversation: the messages it added, and what it cost. */
export const ConversationTurn = Type.Object({
  traceId: Type.String(),
  startTime: Time,
  durationMs: Type.Number(),
  status: TraceStatus,
  tokens: TokenCounts,
  cost: Cost,
  error: Nullable(Type.Object({ spanId: Type.String(), spanName: Type.String(), message: Nullable(Type.String()) }, { description: "Where the turn broke: the failing span" })),
  messages: Type.Array(ConversationMessage, { description: "The messages new in this turn, in order (system prompts included, flagged by role)" }),
  annotations: Type.Array(Annotation),
});
export type ConversationTurn = Static<typeof ConversationTurn>;

export const Conversation = Type.Object({ turns: Type.Array(ConversationTurn), nextCursor: Cursor });
export type Conversation = Static<typeof Conversation>;

// ---- Stats for the filtered sessions, and series over time ----

export const SeriesPoint = Type.Object({
  time: Type.String({ format: "date-time", description: "Start of the bucket" }),
  sessionCount: Type.Integer(),
  traceCount: Type.Integer(),
  tokens: Type.Integer(),
  cost: Type.Number(),
  errorCount: Type.Integer(),
  scores: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: "Mean score per annotation name in the bucket (user page)" })),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

export const SessionStats = Type.Object({
  sessionCount: Type.Integer(),
  userCount: Type.Integer({ description: "Users taking part in the sessions; 1 with a user filter" }),
  avgDurationMs: Type.Number(),
  avgTurns: Type.Number(),
  tokens: TokenCounts,
  cost: Cost,
  errorRate: Type.Number({ description: "Share of sessions with at least one failed span, 0 to 1" }),
  bucketMs: Type.Integer({ description: "Bucket size of `series` (hour or day, chosen from the range)" }),
  series: Type.Array(SeriesPoint),
});
export type SessionStats = Static<typeof SessionStats>;

export const UserDetail = Type.Object({ ...UserSummary.properties, bucketMs: Type.Integer(), series: Type.Array(SeriesPoint) });
export type UserDetail = Static<typeof UserDetail>;

// ---- Global search ----

export const SearchResults = Type.Object({
  sessions: Type.Array(Type.Object({ sessionId: Type.String(), userIds: Type.Array(Type.String()), startTime: Time, match: Type.Enum(["id", "text"]) })),
  users: Type.Array(Type.Object({ userId: Type.String(), sessionCount: Type.Integer() })),
  traces: Type.Array(Type.Object({ traceId: Type.String(), sessionId: Nullable(Type.String()), startTime: Time })),
});
export type SearchResults = Static<typeof SearchResults>;

// ---- Live updates (GET /api/v1/projects/{project}/events, text/event-stream) ----

/** `event: changes` data: what a committed batch touched. */
export const ChangeEvent = Type.Object({ project: Type.String(), sessionIds: Type.Array(Type.String()), traceIds: Type.Array(Type.String()) });
export type ChangeEvent = Static<typeof ChangeEvent>;
