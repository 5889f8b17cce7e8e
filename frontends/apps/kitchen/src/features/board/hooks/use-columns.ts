// How many ticket columns fit the board: cards keep a readable width whatever the screen.
import { useEffect, useState } from "react";

export const MIN_COLUMN_PX = 300;
const FALLBACK_COLUMNS = 3;

/** Columns for `element` (set through a callback ref: the board's grid comes and goes with the connection). */
export function useColumns(element: HTMLElement | null): number {
  const [columns, setColumns] = useState(FALLBACK_COLUMNS);
  useEffect(() => {
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      setColumns(Math.max(1, Math.floor(width / MIN_COLUMN_PX)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return columns;
}
