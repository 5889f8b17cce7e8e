// A figure against the previous period's: which way it went (an arrow, never colour alone), by how many per cent,
// and whether that is good news (more revenue is; more voids or slower tickets are not).

export type Trend = "up" | "down" | "flat";
/** Which way is good news for this figure; "either" for figures where neither is (minutes at a table). */
export type Better = "up" | "down" | "either";

export interface ChangeView {
  trend: Trend;
  /** "▲", "▼", or "" when nothing changed. */
  arrow: string;
  /** "12.5%", "new" (from nothing), "0%" (unchanged). */
  percent: string;
  /** The same for a screen reader: "up 12.5% on the previous period". */
  words: string;
  tone: "good" | "bad" | "neutral";
}

/** Change in per cent of the previous value, one decimal, as the appliance rounds it; null from 0. */
export function changePercent(value: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round((1000 * (value - previous)) / Math.abs(previous)) / 10;
}

const PERCENT = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** `percent` is the appliance's own figure when it sent one; it is worked out here otherwise. */
export function describeChange(
  value: number,
  previous: number,
  { percent, better = "up" }: { percent?: number | null; better?: Better } = {},
): ChangeView {
  const trend: Trend = value > previous ? "up" : value < previous ? "down" : "flat";
  const tone = trend === "flat" || better === "either" ? "neutral" : trend === better ? "good" : "bad";
  const pct = percent === undefined ? changePercent(value, previous) : percent;
  if (trend === "flat") return { trend, arrow: "", percent: "0%", words: "unchanged on the previous period", tone };
  const arrow = trend === "up" ? "▲" : "▼";
  if (pct === null) return { trend, arrow, percent: "new", words: `${trend} from none in the previous period`, tone };
  const text = `${PERCENT.format(Math.abs(pct))}%`;
  return { trend, arrow, percent: text, words: `${trend} ${text} on the previous period`, tone };
}
