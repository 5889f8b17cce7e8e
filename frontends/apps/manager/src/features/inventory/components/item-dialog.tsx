// Add a stock item (its unit, opening stock, critical level, cost and supplier) or edit one. Stock itself changes
// through deliveries, counts and waste (the ledger), so editing has no "on hand" field.
import { Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { useCurrency } from "../../../lib/site";
import { currencyDigits, formatFixed, parseFixed } from "../../../shared/decimal";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  createItem,
  updateItem,
  useInventoryWrite,
  type StockItem,
  type StockItemUpdate,
  type Supplier,
} from "../api/inventory-api";
import { bigUnit, inUnit, parseQuantity, UNIT_LABELS, type Unit } from "../model/units";
import { currencySymbol, SupplierOptions, UnitInput } from "./parts";

interface Draft {
  name: string;
  unit: Unit;
  onHand: string;
  critical: string;
  cost: string;
  supplierId: string;
  isActive: boolean;
}

type Problems = Partial<Record<keyof Draft, string>>;

export function ItemDialog({
  item,
  suppliers,
  onClose,
}: {
  item?: StockItem;
  suppliers: readonly Supplier[];
  onClose: () => void;
}) {
  const creating = item === undefined;
  const currency = useCurrency();
  const digits = currencyDigits(currency);
  const [draft, setDraft] = useState<Draft>(() => ({
    name: item?.name ?? "",
    unit: item?.unit ?? "g",
    onHand: "",
    critical: item ? inUnit(item.critical_level, bigUnit(item.unit)) : "",
    cost: item?.unit_cost == null ? "" : formatFixed(item.unit_cost, digits),
    supplierId: item?.supplier_id == null ? "" : String(item.supplier_id),
    isActive: item?.is_active ?? true,
  }));
  const [problems, setProblems] = useState<Problems>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useInventoryWrite(createItem);
  const update = useInventoryWrite(updateItem);
  const save = creating ? create : update;
  const big = bigUnit(draft.unit);

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    setProblems((previous) => ({ ...previous, [key]: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Problems = {};
    const name = draft.name.trim();
    if (!name) found.name = "Enter the item's name.";
    // Blank levels are zero: a new item with nothing in stock yet, or one that is never low.
    const quantity = (text: string) =>
      text.trim() === "" ? { ok: true as const, value: 0 } : parseQuantity(text, draft.unit, { allowZero: true });
    const critical = quantity(draft.critical);
    if (!critical.ok) found.critical = critical.problem;
    const onHand = quantity(draft.onHand);
    if (!onHand.ok) found.onHand = onHand.problem;
    const cost = draft.cost.trim() === "" ? null : parseFixed(draft.cost, digits);
    if (draft.cost.trim() !== "" && cost === null) {
      found.cost = `Enter an amount like ${formatFixed(1250, digits)}, or leave it blank.`;
    }
    if (Object.keys(found).length > 0 || !critical.ok || !onHand.ok) {
      setProblems(found);
      return;
    }
    const supplierId = draft.supplierId === "" ? null : Number(draft.supplierId);
    if (creating) {
      create.mutate(
        {
          name,
          unit: draft.unit,
          on_hand: onHand.value,
          critical_level: critical.value,
          unit_cost: cost,
          supplier_id: supplierId,
          is_active: true,
        },
        { onSuccess: onClose },
      );
      return;
    }
    const changes: StockItemUpdate = {};
    if (name !== item.name) changes.name = name;
    if (critical.value !== item.critical_level) changes.critical_level = critical.value;
    if (cost !== item.unit_cost) changes.unit_cost = cost;
    if (supplierId !== item.supplier_id) changes.supplier_id = supplierId;
    if (draft.isActive !== item.is_active) changes.is_active = draft.isActive;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: item.id, body: changes }, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={creating ? "Add a stock item" : `Edit ${item.name}`}
      dismissible={!save.isPending}
      initialFocus={nameRef}
      data-testid="item-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label={creating ? "Add item" : "Save changes"}
          busy={save.isPending}
          onClose={onClose}
          testId="item-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Name" error={problems.name}>
            {(control) => (
              <input
                {...control}
                ref={nameRef}
                maxLength={120}
                autoComplete="off"
                value={draft.name}
                onChange={(event) => set("name", event.target.value)}
                data-testid="item-name"
              />
            )}
          </Field>
          {creating ? (
            <Field label="Counted in" hint="Quantities are kept in g, ml or pieces; kg and l are typed and shown.">
              {(control) => (
                <select
                  {...control}
                  value={draft.unit}
                  onChange={(event) => set("unit", event.target.value as Unit)}
                  data-testid="item-unit"
                >
                  {(Object.keys(UNIT_LABELS) as Unit[]).map((unit) => (
                    <option key={unit} value={unit}>
                      {UNIT_LABELS[unit]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <div className="field">
              <span className="field__label">Counted in</span>
              <span>{UNIT_LABELS[item.unit]}</span>
            </div>
          )}
          {creating && (
            <Field
              label="In stock now"
              hint={`In ${big}; or type the unit, like “${draft.unit === "pc" ? "12 pc" : `250 ${draft.unit}`}”.`}
              error={problems.onHand}
            >
              {(control) => (
                <UnitInput
                  control={control}
                  unit={big}
                  value={draft.onHand}
                  onChange={(event) => set("onHand", event.target.value)}
                  testId="item-on-hand"
                />
              )}
            </Field>
          )}
          <Field
            label="Critical level"
            hint="At or below it the item is low: an alert and an order suggestion."
            error={problems.critical}
          >
            {(control) => (
              <UnitInput
                control={control}
                unit={big}
                value={draft.critical}
                onChange={(event) => set("critical", event.target.value)}
                testId="item-critical"
              />
            )}
          </Field>
          <Field label={`Cost per ${big}`} hint="What you pay; leave blank if unknown." error={problems.cost}>
            {(control) => (
              <UnitInput
                control={control}
                unit={`${currencySymbol(currency)}/${big}`}
                value={draft.cost}
                onChange={(event) => set("cost", event.target.value)}
                testId="item-cost"
              />
            )}
          </Field>
          <Field label="Supplier">
            {(control) => (
              <select
                {...control}
                value={draft.supplierId}
                onChange={(event) => set("supplierId", event.target.value)}
                data-testid="item-supplier"
              >
                <SupplierOptions suppliers={suppliers} keep={item?.supplier_id} />
              </select>
            )}
          </Field>
        </div>
        {!creating && (
          <label className="check">
            <input
              type="checkbox"
              checked={draft.isActive}
              onChange={(event) => set("isActive", event.target.checked)}
              data-testid="item-active"
            />
            Active (a deactivated item leaves the lists and the forecast; take it out of recipes first)
          </label>
        )}
        {save.isError && (
          <ErrorBanner title={creating ? "Not added" : "Not saved"} error={save.error} testId="item-error" />
        )}
      </form>
    </Sheet>
  );
}
