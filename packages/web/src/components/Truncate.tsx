import { oneLine } from "../lib/format.ts";

/** One line of text cut with an ellipsis; the full text is in the tooltip. */
export function Truncate({ text, placeholder = "—" }: { text: string | null | undefined; placeholder?: string }) {
  const line = oneLine(text);
  if (!line) return <span className="muted">{placeholder}</span>;
  return (
    <span className="truncate" title={text ?? undefined}>
      {line}
    </span>
  );
}
