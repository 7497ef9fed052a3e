// The API contract lives in the server package. Re-export it type-only so the
// UI never bundles server code; every UI module imports API types from here.
export type {
  ApiError as ApiErrorBody,
  Cost,
  ProjectList,
  ProjectSummary,
  SessionDetail,
  SessionList,
  SessionSummary,
  SpanEvent,
  SpanView,
  TokenCounts,
  TraceDetail,
  TraceStatus,
  TraceSummary,
} from "../../../server/src/api/types.ts";
// Lists, stats, users, search and live updates (sessions list, users and user pages, header).
export type {
  AnnotationNames,
  AnnotationSummary,
  AnnotatorKind,
  ChangeEvent,
  SearchResults,
  SeriesPoint,
  SessionStats,
  UserDetail,
  UserList,
  UserSortKey,
  UserSummary,
} from "../../../server/src/api/types.ts";
// Session and trace pages: conversation, trace pages, annotations.
export type {
  Annotation,
  AnnotationInput,
  AnnotationList,
  AnnotationTarget,
  ChatMessage,
  Conversation,
  ConversationMessage,
  ConversationTurn,
  TraceList,
} from "../../../server/src/api/types.ts";
