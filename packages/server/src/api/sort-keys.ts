// The sort keys of the lists: plain arrays with no dependency, so the web UI can import them
// without bundling anything else of the server.

/** The fields the sessions list can be sorted by (`sort=`). */
export const SESSION_SORT_KEYS = [
  "startTime", "endTime", "durationMs", "traceCount", "spanCount", "errorCount", "llmCount",
  "promptTokens", "completionTokens", "totalTokens", "cost", "state",
] as const;
export type SessionSortKey = (typeof SESSION_SORT_KEYS)[number];

/** The fields the users list can be sorted by. */
export const USER_SORT_KEYS = [
  "firstSeen", "lastSeen", "sessionCount", "traceCount", "spanCount", "errorCount",
  "promptTokens", "completionTokens", "totalTokens", "cost",
] as const;
export type UserSortKey = (typeof USER_SORT_KEYS)[number];
export type SortOrder = "asc" | "desc";
