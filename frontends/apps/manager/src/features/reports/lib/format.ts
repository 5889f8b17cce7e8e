// Figures of the reports in few characters (dates and times are in src/shared/format.ts).
import { formatMoney } from "@tavolo/ui";
import { currencyDigits } from "../../../shared/decimal";

/** "€1.2K" for a bar's label, where a full amount would not fit above a narrow bar. */
export function formatMoneyShort(minor: number, currency: string): string {
  const full = formatMoney(minor, currency);
  try {
    const major = minor / 10 ** currencyDigits(currency);
    if (Math.abs(major) < 1000) return full;
    return new Intl.NumberFormat("en", {
      style: "currency",
      currency,
      notation: "compact",
      maximumFractionDigits: 1,
    }).format(major);
  } catch {
    return full;
  }
}

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

export function percent(bp: number): string {
  return `${(bp / 100).toLocaleString("en", { maximumFractionDigits: 2 })}%`;
}
