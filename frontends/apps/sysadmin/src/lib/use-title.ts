import { useEffect } from "react";

/** The tab's title for a screen, so several open tabs and the browser history say which is which. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Tavolo Cloud` : "Tavolo Cloud";
  }, [title]);
}
