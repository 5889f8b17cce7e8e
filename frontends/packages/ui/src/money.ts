// Amounts travel as integer minor units (ARCHITECTURE §3.2); only the screen turns them into "€12.50".
const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(minor: number, currency: string, locale?: string): string {
  const key = `${locale ?? ""}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, formatter);
  }
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minor / 10 ** digits);
}
