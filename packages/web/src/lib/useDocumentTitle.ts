import { useEffect } from "react";

/** Sets the tab title as "<parts> · Threadline". */
export function useDocumentTitle(...parts: (string | null | undefined)[]): void {
  const title = [...parts.filter(Boolean), "Threadline"].join(" · ");
  useEffect(() => {
    document.title = title;
  }, [title]);
}
