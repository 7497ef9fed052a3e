import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { JsonView } from "react-json-view-lite";
import { formatNumber } from "../lib/format.ts";
import { previewText } from "../lib/text.ts";
import "../styles/messages.css";

/** Bigger JSON than this is shown as text: parsing it and laying out its tree would stall the page. */
const MAX_TREE_JSON = 1_000_000;

/** The text parsed when it is a JSON object or array (what tools and structured replies send); null otherwise. */
export function parseJsonContainer(text: string): object | null {
  const trimmed = text.trimStart();
  if (text.length > MAX_TREE_JSON || (trimmed[0] !== "{" && trimmed[0] !== "[")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

// Our class names rather than the library's stylesheet, so the tree follows the app's colours
// and dark mode (messages.css).
const treeStyle = {
  container: "json-tree",
  basicChildStyle: "json-tree__item",
  childFieldsContainer: "json-tree__children",
  label: "json-tree__key",
  clickableLabel: "json-tree__key json-tree__key--clickable",
  nullValue: "json-tree__null",
  undefinedValue: "json-tree__null",
  numberValue: "json-tree__number",
  stringValue: "json-tree__string",
  booleanValue: "json-tree__boolean",
  otherValue: "json-tree__other",
  punctuation: "json-tree__punctuation",
  expandIcon: "json-tree__toggle json-tree__toggle--expand",
  collapseIcon: "json-tree__toggle json-tree__toggle--collapse",
  collapsedContent: "json-tree__collapsed",
  quotesForFieldNames: true,
  stringifyStringValues: false,
  ariaLables: { expandJson: "Expand", collapseJson: "Collapse" },
};

/** JSON this small shows whole. */
const OPEN_LINES = 30;

const expandAll = () => true;

/** In bigger JSON, objects and arrays open two levels deep when small; big or deep ones wait for a click. */
function expandTopLevels(level: number, value: unknown): boolean {
  const size = Array.isArray(value) ? value.length : Object.keys(value as object).length;
  return level === 0 ? size <= 500 : level < 2 && size <= 50;
}

interface JsonBlockProps {
  value: object;
  /** Preview size before "Show all", as for LongText. */
  maxChars?: number;
  maxLines?: number;
  testId?: string;
}

/** JSON as a collapsible tree (values as text, never HTML); a tall one shows a preview that expands. */
export function JsonBlock({ value, maxChars = 2000, maxLines = 24, testId = "json-tree" }: JsonBlockProps) {
  const [expanded, setExpanded] = useState(false);
  const [tall, setTall] = useState(false);
  const tree = useRef<HTMLDivElement>(null);
  const size = useMemo(() => {
    const pretty = JSON.stringify(value, null, 2);
    return { chars: pretty.length, small: !previewText(pretty, maxChars, OPEN_LINES).truncated };
  }, [value, maxChars]);
  // Whether the tree is taller than the preview is only known once laid out, and changes as
  // nodes open and close: measured rather than guessed from the text.
  useLayoutEffect(() => {
    const element = tree.current;
    if (!element) return;
    const measure = () => setTall(element.offsetHeight > parseFloat(getComputedStyle(element).fontSize) * maxLines * 1.5 + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [maxLines]);
  const clamped = tall && !expanded;
  return (
    <div className="json-block" data-testid={testId}>
      <div className={clamped ? "json-block__clip json-block__clip--clamped" : "json-block__clip"} style={clamped ? { maxHeight: `${maxLines * 1.5}em` } : undefined}>
        <div ref={tree}>
          <JsonView data={value} style={treeStyle} shouldExpandNode={size.small ? expandAll : expandTopLevels} />
        </div>
      </div>
      {tall && (
        <button type="button" className="long-text__toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? "Show less" : `Show all · ${formatNumber(size.chars)} characters`}
        </button>
      )}
    </div>
  );
}
