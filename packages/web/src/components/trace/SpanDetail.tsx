import { useMemo, useState } from "react";
import type { ChatMessage, SpanView } from "../../api/types.ts";
import { formatCost, formatDuration, formatNumber, formatTokens } from "../../lib/format.ts";
import { displayValue } from "../../lib/text.ts";
import { AnnotationsPanel } from "../annotations/AnnotationsPanel.tsx";
import { LongText } from "../LongText.tsx";
import { TimeText } from "../TimeText.tsx";
import { SpanKindBadge } from "./SpanKindBadge.tsx";

type Tab = "messages" | "io" | "attributes" | "events" | "annotations";

interface SpanDetailProps {
  project: string;
  traceId: string;
  sessionId: string | null;
  span: SpanView;
}

/** One span: its figures, then tabs for messages, input and output, attributes, events and annotations. */
export function SpanDetail({ project, traceId, sessionId, span }: SpanDetailProps) {
  const hasMessages = (span.inputMessages?.length ?? 0) + (span.outputMessages?.length ?? 0) > 0;
  const hasIo = span.input !== null || span.output !== null;
  const [chosen, setChosen] = useState<Tab | null>(null);
  const fallback: Tab = hasMessages ? "messages" : hasIo ? "io" : "attributes";
  const tab = chosen === null || (chosen === "messages" && !hasMessages) ? fallback : chosen;
  const exceptions = span.events.filter((event) => event.name === "exception");

  const tabs: Array<[Tab, string, boolean]> = [
    ["messages", `Messages${hasMessages ? ` (${(span.inputMessages?.length ?? 0) + (span.outputMessages?.length ?? 0)})` : ""}`, hasMessages],
    ["io", "Input / output", true],
    ["attributes", `Attributes (${Object.keys(span.attributes).length})`, true],
    ["events", `Events (${span.events.length})`, true],
    ["annotations", "Annotations", true],
  ];

  return (
    <section className="span-detail" aria-label={`Span ${span.name}`} data-testid="span-detail" data-span-id={span.spanId}>
      <header className="span-detail__header">
        <div className="span-detail__title">
          <SpanKindBadge span={span} />
          <h3 className="span-detail__name" title={span.name} data-testid="span-detail-name">
            {span.name}
          </h3>
          <span className={`status status--${span.status.code.toLowerCase()}`}>{span.status.code}</span>
        </div>
        <dl className="span-detail__facts">
          <div>
            <dt>Start</dt>
            <dd>
              <TimeText iso={span.startTime} style="full" />
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(span.durationMs)}</dd>
          </div>
          {span.model && (
            <div>
              <dt>Model</dt>
              <dd className="mono">{span.model}</dd>
            </div>
          )}
          {span.tokens.total > 0 && (
            <div>
              <dt>Tokens</dt>
              <dd title={`${formatTokens(span.tokens.prompt)} prompt + ${formatTokens(span.tokens.completion)} completion`}>
                {formatTokens(span.tokens.prompt)} → {formatTokens(span.tokens.completion)}
                {span.tokens.cacheRead > 0 && <span className="muted"> · {formatTokens(span.tokens.cacheRead)} cached</span>}
                {span.tokens.reasoning > 0 && <span className="muted"> · {formatTokens(span.tokens.reasoning)} reasoning</span>}
              </dd>
            </div>
          )}
          {span.cost.total > 0 && (
            <div>
              <dt>Cost</dt>
              <dd>{formatCost(span.cost.total)}</dd>
            </div>
          )}
          <div>
            <dt>Span</dt>
            <dd className="mono" title={`kind ${span.kind}`}>
              {span.spanId}
            </dd>
          </div>
        </dl>
        {span.status.code === "ERROR" && (
          <div className="span-detail__error" role="alert" data-testid="span-error">
            <strong>Error</strong>
            {span.status.message ? <pre>{span.status.message}</pre> : exceptions.length === 0 && <span> (no message)</span>}
            {exceptions.map((event, i) => (
              <ExceptionView key={i} attributes={event.attributes} statusMessage={span.status.message} />
            ))}
          </div>
        )}
      </header>
      <div className="tabs" role="tablist" aria-label="Span details">
        {tabs
          .filter(([, , enabled]) => enabled)
          .map(([key, label]) => (
            <button
              key={key}
              type="button"
              role="tab"
              aria-selected={tab === key}
              className={`tabs__tab${tab === key ? " tabs__tab--active" : ""}`}
              data-testid={`span-tab-${key}`}
              onClick={() => setChosen(key)}
            >
              {label}
            </button>
          ))}
      </div>
      <div className="span-detail__body" role="tabpanel">
        {tab === "messages" && (
          <>
            <MessageList title="Input messages" messages={span.inputMessages} />
            <MessageList title="Output messages" messages={span.outputMessages} />
          </>
        )}
        {tab === "io" && (
          <>
            <Field title="Input" text={span.input} testId="span-input" />
            <Field title="Output" text={span.output} testId="span-output" />
          </>
        )}
        {tab === "attributes" && (
          <>
            <AttributeTable title="Attributes" values={span.attributes} filterable />
            {Object.keys(span.metadata).length > 0 && <AttributeTable title="Metadata" values={span.metadata} />}
            <AttributeTable title="Resource" values={span.resourceAttributes} />
          </>
        )}
        {tab === "events" &&
          (span.events.length === 0 ? (
            <p className="muted">No events.</p>
          ) : (
            <ol className="events">
              {span.events.map((event, i) => (
                <li key={i} className="events__item">
                  <div className="events__head">
                    <strong>{event.name}</strong>{" "}
                    <span className="muted">
                      +{formatDuration(Date.parse(event.time) - Date.parse(span.startTime))}
                    </span>
                  </div>
                  <AttributeTable values={event.attributes} />
                </li>
              ))}
            </ol>
          ))}
        {tab === "annotations" && (
          <AnnotationsPanel
            project={project}
            target={{ type: "span", traceId, spanId: span.spanId }}
            sessionId={sessionId}
            title="Span annotations"
          />
        )}
      </div>
    </section>
  );
}

