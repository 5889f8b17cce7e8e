// Lines of stock items being typed: an item, its quantity (in its unit) and, for goods bought, a unit cost. Used by
// deliveries, purchase orders and recipes; what the lines become is model/lines.ts's.
import { Button } from "@tavolo/ui";
import type { ReactNode } from "react";
import { Field } from "../../../shared/field";
import type { StockItem } from "../api/inventory-api";
import { emptyLine, type LineDraft, type LineProblems } from "../model/lines";
import { bigUnit } from "../model/units";
import { currencySymbol, ItemOptions, UnitInput } from "./parts";

export function LinesEditor({
  lines,
  onChange,
  items,
  base = false,
  withCost = false,
  currency,
  problems,
  testId,
  addLabel = "Add a line",
  extra,
}: {
  lines: LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  items: readonly StockItem[];
  /** Quantities in g, ml or pc (a recipe's); else in kg, l or pc. */
  base?: boolean;
  withCost?: boolean;
  currency?: string;
  problems: Record<string, LineProblems>;
  /** Prefix of the fields' test ids: `${testId}-item-0`, `-qty-0`, `-cost-0`, `-remove-0`, `-add`. */
  testId: string;
  addLabel?: string;
  /** Something shown at the end of a line (what it costs). */
  extra?: (line: LineDraft, item: StockItem | undefined) => ReactNode;
}) {
  const byId = new Map(items.map((item) => [item.id, item]));

  function set(index: number, patch: Partial<LineDraft>) {
    onChange(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  }

  return (
    <div className="inv-lines" data-testid={`${testId}s`}>
      {lines.map((line, index) => {
        const item = line.itemId ? byId.get(Number(line.itemId)) : undefined;
        const unit = item ? (base ? item.unit : bigUnit(item.unit)) : "";
        const found = problems[line.key] ?? {};
        return (
          <div
            key={line.key}
            className={`inv-line ${withCost ? "inv-line--cost" : ""} ${extra ? "inv-line--extra" : ""}`}
            data-testid={`${testId}-${index}`}
          >
            <Field label={`Item ${index + 1}`} error={found.item}>
              {(control) => (
                <select
                  {...control}
                  value={line.itemId}
                  onChange={(event) => set(index, { itemId: event.target.value })}
                  data-testid={`${testId}-item-${index}`}
                >
                  <ItemOptions items={items} keep={item?.id} base={base} />
                </select>
              )}
            </Field>
            <Field label="Quantity" error={found.quantity}>
              {(control) => (
                <UnitInput
                  control={control}
                  unit={unit}
                  value={line.quantity}
                  onChange={(event) => set(index, { quantity: event.target.value })}
                  testId={`${testId}-qty-${index}`}
                />
              )}
            </Field>
            {withCost && (
              <Field label="Unit cost" error={found.unitCost}>
                {(control) => (
                  <UnitInput
                    control={control}
                    unit={`${currencySymbol(currency ?? "EUR")}${item ? `/${bigUnit(item.unit)}` : ""}`}
                    value={line.unitCost}
                    onChange={(event) => set(index, { unitCost: event.target.value })}
                    testId={`${testId}-cost-${index}`}
                  />
                )}
              </Field>
            )}
            {extra && <div className="inv-line__extra">{extra(line, item)}</div>}
            <Button
              variant="ghost"
              className="inv-line__remove"
              aria-label={`Remove line ${index + 1}`}
              onClick={() => onChange(lines.filter((_, i) => i !== index))}
              data-testid={`${testId}-remove-${index}`}
            >
              Remove
            </Button>
          </div>
        );
      })}
      <div>
        <Button onClick={() => onChange([...lines, emptyLine()])} data-testid={`${testId}-add`}>
          {addLabel}
        </Button>
      </div>
    </div>
  );
}
