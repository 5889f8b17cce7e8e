// The quick actions of one item: receive goods (a one-line delivery), count it (set it to what is there, with
// the reason) or write off waste (with the reason). Counts and waste go into the audit trail with their reason.
import { Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { useCurrency } from "../../../lib/site";
import { currencyDigits, formatFixed, parseFixed } from "../../../shared/decimal";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  receiveDelivery,
  recordCount,
  recordWaste,
  useInventoryWrite,
  type StockItem,
  type Supplier,
} from "../api/inventory-api";
import { bigUnit, formatQuantity, parseQuantity } from "../model/units";
import { currencySymbol, SupplierOptions, UnitInput } from "./parts";

export type StockAction = "receive" | "count" | "waste";

const TITLES: Record<StockAction, string> = { receive: "Receive", count: "Count", waste: "Waste" };
const QUANTITY_LABELS: Record<StockAction, string> = {
  receive: "Quantity received",
  count: "Counted now",
  waste: "Quantity thrown away",
};

export function StockActionDialog({
  action,
  item,
  suppliers,
  onClose,
}: {
  action: StockAction;
  item: StockItem;
  suppliers: readonly Supplier[];
  onClose: () => void;
}) {
  const currency = useCurrency();
  const digits = currencyDigits(currency);
  const big = bigUnit(item.unit);
  const [quantity, setQuantity] = useState("");
  const [cost, setCost] = useState("");
  const [supplierId, setSupplierId] = useState(item.supplier_id === null ? "" : String(item.supplier_id));
  const [reason, setReason] = useState(action === "count" ? "Spot count" : "");
  const [problems, setProblems] = useState<{ quantity?: string; cost?: string; reason?: string }>({});
  const quantityRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const receive = useInventoryWrite(receiveDelivery);
  const count = useInventoryWrite(recordCount);
  const waste = useInventoryWrite(recordWaste);
  const save = action === "receive" ? receive : action === "count" ? count : waste;
  const parsed = quantity.trim() === "" ? null : parseQuantity(quantity, item.unit, { allowZero: action === "count" });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: typeof problems = {};
    const typed = parsed ?? { ok: false as const, problem: "Enter a quantity." };
    if (!typed.ok) found.quantity = typed.problem;
    const unitCost = cost.trim() === "" ? null : parseFixed(cost, digits);
    if (action === "receive" && cost.trim() !== "" && unitCost === null) {
      found.cost = `Enter an amount like ${formatFixed(1250, digits)}, or leave it blank.`;
    }
    if (action !== "receive" && reason.trim() === "") found.reason = "Say why: it goes into the audit trail.";
    if (Object.keys(found).length > 0 || !typed.ok) {
      setProblems(found);
      return;
    }
    const done = { onSuccess: onClose };
    if (action === "receive") {
      receive.mutate(
        {
          supplier_id: supplierId === "" ? null : Number(supplierId),
          lines: [{ stock_item_id: item.id, quantity: typed.value, unit_cost: unitCost }],
        },
        done,
      );
    } else if (action === "count") {
      count.mutate({ reason: reason.trim(), lines: [{ stock_item_id: item.id, counted: typed.value }] }, done);
    } else {
      waste.mutate({ stock_item_id: item.id, quantity: typed.value, reason: reason.trim() }, done);
    }
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`${TITLES[action]}: ${item.name}`}
      dismissible={!save.isPending}
      initialFocus={quantityRef}
      data-testid={`${action}-dialog`}
      footer={
        <DialogFooter
          formId={formId}
          label={action === "receive" ? "Receive" : action === "count" ? "Save count" : "Write off"}
          busy={save.isPending}
          onClose={onClose}
          testId={`${action}-save`}
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <p className="muted">
          On hand now: <strong data-testid="action-on-hand">{formatQuantity(item.on_hand, item.unit)}</strong>
        </p>
        <div className="form-grid">
          <Field
            label={QUANTITY_LABELS[action]}
            hint={`In ${big}; or type the unit (“250 ${item.unit}”).`}
            error={problems.quantity}
          >
            {(control) => (
              <UnitInput
                control={control}
                ref={quantityRef}
                unit={big}
                value={quantity}
                onChange={(event) => {
                  setQuantity(event.target.value);
                  setProblems((previous) => ({ ...previous, quantity: undefined }));
                }}
                testId={`${action}-quantity`}
              />
            )}
          </Field>
          {action === "receive" && (
            <>
              <Field label={`Cost per ${big} (optional)`} hint="Becomes the item's cost." error={problems.cost}>
                {(control) => (
                  <UnitInput
                    control={control}
                    unit={`${currencySymbol(currency)}/${big}`}
                    value={cost}
                    onChange={(event) => setCost(event.target.value)}
                    testId="receive-cost"
                  />
                )}
              </Field>
              <Field label="Supplier">
                {(control) => (
                  <select
                    {...control}
                    value={supplierId}
                    onChange={(event) => setSupplierId(event.target.value)}
                    data-testid="receive-supplier"
                  >
                    <SupplierOptions suppliers={suppliers} keep={item.supplier_id} />
                  </select>
                )}
              </Field>
            </>
          )}
          {action !== "receive" && (
            <Field label="Reason" hint="Kept in the audit trail." error={problems.reason}>
              {(control) => (
                <input
                  {...control}
                  maxLength={200}
                  value={reason}
                  onChange={(event) => {
                    setReason(event.target.value);
                    setProblems((previous) => ({ ...previous, reason: undefined }));
                  }}
                  data-testid={`${action}-reason`}
                />
              )}
            </Field>
          )}
        </div>
        {action === "count" && parsed?.ok && (
          <p data-testid="count-difference">
            Difference:{" "}
            <strong>
              {parsed.value - item.on_hand > 0 ? "+" : ""}
              {formatQuantity(parsed.value - item.on_hand, item.unit)}
            </strong>
          </p>
        )}
        {save.isError && <ErrorBanner title="Not saved" error={save.error} testId={`${action}-error`} />}
      </form>
    </Sheet>
  );
}
