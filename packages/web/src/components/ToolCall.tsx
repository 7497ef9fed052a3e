import { useState } from "react";
import type { ConversationMessage } from "../api/types.ts";
import { oneLinePreview } from "../lib/text.ts";
import { ReturnIcon, ToolIcon } from "./icons.tsx";
import { LongText } from "./LongText.tsx";
import { MessageText, SourceToggle } from "./MessageText.tsx";

type ToolCallData = NonNullable<ConversationMessage["toolCalls"]>[number];

/** A tool call's or result's id and text: JSON as a collapsible tree, other text as sent, either exactly as sent on request. */
function ToolBody({ id, text }: { id: string | null | undefined; text: string }) {
  const [source, setSource] = useState(false);
  return (
    <div className="tool__body">
      <div className="tool__meta">
        {id && <span className="tool__id mono">{id}</span>}
        <SourceToggle source={source} onChange={setSource} />
      </div>
      <MessageText text={text} kind="data" source={source} className="tool__text" />
    </div>
  );
}

/** A tool call the assistant asked for: the tool's name and arguments, collapsed to one line. */
export function ToolCallCard({ call }: { call: ToolCallData }) {
  return (
    <details className="tool tool--call" data-testid="tool-call" data-tool-call-id={call.id ?? undefined}>
      <summary className="tool__summary">
        <span className="tool__icon">
          <ToolIcon />
        </span>
        <span className="tool__kind">Tool call</span>
        <code className="tool__name" data-testid="tool-call-name">
          {call.name}
        </code>
        <span className="tool__preview">{oneLinePreview(call.arguments)}</span>
      </summary>
      <ToolBody id={call.id} text={call.arguments || "(no arguments)"} />
    </details>
  );
}

/** What a tool answered, collapsed to one line; names the tool when the call is known. */
export function ToolResultCard({ message, toolName }: { message: ConversationMessage; toolName: string | null }) {
  const name = toolName ?? message.name ?? null;
  return (
    <details className="tool tool--result" data-testid="tool-result" data-tool-call-id={message.toolCallId ?? undefined}>
      <summary className="tool__summary">
        <span className="tool__icon">
          <ReturnIcon />
        </span>
        <span className="tool__kind">Tool result</span>
        {name && <code className="tool__name">{name}</code>}
        <span className="tool__preview">{oneLinePreview(message.content) || "(empty)"}</span>
      </summary>
      <ToolBody id={message.toolCallId} text={message.content ?? "(empty)"} />
    </details>
  );
}

/** A system (or developer) prompt: hidden unless asked for, then collapsed to one line. */
export function SystemMessage({ message }: { message: ConversationMessage }) {
  return (
    <details className="system-message" data-testid="message-system">
      <summary className="system-message__summary">
        <span className="system-message__role">{message.role === "system" ? "System prompt" : message.role}</span>
        <span className="tool__preview">{oneLinePreview(message.content)}</span>
      </summary>
      <LongText text={message.content ?? "(empty)"} className="system-message__text" />
    </details>
  );
}
