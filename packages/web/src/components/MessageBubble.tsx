import { useState, type ReactNode } from "react";
import { MessageText, SourceToggle } from "./MessageText.tsx";

interface MessageBubbleProps {
  /** "user" bubbles sit on the right, everything else on the left. */
  role: string;
  /** Shown above the bubble: the user id, "Assistant", or the role. */
  author: string;
  text: string | null;
  failed?: boolean;
  children?: ReactNode;
}

/** One chat message as Markdown (JSON as a tree), or exactly as sent on request; long text previews. */
export function MessageBubble({ role, author, text, failed, children }: MessageBubbleProps) {
  const [source, setSource] = useState(false);
  const side = role === "user" ? "user" : role === "assistant" ? "assistant" : "other";
  const empty = text === null || text === "";
  return (
    <div className={`message message--${side}${failed ? " message--failed" : ""}`} data-role={role}>
      <div className="message__author">
        {author}
        {!empty && <SourceToggle source={source} onChange={setSource} />}
      </div>
      <div className={`bubble bubble--${side}`} data-testid={`message-${side === "other" ? role : side}`}>
        {empty ? (
          failed ? null : <span className="bubble__placeholder">(empty message)</span>
        ) : (
          <MessageText text={text} kind="message" source={source} className="bubble__text" maxChars={4000} maxLines={40} />
        )}
        {children}
      </div>
    </div>
  );
}
