import type { ReactNode } from "react";
import Markdown from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { rehypeHighlightCode, rehypeKeepPlainText } from "./markdownPlugins.ts";
import "../styles/messages.css";

// Raw HTML in a message stays text (react-markdown renders none without rehype-raw), and links
// go through react-markdown's URL filter, which empties javascript: and other unsafe schemes.
const components = {
  a: ({ href, children }: { href?: string; children?: ReactNode }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>
    ) : (
      <span className="markdown__dead-link">{children}</span>
    ),
  // An image in a logged message is not fetched (it would tell its host who read the
  // conversation, and when): it shows as a link to open on purpose.
  img: ({ src, alt }: { src?: string | Blob; alt?: string }) => {
    const label = `Image: ${alt || (typeof src === "string" ? src : "")}`;
    return typeof src === "string" && src ? (
      <a className="markdown__image" href={src} target="_blank" rel="noopener noreferrer nofollow">{label}</a>
    ) : (
      <span className="markdown__image">{label}</span>
    );
  },
};

const remarkPlugins = [remarkGfm, remarkBreaks];
const rehypePlugins = [rehypeKeepPlainText, rehypeHighlightCode];

/**
 * A message as the chat app showed it: Markdown (GitHub's flavour, a line break where one was
 * typed, fenced code highlighted), never HTML; text with no Markdown in it exactly as typed.
 */
export function MarkdownText({ text }: { text: string }) {
  return (
    <div className="markdown" data-testid="markdown">
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>{text}</Markdown>
    </div>
  );
}
