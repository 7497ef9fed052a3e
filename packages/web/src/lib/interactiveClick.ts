import type { MouseEvent } from "react";

/** Clicks on links, buttons or while selecting text must not also open the row. */
export function isInteractiveClick(event: MouseEvent<HTMLElement>): boolean {
  const target = event.target as HTMLElement;
  if (target.closest("a, button, input, select, textarea")) return true;
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().length > 0;
}
