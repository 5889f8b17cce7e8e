// Figures of the analytics in words (money goes through formatMoney: the site currency's own decimals).
import { formatMoney } from "@tavolo/ui";
import { formatMoneyShort } from "../../reports/lib/format";

const COUNT = new Intl.NumberFormat("en");
const ONE_DECIMAL = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "42.5 min". */
export function formatMinutes(minutes: number): string {
  return `${ONE_DECIMAL.format(minutes)} min`;
}

/** A prep time: "45 s", "4 min 05 s". */
export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}

/** A share of revenue: "31.2%"; "—" when there is no revenue to share. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0) return "—";
  return `${ONE_DECIMAL.format((100 * part) / whole)}%`;
}

/** The chart props of money figures: the full amount for the table, a compact one for labels on bars. */
export function moneyFormats(currency: string) {
  return {
    formatValue: (value: number) => formatMoney(value, currency),
    formatShort: (value: number) => formatMoneyShort(value, currency),
  };
}
