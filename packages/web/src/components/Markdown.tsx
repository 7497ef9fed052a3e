import type { ReactNode } from "react";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";

// Raw HTML in a message stays text (react-markdown renders none without rehype-raw), and links
// go through react-markdown's URL filter (no javascript:), opening outside the app.
const components = {
  a: ({ href, children }: { href?: string; children?: ReactNode }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>
  ),
};

/** An assistant's answer as the chat app showed it: Markdown (GitHub's flavour), never HTML. */
export function MarkdownText({ text }: { text: string }) {
  return (
    <div className="markdown" data-testid="markdown">
      <Markdown remarkPlugins={[remarkGfm]} components={components}>{text}</Markdown>
    </div>
  );
}
