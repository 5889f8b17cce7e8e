// Stock: every item with what is on hand (in kg, l or pieces), its critical level, its state (low, or critical in
// tomorrow's forecast), supplier and cost; quick receive, count and waste; each item's history of movements.
import { Button, EmptyState, Spinner } from "@tavolo/ui";
import { useState } from "react";
import { useCurrency } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { useForecast, useStockItems, useSuppliers, type StockItem } from "../api/inventory-api";
import { formatQuantity } from "../model/units";
import { ItemDialog } from "./item-dialog";
import { MovementsSheet } from "./movements-sheet";
import { byId, formatUnitCost, StockChip, stockState } from "./parts";
import { StockActionDialog, type StockAction } from "./stock-action-dialog";

type Dialog =
  | { kind: "create" }
  | { kind: "edit" | "history"; item: StockItem }
  | { kind: "action"; action: StockAction; item: StockItem }
  | null;

export function StockPage() {
  const items = useStockItems();
  const suppliers = useSuppliers();
  const forecast = useForecast();
  const currency = useCurrency();
  const [showInactive, setShowInactive] = useState(false);
  const [filter, setFilter] = useState("");
  const [dialog, setDialog] = useState<Dialog>(null);
  const supplierById = byId(suppliers.data);
  const statusOf = new Map((forecast.data ?? []).map((row) => [row.stock_item_id, row.status]));
  const all = items.data ?? [];
  const inactiveCount = all.filter((item) => !item.is_active).length;
  const needle = filter.trim().toLowerCase();
  const shown = all.filter(
    (item) => (showInactive || item.is_active) && (needle === "" || item.name.toLowerCase().includes(needle)),
  );
  const close = () => setDialog(null);

  return (
    <>
      <div className="toolbar inv-toolbar">
        <label className="field inv-search">
          <span className="field__label">Find an item</span>
          <input
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            data-testid="stock-search"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={showInactive}
            onChange={(event) => setShowInactive(event.target.checked)}
            data-testid="stock-show-inactive"
          />
          Show deactivated ({inactiveCount})
        </label>
        <span className="inv-toolbar__end">
          <Button variant="primary" onClick={() => setDialog({ kind: "create" })} data-testid="stock-add">
            Add stock item
          </Button>
        </span>
      </div>
      <div className="panel">
        {items.isPending ? (
          <Spinner label="Loading stock" />
        ) : items.isError ? (
          <ErrorBanner title="The stock could not be loaded" error={items.error} />
        ) : shown.length === 0 ? (
          <EmptyState title={all.length === 0 ? "No stock items yet" : "Nothing matches"}>
            {all.length === 0
              ? "Add what the kitchen and the bar keep in stock (feta, olive oil, wine), then give the dishes " +
                "their recipes."
              : "Try another name, or show the deactivated items."}
          </EmptyState>
        ) : (
          <DataTable
            testId="stock-table"
            columns={[
              "Item",
              { label: "On hand", num: true },
              { label: "Critical level", num: true },
              "State",
              "Supplier",
              { label: "Unit cost", num: true },
              { label: "Actions", hidden: true },
            ]}
          >
            {shown.map((item) => {
              const state = stockState(item, statusOf.get(item.id));
              const supplier = item.supplier_id === null ? undefined : supplierById.get(item.supplier_id);
              return (
                <tr key={item.id} data-testid={`stock-row-${item.id}`} data-name={item.name}>
                  <td>
                    <strong>{item.name}</strong>
                  </td>
                  <td className="num nowrap" data-testid="stock-on-hand" data-value={item.on_hand}>
                    {formatQuantity(item.on_hand, item.unit)}
                  </td>
                  <td className="num nowrap muted">{formatQuantity(item.critical_level, item.unit)}</td>
                  <td>
                    <StockChip state={state} />
                  </td>
                  <td>{supplier?.name ?? <span className="muted">—</span>}</td>
                  <td className="num nowrap">{formatUnitCost(item.unit_cost, item.unit, currency)}</td>
                  <td>
                    <div className="row-actions">
                      {item.is_active && (
                        <>
                          <Button
                            onClick={() => setDialog({ kind: "action", action: "receive", item })}
                            data-testid="stock-receive"
                          >
                            Receive
                          </Button>
                          <Button
                            onClick={() => setDialog({ kind: "action", action: "count", item })}
                            data-testid="stock-count"
                          >
                            Count
                          </Button>
                          <Button
                            onClick={() => setDialog({ kind: "action", action: "waste", item })}
                            data-testid="stock-waste"
                          >
                            Waste
                          </Button>
                        </>
                      )}
                      <Button
                        variant="ghost"
                        onClick={() => setDialog({ kind: "history", item })}
                        aria-label={`History of ${item.name}`}
                        data-testid="stock-history"
                      >
                        History
                      </Button>
                      <Button
                        variant="ghost"
                        onClick={() => setDialog({ kind: "edit", item })}
                        aria-label={`Edit ${item.name}`}
                        data-testid="stock-edit"
                      >
                        Edit
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
      {dialog?.kind === "create" && <ItemDialog suppliers={suppliers.data ?? []} onClose={close} />}
      {dialog?.kind === "edit" && <ItemDialog item={dialog.item} suppliers={suppliers.data ?? []} onClose={close} />}
      {dialog?.kind === "history" && <MovementsSheet item={dialog.item} onClose={close} />}
      {dialog?.kind === "action" && (
        <StockActionDialog
          action={dialog.action}
          item={all.find((item) => item.id === dialog.item.id) ?? dialog.item}
          suppliers={suppliers.data ?? []}
          onClose={close}
        />
      )}
    </>
  );
}
