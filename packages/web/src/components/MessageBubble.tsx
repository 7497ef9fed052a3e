import type { ReactNode } from "react";

interface MessageBubbleProps {
  role: "user" | "assistant";
  /** Shown above the bubble: the user id or "Assistant". */
  author: string;
  text: string | null;
  failed?: boolean;
  children?: ReactNode;
}

/** One chat message. Text is rendered as plain text with whitespace preserved. */
export function MessageBubble({ role, author, text, failed, children }: MessageBubbleProps) {
  const empty = text === null || text === "";
  return (
    <div className={`message message--${role}${failed ? " message--failed" : ""}`}>
      <div className="message__author">{author}</div>
      <div
        className={`bubble bubble--${role}`}
        data-testid={`message-${role}`}
      >
        {empty ? (
          failed ? null : (
            <span className="bubble__placeholder">{role === "user" ? "(no input recorded)" : "(no output recorded)"}</span>
          )
        ) : (
          <div className="bubble__text">{text}</div>
        )}
        {children}
      </div>
    </div>
  );
}
