import { useMemo, useState } from "react";
import { formatNumber } from "../lib/format.ts";
import { prettyJson, previewText } from "../lib/text.ts";
import { MarkdownText } from "./Markdown.tsx";

interface LongTextProps {
  text: string;
  /** Indent JSON objects and arrays. */
  json?: boolean;
  /** Preview size before "Show all". */
  maxChars?: number;
  maxLines?: number;
  className?: string;
  testId?: string;
  /** Render as Markdown (an assistant's answer), still never HTML. */
  markdown?: boolean;
}

/**
 * Text of any size as plain text (never HTML), whitespace preserved. Long text shows a preview
 * that expands, so a 5 MB prompt does not lay out until someone asks for it.
 */
export function LongText({ text, json = false, maxChars = 2000, maxLines = 24, className, testId, markdown = false }: LongTextProps) {
  const [expanded, setExpanded] = useState(false);
  const formatted = useMemo(() => (json ? (prettyJson(text) ?? text) : text), [text, json]);
  const preview = useMemo(() => previewText(formatted, maxChars, maxLines), [formatted, maxChars, maxLines]);
  const shown = expanded || !preview.truncated ? formatted : `${preview.text}…`;
  return (
    <div className={`long-text${className ? ` ${className}` : ""}`} data-testid={testId}>
      {markdown ? <MarkdownText text={shown} /> : <span className="long-text__body">{shown}</span>}
      {preview.truncated && (
        <button type="button" className="long-text__toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? "Show less" : `Show all · ${formatNumber(formatted.length)} characters`}
        </button>
      )}
    </div>
  );
}
