import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { searchQuery } from "../api/queries.ts";
import type { SearchResults } from "../api/types.ts";
import { formatNumber, formatShortDateTime } from "../lib/format.ts";
import { errorMessage } from "./states.tsx";
import "../styles/controls.css";
import "../styles/header.css";

type Result =
  | { kind: "session"; id: string; detail: string; match: "id" | "text" }
  | { kind: "user"; id: string; detail: string }
  | { kind: "trace"; id: string; detail: string; sessionId: string | null };

const KIND_LABEL = { session: "Sessions", user: "Users", trace: "Traces" } as const;

function flatten(data: SearchResults | undefined): Result[] {
  if (!data) return [];
  const results: Result[] = [];
  // Id matches first: someone pasting an id wants that thing.
  const sessions = [...data.sessions].sort((a, b) => (a.match === b.match ? 0 : a.match === "id" ? -1 : 1));
  for (const s of sessions) {
    const users = s.userIds.length ? s.userIds.join(", ") : "no user";
    results.push({ kind: "session", id: s.sessionId, match: s.match, detail: `${users} · ${formatShortDateTime(s.startTime)}` });
  }
  for (const u of data.users) {
    results.push({ kind: "user", id: u.userId, detail: `${formatNumber(u.sessionCount)} session${u.sessionCount === 1 ? "" : "s"}` });
  }
  for (const t of data.traces) {
    results.push({
      kind: "trace",
      id: t.traceId,
      sessionId: t.sessionId,
      detail: `${t.sessionId ? `session ${t.sessionId}` : "no session"} · ${formatShortDateTime(t.startTime)}`,
    });
  }
  return results;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The header's search: a combobox over the project's sessions, users and traces (by id prefix)
 * and sessions by text; Enter or a click opens the result. "/" or Ctrl/⌘+K focuses it.
 */
export function GlobalSearch({ project }: { project: string }) {
  const id = useId();
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 180);
  const query = useQuery({ ...searchQuery(project, q), enabled: open && q !== "" });
  const results = useMemo(() => flatten(query.data), [query.data]);
  const settled = q === text.trim() && !query.isFetching;

  // Enter pressed before the results of what was typed arrived: open the first one when they do.
  const [pendingEnter, setPendingEnter] = useState(false);

  useEffect(() => setActive(0), [query.data]);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target !== null && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if ((event.key === "k" && (event.metaKey || event.ctrlKey)) || (event.key === "/" && !typing)) {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const go = (result: Result) => {
    setOpen(false);
    setText("");
    inputRef.current?.blur();
    if (result.kind === "session") {
      void navigate({ to: "/projects/$project/sessions/$sessionId", params: { project, sessionId: result.id } });
    } else if (result.kind === "user") {
      void navigate({ to: "/projects/$project/users/$userId", params: { project, userId: result.id } });
    } else {
      void navigate({ to: "/projects/$project/traces/$traceId", params: { project, traceId: result.id } });
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (results.length ? (i + 1) % results.length : 0));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (results.length ? (i - 1 + results.length) % results.length : 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      // Only act on results of what is typed now, not of a previous prefix.
      if (!settled) setPendingEnter(true);
      else if (results[active]) go(results[active]);
    } else if (event.key === "Escape") {
      if (open && text) setOpen(false);
      else {
        setText("");
        inputRef.current?.blur();
      }
    }
  };

  useEffect(() => {
    if (!pendingEnter || !settled || query.isPending) return;
    setPendingEnter(false);
    if (results[0]) go(results[0]);
  });

  const listboxId = `${id}-results`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const showPanel = open && text.trim() !== "";

  let panel = null;
  if (showPanel) {
    let content;
    if (query.isError) {
      content = <div className="search-panel__state search-panel__state--error">{errorMessage(query.error)}</div>;
    } else if (results.length === 0) {
      content = (
        <div className="search-panel__state muted" data-testid="search-empty">
          {settled && query.data ? `Nothing matches “${text.trim()}”` : "Searching…"}
        </div>
      );
    } else {
      let lastKind: Result["kind"] | null = null;
      content = (
        <ul className="search-panel__list" role="listbox" id={listboxId} aria-label="Search results">
          {results.map((result, i) => {
            const heading = result.kind !== lastKind ? KIND_LABEL[result.kind] : null;
            lastKind = result.kind;
            return (
              <li key={`${result.kind}:${result.id}`} role="presentation">
                {heading && (
                  <div className="search-panel__group" role="presentation">
                    {heading}
                  </div>
                )}
                <div
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  className={`search-result${i === active ? " search-result--active" : ""}`}
                  data-testid="search-result"
                  data-kind={result.kind}
                  data-id={result.id}
                  onMouseEnter={() => setActive(i)}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => go(result)}
                >
                  <span className={`search-result__kind search-result__kind--${result.kind}`} aria-hidden="true">
                    {result.kind === "session" ? "S" : result.kind === "user" ? "U" : "T"}
                  </span>
                  <span className="search-result__id mono" title={result.id}>
                    {result.id}
                  </span>
                  {result.kind === "session" && result.match === "text" && <span className="search-result__match">text match</span>}
                  <span className="search-result__detail muted">{result.detail}</span>
                </div>
              </li>
            );
          })}
        </ul>
      );
    }
    panel = (
      <div className="search-panel" data-testid="search-results">
        {content}
      </div>
    );
  }

  return (
    <div className="global-search">
      <svg className="global-search__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        className="input input--sm global-search__input"
        placeholder="Search ids or text…"
        aria-label={`Search project ${project}: session, user or trace id, or text`}
        aria-expanded={showPanel}
        aria-controls={listboxId}
        aria-autocomplete="list"
        aria-activedescendant={showPanel && results.length ? optionId(active) : undefined}
        autoComplete="off"
        spellCheck={false}
        data-testid="global-search"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setPendingEnter(false);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <kbd className="global-search__hint" aria-hidden="true">
        /
      </kbd>
      {panel}
    </div>
  );
}
