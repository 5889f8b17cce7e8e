// Deliveries: receive goods (a supplier, lines of items with their quantity and, when known, their cost) and the
// deliveries received so far. Stock comes in at once; dishes the stock had taken off the menu come back.
import { Button, EmptyState, formatMoney, Sheet, Spinner } from "@tavolo/ui";
import { useId, useState, type FormEvent } from "react";
import { useCurrency, useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { currencyDigits } from "../../../shared/decimal";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import { formatDateTime } from "../../../shared/format";
import { useStaff } from "../../staff/api/staff-api";
import {
  receiveDelivery,
  useDeliveries,
  useInventoryWrite,
  useStockItems,
  useSuppliers,
  type StockItem,
  type Supplier,
} from "../api/inventory-api";
import { costOf } from "../model/recipe";
import { emptyLine, parseLines, type LineDraft, type LineProblems } from "../model/lines";
import { formatQuantity } from "../model/units";
import { byId, SupplierOptions } from "./parts";
import { LinesEditor } from "./lines-editor";

export function DeliveriesPage() {
  const deliveries = useDeliveries();
  const items = useStockItems();
  const suppliers = useSuppliers();
  const staff = useStaff();
  const currency = useCurrency();
  const timeZone = useSiteInfo().data?.timezone;
  const [open, setOpen] = useState(false);
  const itemById = byId(items.data);
  const supplierById = byId(suppliers.data);
  const names = new Map((staff.data ?? []).map((person) => [person.id, person.display_name]));
  const rows = deliveries.data ?? [];

  return (
    <>
      <div className="toolbar inv-toolbar">
        <span className="inv-toolbar__end">
          <Button variant="primary" onClick={() => setOpen(true)} data-testid="delivery-new">
            Receive a delivery
          </Button>
        </span>
      </div>
      <div className="panel">
        {deliveries.isPending ? (
          <Spinner label="Loading deliveries" />
        ) : deliveries.isError ? (
          <ErrorBanner title="The deliveries could not be loaded" error={deliveries.error} />
        ) : rows.length === 0 ? (
          <EmptyState title="No deliveries yet">What you receive shows here, newest first.</EmptyState>
        ) : (
          <DataTable
            testId="deliveries-table"
            columns={["Received", "Supplier", "Goods", { label: "Cost", num: true }, "By"]}
          >
            {rows.map((delivery) => {
              const cost = costOf(
                delivery.lines.map((line) => ({
                  quantity: line.quantity,
                  unit: itemById.get(line.stock_item_id)?.unit ?? "pc",
                  unitCost: line.unit_cost,
                })),
              );
              return (
                <tr key={delivery.id} data-testid={`delivery-row-${delivery.id}`}>
                  <td className="nowrap">{formatDateTime(delivery.received_at, timeZone)}</td>
                  <td>
                    {delivery.supplier_id === null
                      ? "—"
                      : (supplierById.get(delivery.supplier_id)?.name ?? `#${delivery.supplier_id}`)}
                    {delivery.note && <div className="muted">{delivery.note}</div>}
                  </td>
                  <td>
                    {delivery.lines
                      .map((line) => {
                        const item = itemById.get(line.stock_item_id);
                        return item
                          ? `${item.name} ${formatQuantity(line.quantity, item.unit)}`
                          : `#${line.stock_item_id} × ${line.quantity}`;
                      })
                      .join(", ")}
                  </td>
                  <td className="num nowrap">{cost === null ? "—" : formatMoney(cost, currency)}</td>
                  <td>
                    {delivery.received_by_id === null
                      ? "—"
                      : (names.get(delivery.received_by_id) ?? `#${delivery.received_by_id}`)}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
      {open && (
        <DeliveryDialog
          items={items.data ?? []}
          suppliers={suppliers.data ?? []}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function DeliveryDialog({
  items,
  suppliers,
  onClose,
}: {
  items: readonly StockItem[];
  suppliers: readonly Supplier[];
  onClose: () => void;
}) {
  const currency = useCurrency();
  const [supplierId, setSupplierId] = useState("");
  const [note, setNote] = useState("");
  const [lines, setLines] = useState<LineDraft[]>(() => [emptyLine()]);
  const [problems, setProblems] = useState<Record<string, LineProblems>>({});
  const [empty, setEmpty] = useState(false);
  const formId = useId();
  const receive = useInventoryWrite(receiveDelivery);
  // The supplier's own items first in the pickers: what they usually bring.
  const chosen = supplierId === "" ? null : Number(supplierId);
  const ordered =
    chosen === null
      ? items
      : [
          ...items.filter((item) => item.supplier_id === chosen),
          ...items.filter((item) => item.supplier_id !== chosen),
        ];

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseLines(lines, byId(items), { withCost: true, currencyDigits: currencyDigits(currency) });
    setProblems(parsed.problems);
    const noLines = parsed.lines.length === 0 && Object.keys(parsed.problems).length === 0;
    setEmpty(noLines);
    if (noLines || Object.keys(parsed.problems).length > 0) return;
    receive.mutate(
      {
        supplier_id: chosen,
        note: note.trim() === "" ? null : note.trim(),
        lines: parsed.lines.map((line) => ({
          stock_item_id: line.stock_item_id,
          quantity: line.quantity,
          unit_cost: line.unit_cost ?? null,
        })),
      },
      { onSuccess: onClose },
    );
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title="Receive a delivery"
      dismissible={!receive.isPending}
      data-testid="delivery-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label="Receive"
          busy={receive.isPending}
          onClose={onClose}
          testId="delivery-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Supplier">
            {(control) => (
              <select
                {...control}
                value={supplierId}
                onChange={(event) => setSupplierId(event.target.value)}
                data-testid="delivery-supplier"
              >
                <SupplierOptions suppliers={suppliers} />
              </select>
            )}
          </Field>
          <Field label="Note (optional)" hint="The delivery note's number, what was missing…">
            {(control) => (
              <input
                {...control}
                maxLength={2000}
                value={note}
                onChange={(event) => setNote(event.target.value)}
                data-testid="delivery-note"
              />
            )}
          </Field>
        </div>
        <p className="muted">
          Quantities in kg, l or pieces (or type the unit: “500 g”). A unit cost becomes the item's cost.
        </p>
        <LinesEditor
          lines={lines}
          onChange={(next) => {
            setLines(next);
            setEmpty(false);
          }}
          items={ordered}
          withCost
          currency={currency}
          problems={problems}
          testId="delivery-line"
        />
        {empty && (
          <p className="field__error" role="alert">
            Add at least one line.
          </p>
        )}
        {receive.isError && <ErrorBanner title="Not received" error={receive.error} testId="delivery-error" />}
      </form>
    </Sheet>
  );
}
