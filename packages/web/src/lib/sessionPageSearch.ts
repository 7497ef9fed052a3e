// URL search params of the session page (/projects/$p/sessions/$id?tab=&trace=&span=&system=)
// and the trace page (/projects/$p/traces/$id?span=): what is open is part of the shareable link.

export interface SessionPageSearch {
  /** "traces" shows the trace table; absent, the conversation. */
  tab?: "traces";
  /** The trace open in the side panel, and its selected span. */
  trace?: string;
  span?: string;
  /** "1" shows system prompts in the conversation. */
  system?: "1";
}

export interface TracePageSearch {
  span?: string;
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;

export function validateSessionPageSearch(raw: Record<string, unknown>): SessionPageSearch {
  const search: SessionPageSearch = {};
  if (raw.tab === "traces") search.tab = "traces";
  const trace = str(raw.trace);
  if (trace) {
    search.trace = trace;
    const span = str(raw.span);
    if (span) search.span = span;
  }
  if (raw.system === "1" || raw.system === 1 || raw.system === true) search.system = "1";
  return search;
}

export function validateTracePageSearch(raw: Record<string, unknown>): TracePageSearch {
  const span = str(raw.span);
  return span ? { span } : {};
}
