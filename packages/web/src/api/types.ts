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
