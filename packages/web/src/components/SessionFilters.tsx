import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { AnnotationNames } from "../api/types.ts";
import {
  formatMetadataFilter,
  hasActiveFilters,
  parseMetadataInput,
  TIME_RANGES,
  type SessionFilters as Filters,
  type TimeRange,
} from "../lib/sessionsSearch.ts";
import "../styles/controls.css";
import "../styles/lists.css";

interface SessionFiltersProps {
  filters: Filters;
  onChange: (next: Filters) => void;
  annotationNames: AnnotationNames["names"];
  /** Known user ids and tags, offered as suggestions. */
  userSuggestions?: readonly string[];
  tagSuggestions?: readonly string[];
}

/** "2026-03-05T14:03" in local time for a datetime-local input. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const ms = /^\d+$/.test(iso) ? Number(iso) : Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** The bar of filters above the sessions table; every change lands in the URL. */
export function SessionFilters({ filters, onChange, annotationNames, userSuggestions = [], tagSuggestions = [] }: SessionFiltersProps) {
  const id = useId();
  const [customRange, setCustomRange] = useState(false);
  const custom = customRange || filters.from !== undefined || filters.to !== undefined;
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const annotation = annotationNames.find((a) => a.name === filters.annotation);
  const knownAnnotation = filters.annotation === undefined || annotation !== undefined;

  return (
    <div className="filters" role="search" aria-label="Filter sessions" data-testid="session-filters">
      <div className="filters__row">
        <TextFilter
          className="filter-input--search"
          label="Text in any message"
          placeholder="Search messages…"
          value={filters.q}
          onCommit={(q) => set({ q })}
          testId="filter-q"
          icon={<SearchIcon />}
        />
        <Field label="Time range">
          <select
            className="select select--sm"
            data-testid="filter-range"
            value={custom ? "custom" : (filters.range ?? "")}
            onChange={(event) => {
              const value = event.target.value;
              if (value === "custom") {
                setCustomRange(true);
                const now = Math.floor(Date.now() / 60_000) * 60_000;
                const ms = filters.range ? TIME_RANGES[filters.range].ms : TIME_RANGES["24h"].ms;
                set({ range: undefined, from: new Date(now - ms).toISOString(), to: undefined });
              } else {
                setCustomRange(false);
                set({ range: (value || undefined) as TimeRange | undefined, from: undefined, to: undefined });
              }
            }}
          >
            <option value="">All time</option>
            {Object.entries(TIME_RANGES).map(([key, { label }]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </Field>
        {custom && (
          <>
            <Field label="From">
              <input
                type="datetime-local"
                className="input input--sm"
                data-testid="filter-from"
                value={toLocalInput(filters.from)}
                onChange={(event) => set({ from: fromLocalInput(event.target.value), range: undefined })}
              />
            </Field>
            <Field label="To">
              <input
                type="datetime-local"
                className="input input--sm"
                data-testid="filter-to"
                value={toLocalInput(filters.to)}
                onChange={(event) => set({ to: fromLocalInput(event.target.value), range: undefined })}
              />
            </Field>
          </>
        )}
        <Field label="Errors">
          <select
            className="select select--sm"
            data-testid="filter-errors"
            value={filters.hasErrors ?? ""}
            onChange={(event) => set({ hasErrors: (event.target.value || undefined) as Filters["hasErrors"] })}
          >
            <option value="">Any</option>
            <option value="true">With errors</option>
            <option value="false">Without errors</option>
          </select>
        </Field>
        {hasActiveFilters(filters) && (
          <button
            type="button"
            className="button button--ghost button--sm filters__clear"
            data-testid="filters-clear"
            onClick={() => {
              setCustomRange(false);
              onChange({});
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="filters__row">
        <TextFilter
          label="User"
          placeholder="User id"
          value={filters.user}
          onCommit={(user) => set({ user })}
          testId="filter-user"
          list={userSuggestions.length ? `${id}-users` : undefined}
        />
        <TextFilter
          label="Tag"
          placeholder="Tag"
          value={filters.tag}
          onCommit={(tag) => set({ tag })}
          testId="filter-tag"
          list={tagSuggestions.length ? `${id}-tags` : undefined}
        />
        <TextFilter
          label="Metadata"
          placeholder="key=value"
          value={formatMetadataFilter(filters.metadata)}
          onCommit={(text) => set({ metadata: text ? parseMetadataInput(text) : undefined })}
          isValid={(text) => parseMetadataInput(text) !== undefined}
          testId="filter-metadata"
        />
        <Field label="Annotation">
          <select
            className="select select--sm"
            data-testid="filter-annotation"
            value={filters.annotation ?? ""}
            onChange={(event) =>
              set({ annotation: event.target.value || undefined, label: undefined, scoreMin: undefined, scoreMax: undefined })
            }
          >
            <option value="">Any annotation</option>
            {!knownAnnotation && filters.annotation !== undefined && <option value={filters.annotation}>{filters.annotation}</option>}
            {annotationNames.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        {filters.annotation !== undefined && (annotation === undefined || annotation.labels.length > 0 || filters.label) && (
          <Field label="Label">
            <select
              className="select select--sm"
              data-testid="filter-label"
              value={filters.label ?? ""}
              onChange={(event) => set({ label: event.target.value || undefined })}
            >
              <option value="">Any label</option>
              {filters.label !== undefined && !annotation?.labels.includes(filters.label) && (
                <option value={filters.label}>{filters.label}</option>
              )}
              {(annotation?.labels ?? []).map((label) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        )}
        {filters.annotation !== undefined &&
          (annotation === undefined || annotation.minScore !== null || filters.scoreMin || filters.scoreMax) && (
            <Field label="Score">
              <span className="filters__score">
                <TextFilter
                  bare
                  type="number"
                  label="Minimum score"
                  placeholder={annotation?.minScore !== null && annotation?.minScore !== undefined ? `min ${annotation.minScore}` : "min"}
                  value={filters.scoreMin}
                  onCommit={(scoreMin) => set({ scoreMin })}
                  testId="filter-score-min"
                />
                <span className="muted" aria-hidden="true">
                  –
                </span>
                <TextFilter
                  bare
                  type="number"
                  label="Maximum score"
                  placeholder={annotation?.maxScore !== null && annotation?.maxScore !== undefined ? `max ${annotation.maxScore}` : "max"}
                  value={filters.scoreMax}
                  onCommit={(scoreMax) => set({ scoreMax })}
                  testId="filter-score-max"
                />
              </span>
            </Field>
          )}
      </div>
      {userSuggestions.length > 0 && (
        <datalist id={`${id}-users`}>
          {userSuggestions.map((u) => (
            <option key={u} value={u} />
          ))}
        </datalist>
      )}
      {tagSuggestions.length > 0 && (
        <datalist id={`${id}-tags`}>
          {tagSuggestions.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      )}
    </div>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      {children}
    </label>
  );
}

interface TextFilterProps {
  label: string;
  placeholder: string;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
  testId: string;
  type?: "text" | "number";
  list?: string;
  icon?: ReactNode;
  className?: string;
  /** Without its own visible label (inside a Field). */
  bare?: boolean;
  /** Whether a typed text can be applied (invalid text is marked and not applied). */
  isValid?: (text: string) => boolean;
}

/** A text input that applies on Enter, on blur, or when cleared; Escape puts back the applied value. */
function TextFilter({ label, placeholder, value, onCommit, testId, type = "text", list, icon, className, bare, isValid }: TextFilterProps) {
  const [draft, setDraft] = useState(value ?? "");
  // Enter then blur must apply once, even before the URL (and so `value`) has caught up.
  const applied = useRef(value || undefined);
  useEffect(() => {
    setDraft(value ?? "");
    applied.current = value || undefined;
  }, [value]);
  const invalid = draft.trim() !== "" && isValid !== undefined && !isValid(draft);
  const commit = (text: string) => {
    const next = text.trim() || undefined;
    if (next !== undefined && isValid && !isValid(next)) return;
    if (next === applied.current) return;
    applied.current = next;
    onCommit(next);
  };
  const input = (
    <span className={`filter-input${icon ? " filter-input--icon" : ""}${className ? ` ${className}` : ""}`}>
      {icon}
      <input
        type={type}
        step={type === "number" ? "any" : undefined}
        className="input input--sm"
        aria-label={bare || icon ? label : undefined}
        placeholder={placeholder}
        value={draft}
        list={list}
        aria-invalid={invalid || undefined}
        title={invalid ? "Use key=value" : undefined}
        data-testid={testId}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => commit(draft)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit(draft);
          } else if (event.key === "Escape") {
            setDraft(value ?? "");
          }
        }}
      />
      {draft !== "" && type === "text" && (
        <button
          type="button"
          className="filter-input__clear"
          aria-label={`Clear ${label.toLowerCase()}`}
          onClick={() => {
            setDraft("");
            commit("");
          }}
        >
          ×
        </button>
      )}
    </span>
  );
  return bare || icon ? input : <Field label={label}>{input}</Field>;
}

function SearchIcon() {
  return (
    <svg className="filter-input__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}
