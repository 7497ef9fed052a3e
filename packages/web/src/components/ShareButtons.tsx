import { useEffect, useState } from "react";
import { CheckIcon, DownloadIcon, LinkIcon } from "./icons.tsx";

/** Copies text; falls back to a hidden textarea where the Clipboard API is missing (plain http on a LAN). */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

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
