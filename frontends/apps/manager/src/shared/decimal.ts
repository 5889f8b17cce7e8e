// Amounts typed by a person ("12.50", "12,5", "13 %") become exact integers: money in minor units, percentages in
// basis points. Never through a float: 0.1 + 0.2 is not 0.3, and a price must not lose a cent on the way.

/** How many minor units a currency has after the decimal separator (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * "12.50" → 1250 with 2 digits. A comma works as the separator too (a Greek keyboard types one); thousands
 * separators do not (is "1,250" 1250 or 1.25?). Null when the text is not such a number or has more decimals
 * than `digits`. `signed` allows a leading minus (a cheaper choice).
 */
export function parseFixed(text: string, digits: number, { signed = false } = {}): number | null {
  const trimmed = text.trim().replace(/\s+/g, "");
  const pattern = digits > 0 ? /^([+-]?)(\d*)(?:[.,](\d*))?$/ : /^([+-]?)(\d*)$/;
  const match = pattern.exec(trimmed);
  if (!match) return null;
  const [, sign = "", whole = "", fraction = ""] = match;
  if (whole === "" && fraction === "") return null;
  if (sign === "-" && !signed) return null;
  if (fraction.length > digits) return null;
  if (whole.length > 12) return null;
  const minor = Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return sign === "-" && minor !== 0 ? -minor : minor;
}

/** 1250 → "12.50": what a money field shows for a stored amount (no symbol, no grouping, "." separator). */
export function formatFixed(minor: number, digits: number): string {
  const negative = minor < 0;
  const abs = Math.abs(minor);
  if (digits === 0) return `${negative ? "-" : ""}${abs}`;
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale);
  const fraction = String(abs % scale).padStart(digits, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Percentages (tax rates, the service charge) are typed with up to two decimals and stored as basis points. */
const PERCENT_DIGITS = 2;

/** "12.5", "12,5 %" or "10" as basis points; null when it is not a percentage from 0 to 100 with ≤ 2 decimals. */
export function parsePercentBp(text: string): number | null {
  const bp = parseFixed(text.replace(/%\s*$/, ""), PERCENT_DIGITS);
  return bp !== null && bp <= 10_000 ? bp : null;
}

/** Basis points in their shortest exact form, as a field shows them: 1250 → "12.5", 1000 → "10", 5 → "0.05". */
export function formatPercentBp(bp: number): string {
  return formatFixed(bp, PERCENT_DIGITS).replace(/\.?0+$/, "");
}
