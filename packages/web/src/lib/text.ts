// Large-text helpers: previews that cut long fields, and JSON shown indented.

/** Bigger JSON than this is shown as sent: parsing and indenting it would stall the page. */
const MAX_PRETTY_JSON = 1_000_000;

/** The text indented as JSON when it is a JSON object or array; null otherwise. */
export function prettyJson(text: string): string | null {
  const trimmed = text.trimStart();
  if (text.length > MAX_PRETTY_JSON || (trimmed[0] !== "{" && trimmed[0] !== "[")) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** Any attribute or argument value as display text: strings as they are, the rest as JSON. */
export function displayValue(value: unknown, pretty = false): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value, null, pretty ? 2 : undefined) ?? String(value);
  } catch {
    return String(value);
  }
}

export interface Preview {
  text: string;
  truncated: boolean;
}

/** The first `maxChars` characters and `maxLines` lines of the text. */
export function previewText(text: string, maxChars: number, maxLines: number): Preview {
  let end = Math.min(text.length, maxChars);
  let lines = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10 && ++lines >= maxLines) {
      end = i;
      break;
    }
  }
  return end < text.length ? { text: text.slice(0, end), truncated: true } : { text, truncated: false };
}

/** One line, at most `max` characters, for a collapsed summary. */
export function oneLinePreview(text: string | null | undefined, max = 140): string {
  const head = (text ?? "").slice(0, max * 4).replace(/\s+/g, " ").trim();
  return head.length > max ? `${head.slice(0, max - 1)}…` : head;
}
