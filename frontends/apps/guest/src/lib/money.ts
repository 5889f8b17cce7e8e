// Money a guest types ("250,50") to minor units without floating point (2.55 * 100 is 254.99999999999997), by the
// currency's own decimals: none for a yen, two for a rupee or a euro.
const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * Minor units for a typed amount in currency units ("2,50" or "2.50"); 0 for blank; null when it is not an
 * amount. A space inside ("2 50") is not read past: it could mean 2.50 or 250.
 */
export function parseAmount(text: string, currency: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  const digits = currencyDigits(currency);
  const match = /^(\d{1,9})(?:[.,](\d*))?$/.exec(trimmed);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
