// Elapsed time for busy eyes: "now", "12 min", "1 h 05".
import { useEffect, useState } from "react";

export function formatElapsed(since: string | number | Date, now: number = Date.now()): string {
  const start = since instanceof Date ? since.getTime() : typeof since === "number" ? since : Date.parse(since);
  if (Number.isNaN(start)) return "";
  const minutes = Math.max(0, Math.floor((now - start) / 60_000));
  if (minutes < 1) return "now";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, "0")}`;
}

/** Date.now(), refreshed every `intervalMs`, for labels like "open 12 min". */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
