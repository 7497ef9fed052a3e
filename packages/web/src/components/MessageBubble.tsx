import type { ReactNode } from "react";
import { LongText } from "./LongText.tsx";

interface MessageBubbleProps {
  /** "user" bubbles sit on the right, everything else on the left. */
  role: string;
  /** Shown above the bubble: the user id, "Assistant", or the role. */
  author: string;
  text: string | null;
  failed?: boolean;
  children?: ReactNode;
}

/** One chat message: an assistant's answer as Markdown, any other text as plain text with whitespace preserved; long text previews. */
export function MessageBubble({ role, author, text, failed, children }: MessageBubbleProps) {
  const side = role === "user" ? "user" : role === "assistant" ? "assistant" : "other";
  const empty = text === null || text === "";
  return (
    <div className={`message message--${side}${failed ? " message--failed" : ""}`} data-role={role}>
      <div className="message__author">{author}</div>
      <div className={`bubble bubble--${side}`} data-testid={`message-${side === "other" ? role : side}`}>
        {empty ? (
          failed ? null : <span className="bubble__placeholder">(empty message)</span>
        ) : (
          <LongText text={text} className="bubble__text" maxChars={4000} maxLines={40} markdown={side === "assistant"} />
        )}
        {children}
      </div>
    </div>
  );
}
