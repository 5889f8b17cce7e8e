// Small pieces the inventory's pages share: a quantity field with its unit, a status chip in words and colour,
// the pickers of a stock item and a supplier, and the lookups behind them.
import { formatMoney } from "@tavolo/ui";
import type { InputHTMLAttributes, Ref } from "react";
import type { FieldControl } from "../../../shared/field";
import type { StockItem, Supplier } from "../api/inventory-api";
import type { ForecastStatus } from "../model/forecast";
import { bigUnit, type DisplayUnit, type Unit } from "../model/units";

/** A text field for a quantity (or an amount) with its unit shown after it; what is typed may name another unit. */
export function UnitInput({
  control,
  unit,
  testId,
  ref,
  ...rest
}: {
  control?: FieldControl;
  unit: DisplayUnit | string;
  testId?: string;
  ref?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id">) {
  return (
    <span className="inv-unit-input">
      <input
        {...control}
        {...rest}
        ref={ref}
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
      />
      <span className="inv-unit-input__unit" aria-hidden="true">
        {unit}
      </span>
    </span>
  );
}

export type StockState = "critical" | "low" | "warning" | "ok" | "inactive";

const STATE: Record<StockState, { label: string; tone: string }> = {
  critical: { label: "Critical", tone: "badge--error" },
  low: { label: "Low", tone: "badge--warn" },
  warning: { label: "Tight tomorrow", tone: "badge--warn" },
  ok: { label: "OK", tone: "badge--ok" },
  inactive: { label: "Deactivated", tone: "" },
};

/** An item's state: critical (tomorrow's forecast is more than there is), low (at or below its critical level). */
export function stockState(item: StockItem, forecast: ForecastStatus | undefined): StockState {
  if (!item.is_active) return "inactive";
  if (forecast === "critical") return "critical";
  if (item.is_low) return "low";
  if (forecast === "warning") return "warning";
  return "ok";
}

export function StockChip({ state }: { state: StockState }) {
  const { label, tone } = STATE[state];
  return (
    <span className={`badge ${tone}`} data-testid="stock-state" data-state={state}>
      {label}
    </span>
  );
}

const FORECAST: Record<ForecastStatus, { label: string; tone: string; mark: string }> = {
  critical: { label: "Critical", tone: "badge--error", mark: "▲" },
  warning: { label: "Warning", tone: "badge--warn", mark: "●" },
  ok: { label: "OK", tone: "badge--ok", mark: "✓" },
};

export function ForecastChip({ status }: { status: ForecastStatus }) {
  const { label, tone, mark } = FORECAST[status];
  return (
    <span className={`badge ${tone}`} data-testid="forecast-status" data-status={status}>
      <span aria-hidden="true">{mark}</span>
      {label}
    </span>
  );
}

/** "€" for EUR: what a cost field's unit shows ("€/kg"); the code itself when the browser knows no symbol. */
export function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(undefined, { style: "currency", currency }).formatToParts(0);
    return parts.find((part) => part.type === "currency")?.value ?? currency;
  } catch {
    return currency;
  }
}

/** Unit cost as read: "€12.50 / kg"; "—" while unknown. */
export function formatUnitCost(cost: number | null, unit: Unit, currency: string): string {
  return cost === null ? "—" : `${formatMoney(cost, currency)} / ${bigUnit(unit)}`;
}

/**
 * Active items by name for a picker, each with the unit its quantity is typed in (`base`: g, ml or pc; else kg, l
 * or pc); `keep` stays listed even if deactivated (a line that has it already).
 */
export function ItemOptions({
  items,
  keep,
  base = false,
}: {
  items: readonly StockItem[];
  keep?: number;
  base?: boolean;
}) {
  return (
    <>
      <option value="">Pick an item…</option>
      {items
        .filter((item) => item.is_active || item.id === keep)
        .map((item) => (
          <option key={item.id} value={item.id}>
            {item.name} ({base ? item.unit : bigUnit(item.unit)})
          </option>
        ))}
    </>
  );
}

export function SupplierOptions({
  suppliers,
  keep,
  none = "No supplier",
}: {
  suppliers: readonly Supplier[];
  keep?: number | null;
  none?: string;
}) {
  return (
    <>
      <option value="">{none}</option>
      {suppliers
        .filter((supplier) => supplier.is_active || supplier.id === keep)
        .map((supplier) => (
          <option key={supplier.id} value={supplier.id}>
            {supplier.name}
          </option>
        ))}
    </>
  );
}

export function byId<T extends { id: number }>(rows: readonly T[] | undefined): Map<number, T> {
  return new Map((rows ?? []).map((row) => [row.id, row]));
}
