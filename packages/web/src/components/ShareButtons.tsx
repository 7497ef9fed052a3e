import { useEffect, useState } from "react";
import { CheckIcon, DownloadIcon, LinkIcon } from "./icons.tsx";
import { copyText } from "../lib/clipboard.ts";


/** "Copy link": the page's shareable URL (by default the current one) to the clipboard. */
export function CopyLinkButton({ url, label = "Copy link" }: { url?: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className="button"
      data-testid="copy-link"
      onClick={async () => setState((await copyText(url ?? window.location.href)) ? "copied" : "failed")}
      title={url ?? "Copy this page's address"}
    >
      {state === "copied" ? <CheckIcon /> : <LinkIcon />}
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </button>
  );
}

/** A download link (the server names the file with Content-Disposition). */
export function DownloadButton({ href, label, filename }: { href: string; label: string; filename?: string }) {
  return (
    <a className="button" href={href} download={filename ?? ""} data-testid="download-json">
      <DownloadIcon />
      {label}
    </a>
  );
}
