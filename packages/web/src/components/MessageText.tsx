import { useMemo } from "react";
import { JsonBlock, parseJsonContainer } from "./JsonTree.tsx";
import { LongText } from "./LongText.tsx";

/** Past this, a message shows as plain text: parsing megabytes of Markdown stalls the page. */
const MAX_MARKDOWN = 200_000;

interface MessageTextProps {
  text: string;
  /** "message": what a person or a model wrote, as Markdown; "data": a tool's arguments or result, as sent. */
  kind: "message" | "data";
  /** The text exactly as sent, nothing rendered. */
  source?: boolean;
  maxChars?: number;
  maxLines?: number;
  className?: string;
}

/** A message's or a tool's text formatted for reading: JSON as a tree, messages as Markdown, long ones previewed. */
export function MessageText({ text, kind, source = false, maxChars, maxLines, className }: MessageTextProps) {
  const json = useMemo(() => (source ? null : parseJsonContainer(text)), [text, source]);
  if (json) return <JsonBlock value={json} maxChars={maxChars} maxLines={maxLines} />;
  const markdown = !source && kind === "message" && text.length <= MAX_MARKDOWN;
  return <LongText text={text} className={className} maxChars={maxChars} maxLines={maxLines} markdown={markdown} />;
}

/** Switches a message between formatted and exactly as sent. */
export function SourceToggle({ source, onChange }: { source: boolean; onChange: (source: boolean) => void }) {
  return (
    <button type="button" className="source-toggle" aria-pressed={source} title="Show the text exactly as sent" data-testid="source-toggle" onClick={() => onChange(!source)}>
      Source
    </button>
  );
}
