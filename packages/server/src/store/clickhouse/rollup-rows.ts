// Session, user and project rows as the store's records.
import type { ProjectRollup, SessionRollup, UserRollup } from "../records.ts";
import type { Row } from "./executor.ts";
import { SESSION_STATES } from "./session-state.ts";
import { tokensOf } from "./span-rows.ts";

export function toSession(row: Row): SessionRollup {
  return {
    project: row.project as string, sessionId: row.session_id as string, userIds: row.user_ids as string[],
    startUs: Number(row.start_us), endUs: Number(row.end_us), traceCount: Number(row.trace_count), spanCount: Number(row.span_count),
    errorCount: Number(row.error_count), llmCount: Number(row.llm_count), tokens: tokensOf(row), cost: Number(row.cost),
    firstInput: (row.first_input as string | null) ?? null, lastOutput: (row.last_output as string | null) ?? null,
    tags: row.tags as string[], models: row.models as string[],
    // Read with sessionsWithStates (session-state.ts); open where a read did not join the states.
    state: SESSION_STATES[Number(row.lifecycle_state ?? 0)],
  };
}

export function toUser(row: Row): UserRollup {
  return {
    project: row.project as string, userId: row.user_id as string, firstSeenUs: Number(row.first_seen_us), lastSeenUs: Number(row.last_seen_us),
    sessionCount: Number(row.session_count), traceCount: Number(row.trace_count), spanCount: Number(row.span_count),
    errorCount: Number(row.error_count), tokens: tokensOf(row), cost: Number(row.cost),
  };
}

export function toProject(row: Row): ProjectRollup {
  return {
    name: row.name as string, sessionCount: Number(row.session_count), traceCount: Number(row.trace_count), userCount: Number(row.user_count),
    spanCount: Number(row.span_count), lastActivityUs: row.last_activity_us == null ? null : Number(row.last_activity_us),
  };
}