/** An exception event: its type and message (unless the status already says it) and its stack trace. */
function ExceptionView({ attributes, statusMessage }: { attributes: Record<string, unknown>; statusMessage: string | null }) {
  const type = attributes["exception.type"];
  const message = attributes["exception.message"];
  const stack = attributes["exception.stacktrace"];
  const head = [type, message].filter((v) => v !== undefined && v !== "").map((v) => displayValue(v)).join(": ");
  const repeatsStatus = !!statusMessage && (head === statusMessage || displayValue(message) === statusMessage || head === `Error: ${statusMessage}`);
  return (
    <div className="exception">
      {head && !repeatsStatus && <pre>{head}</pre>}
      {typeof stack === "string" && stack && (
        <details>
          <summary>Stack trace</summary>
          <LongText text={stack} className="exception__stack" maxLines={60} />
        </details>
      )}
    </div>
  );
}

function Field({ title, text, testId }: { title: string; text: string | null; testId: string }) {
  return (
    <div className="field-block" data-testid={testId}>
      <h4 className="field-block__title">{title}</h4>
      {text === null || text === "" ? (
        <p className="muted">(none recorded)</p>
      ) : (
        <LongText text={text} json className="field-block__text" maxChars={6000} maxLines={60} />
      )}
    </div>
  );
}

/** Every message the span was given or produced (the whole re-sent history), one after another. */
function MessageList({ title, messages }: { title: string; messages: ChatMessage[] | null }) {
  if (!messages || messages.length === 0) return null;
  return (
    <div className="field-block">
      <h4 className="field-block__title">
        {title} <span className="muted">({messages.length})</span>
      </h4>
      <ol className="span-messages">
        {messages.map((message, i) => (
          <li key={i} className={`span-message span-message--${message.role}`} data-testid="span-message">
            <div className="span-message__role">
              {message.role}
              {message.name && <span className="muted"> · {message.name}</span>}
              {message.toolCallId && <span className="muted mono"> · {message.toolCallId}</span>}
            </div>
            {message.content !== null && message.content !== "" && (
              <LongText text={message.content} className="span-message__text" maxChars={3000} maxLines={30} />
            )}
            {message.toolCalls?.map((call, j) => (
              <div key={j} className="span-message__call">
                <span className="muted">calls</span> <code className="code">{call.name}</code>
                {call.id && <span className="muted mono"> {call.id}</span>}
                <LongText text={call.arguments} json className="span-message__text" maxChars={2000} maxLines={20} />
              </div>
            ))}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Sorted key / value rows; values previewed when long. */
function AttributeTable({ title, values, filterable }: { title?: string; values: Record<string, unknown>; filterable?: boolean }) {
  const [filter, setFilter] = useState("");
  const entries = useMemo(() => Object.entries(values).sort(([a], [b]) => a.localeCompare(b)), [values]);
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? entries.filter(([key, value]) => key.toLowerCase().includes(needle) || displayValue(value).toLowerCase().includes(needle))
    : entries;
  return (
    <div className="field-block">
      {(title || filterable) && (
        <div className="field-block__head">
          {title && (
            <h4 className="field-block__title">
              {title} <span className="muted">({formatNumber(entries.length)})</span>
            </h4>
          )}
          {filterable && entries.length > 8 && (
            <input
              className="input input--sm"
              type="search"
              placeholder="Filter"
              aria-label={`Filter ${title ?? "attributes"}`}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          )}
        </div>
      )}
      {shown.length === 0 ? (
        <p className="muted">{entries.length === 0 ? "None." : "No match."}</p>
      ) : (
        <table className="kv">
          <tbody>
            {shown.map(([key, value]) => (
              <tr key={key}>
                <th scope="row" className="mono" title={key}>
                  {key}
                </th>
                <td>
                  <LongText text={displayValue(value)} json={typeof value === "string"} className="kv__value" maxChars={400} maxLines={8} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
