// Rehype plugins for messages rendered as Markdown: syntax highlighting of fenced code, and plain
// text kept exactly as typed.
import type { Element, ElementContent, Root } from "hast";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { createLowlight } from "lowlight";
import { visit } from "unist-util-visit";

// The languages LLM answers mostly fence, so the bundle stays small (lowlight's 37 "common" ones
// add 170 kB); a fence in any other language shows as plain code.
const lowlight = createLowlight({ bash, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml });

/** Past this, a code block shows unhighlighted: highlight.js takes seconds on megabytes. */
const MAX_HIGHLIGHT = 100_000;

function fenceLanguage(code: Element): string | null {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return null;
  const name = classes.map(String).find((c) => c.startsWith("language-"));
  return name ? name.slice("language-".length).toLowerCase() : null;
}

/**
 * Highlights fenced code whose language is known, as hast `span.hljs-*` elements that
 * react-markdown turns into React elements (never an HTML string). rehype-highlight does the
 * same but always bundles lowlight's whole "common" set, so this is its loop over our set.
 */
export function rehypeHighlightCode() {
  return (tree: Root) => {
    visit(tree, "element", (node, _index, parent) => {
      if (node.tagName !== "code" || parent?.type !== "element" || parent.tagName !== "pre") return;
      const language = fenceLanguage(node);
      if (!language || !lowlight.registered(language)) return;
      const text = node.children.map((child) => (child.type === "text" ? child.value : "")).join("");
      if (text.length > MAX_HIGHLIGHT) return;
      node.properties.className = ["hljs", ...(node.properties.className as string[])];
      node.children = lowlight.highlight(language, text).children as ElementContent[];
    });
  };
}

/** Whether the tree is only paragraphs of text: what a person types when they use no Markdown. */
function onlyPlainParagraphs(tree: Root): boolean {
  return tree.children.every((block) => {
    if (block.type === "text") return block.value.trim() === "";
    if (block.type === "raw") return true; // HTML, shown as text either way
    if (block.type !== "element" || block.tagName !== "p") return false;
    return block.children.every((inline) => inline.type === "text" || inline.type === "raw" || (inline.type === "element" && inline.tagName === "br"));
  });
}

/**
 * A message that uses no Markdown shows exactly as typed, its indentation and runs of spaces
 * kept, which Markdown's paragraphs would drop. Anything with Markdown in it renders.
 */
export function rehypeKeepPlainText() {
  return (tree: Root, file: { value: unknown }) => {
    if (!onlyPlainParagraphs(tree)) return;
    const typed: Element = { type: "element", tagName: "p", properties: { className: ["markdown__typed"] }, children: [{ type: "text", value: String(file.value) }] };
    tree.children = [typed];
  };
}
