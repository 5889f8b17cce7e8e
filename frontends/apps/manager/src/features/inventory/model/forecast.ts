// Tomorrow's forecast as the manager reads it: what runs out first at the top, and the same table as a CSV file
// (made here: the figures are all on screen already).
import { inUnit, bigUnit, type Unit } from "./units";

export type ForecastStatus = "critical" | "warning" | "ok";

export interface ForecastLike {
  stock_item_id: number;
  name: string;
  unit: Unit;
  on_hand: number;
  critical_level: number;
  forecast: number;
  status: ForecastStatus;
  suggested_order: number;
}

const RANK: Record<ForecastStatus, number> = { critical: 0, warning: 1, ok: 2 };

export const STATUS_LABELS: Record<ForecastStatus, string> = {
  critical: "Critical: runs out",
  warning: "Warning: tight",
  ok: "OK",
};

/**
 * Critical first, then warning, then ok; within a status the item with the least left over tomorrow first
 * (on hand − forecast, in its own unit), then by name. A new array.
 */
export function sortForecast<T extends ForecastLike>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      RANK[a.status] - RANK[b.status] ||
      a.on_hand - a.forecast - (b.on_hand - b.forecast) ||
      a.name.localeCompare(b.name),
  );
}

// A cell a spreadsheet would run as a formula gets an apostrophe, as the appliance's own exports do.
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && FORMULA.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The forecast as CSV (UTF-8 with a BOM, so a spreadsheet reads accents right): quantities in kg, l or pieces,
 * the unit in its own column, as suppliers quote them.
 */
export function forecastCsv(rows: readonly ForecastLike[], day: string): string {
  const header = ["day", "item", "unit", "on_hand", "forecast", "status", "suggested_order", "critical_level"];
  const lines = sortForecast(rows).map((row) => {
    const unit = bigUnit(row.unit);
    return [
      day,
      row.name,
      unit,
      inUnit(row.on_hand, unit),
      inUnit(row.forecast, unit),
      row.status,
      inUnit(row.suggested_order, unit),
      inUnit(row.critical_level, unit),
    ]
      .map(csvCell)
      .join(",");
  });
  return `\ufeff${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
