// The order's "⋯" actions: transfer the order to a free table, merge another table's order into this one, move
// some item units to another table's order. Each is picked in a sheet, confirmed with a button that says what
// will happen, and sent straight to the appliance (see api/actions.ts for why these are never queued).
import { newIdempotencyKey, type Order, type OrderItem, type Table } from "@tavolo/api";
import { Banner, Button, Sheet, Spinner, formatMoney } from "@tavolo/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { refusalText, runOrderAction, useFloor, type OrderAction } from "../api/actions";
import { tableName } from "../model/describe";
import "./order-actions.css";

type Step = "menu" | "transfer" | "merge" | "move";

export interface OrderActionsProps {
  order: Order;
  currency: string;
  /** Why the actions cannot be used now (offline, writes of this order still queued); null when they can. */
  blocked: string | null;
  onClose: () => void;
  /** Done: what to tell the waiter. */
  onDone: (message: string) => void;
}

const TITLES: Record<Step, string> = {
  menu: "Order actions",
  transfer: "Transfer to another table",
  merge: "Merge another table's order into this one",
  move: "Move items to another table",
};

function unpaid(item: OrderItem): number {
  return item.status === "cancelled" ? 0 : Math.max(0, item.quantity - item.paid_quantity);
}

export function OrderActions({ order, currency, blocked, onClose, onDone }: OrderActionsProps) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>("menu");
  const [tableId, setTableId] = useState<number | null>(null);
  const [units, setUnits] = useState<ReadonlyMap<number, number>>(() => new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per thing confirmed: a new choice gets a new key, a retry of the same one reuses it.
  const [key, setKey] = useState(newIdempotencyKey);
  const floor = useFloor(step !== "menu");

  const here = tableName(order.table_label);
  const tables = (floor.data ?? []).filter((table) => table.id !== order.table_id && table.is_active);
  const choices =
    step === "transfer"
      ? tables.filter((table) => table.state === "free")
      : tables.filter((table) => table.order_id !== null && table.order_id !== order.id);
  // Own tables first: those are the ones a waiter may merge with or move items to.
  choices.sort((a, b) => Number(b.is_mine) - Number(a.is_mine) || a.number - b.number);
  const target = choices.find((table) => table.id === tableId) ?? null;
  const movable = order.items.filter((item) => unpaid(item) > 0);
  const chosenUnits = [...units.values()].reduce((sum, n) => sum + n, 0);

  function go(next: Step) {
    setStep(next);
    setTableId(null);
    setUnits(new Map());
    setError(null);
    setKey(newIdempotencyKey());
  }

  function pick(id: number) {
    setTableId(id);
    setError(null);
    setKey(newIdempotencyKey());
  }

  function setItemUnits(item: OrderItem, count: number) {
    const next = new Map(units);
    const clamped = Math.max(0, Math.min(count, unpaid(item)));
    if (clamped > 0) next.set(item.id, clamped);
    else next.delete(item.id);
    setUnits(next);
    setKey(newIdempotencyKey());
  }

  let action: OrderAction | null = null;
  let confirmText = "Choose a table";
  if (target) {
    const there = tableName(target.label);
    if (step === "transfer") {
      action = { kind: "transfer", tableId: target.id };
      confirmText = `Transfer ${here} to ${there}`;
    } else if (step === "merge" && target.order_id !== null) {
      action = { kind: "merge", otherOrderId: target.order_id };
      confirmText = `Merge ${there} into ${here}`;
    } else if (step === "move" && target.order_id !== null) {
      if (chosenUnits === 0) confirmText = "Choose the items to move";
      else {
        action = {
          kind: "move",
          toOrderId: target.order_id,
          items: [...units].map(([item_id, quantity]) => ({ item_id, quantity })),
        };
        confirmText = `Move ${chosenUnits} item${chosenUnits === 1 ? "" : "s"} to ${there}`;
      }
    }
  }

  async function confirm() {
    if (!action || !target || blocked) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await runOrderAction(order.id, action, key);
      queryClient.setQueryData(["order", order.id], updated);
      void queryClient.invalidateQueries({ queryKey: ["tables"] });
      void queryClient.invalidateQueries({ queryKey: ["my-orders"] });
      if (target.order_id !== null) void queryClient.invalidateQueries({ queryKey: ["order", target.order_id] });
      const there = tableName(target.label);
      onDone(
        action.kind === "transfer"
          ? `The order is now on ${there}`
          : action.kind === "merge"
            ? `${there}'s order was merged into this one`
            : `${chosenUnits} item${chosenUnits === 1 ? "" : "s"} moved to ${there}`,
      );
    } catch (caught) {
      setError(refusalText(caught));
      void queryClient.invalidateQueries({ queryKey: ["tables"] });
      void queryClient.invalidateQueries({ queryKey: ["order", order.id] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Sheet
      open
      onClose={onClose}
      dismissible={!busy}
      title={TITLES[step]}
      data-testid="order-actions-sheet"
      footer={
        step === "menu" ? undefined : (
          <>
            <Button variant="secondary" size="large" disabled={busy} onClick={() => go("menu")}>
              Back
            </Button>
            <Button
              variant="primary"
              size="large"
              busy={busy}
              disabled={action === null || blocked !== null}
              onClick={() => void confirm()}
              data-testid="order-action-confirm"
            >
              {confirmText}
            </Button>
          </>
        )
      }
    >
      {blocked && (
        <Banner tone="warn" compact data-testid="order-actions-blocked">
          {blocked}
        </Banner>
      )}
      {error && (
        <Banner tone="error" title="Not done" data-testid="order-action-error">
          {error}
        </Banner>
      )}
      {step === "menu" ? (
        <div className="ord-acts__menu">
          <Button size="large" block disabled={blocked !== null} onClick={() => go("transfer")} data-testid="transfer-order">
            Transfer to another table
          </Button>
          <Button size="large" block disabled={blocked !== null} onClick={() => go("merge")} data-testid="merge-order">
            Merge with another table
          </Button>
          <Button
            size="large"
            block
            disabled={blocked !== null || movable.length === 0}
            onClick={() => go("move")}
            data-testid="move-items"
          >
            Move items to another table
          </Button>
        </div>
      ) : (
        <>
          {step === "move" && (
            <section className="ord-acts__section" aria-label="Items to move">
              <h3 className="ord-acts__heading">Items</h3>
              <ul className="ord-acts__list">
                {movable.map((item) => (
                  <MoveRow
                    key={item.id}
                    item={item}
                    units={units.get(item.id) ?? 0}
                    max={unpaid(item)}
                    currency={currency}
                    onSet={(count) => setItemUnits(item, count)}
                  />
                ))}
              </ul>
            </section>
          )}
          <section className="ord-acts__section" aria-label="Tables">
            <h3 className="ord-acts__heading">
              {step === "transfer" ? "Free tables" : "Tables with an open order"}
            </h3>
            {floor.isPending ? (
              <Spinner label="Loading the tables" />
            ) : floor.isError && !floor.data ? (
              <p className="ord-muted">{refusalText(floor.error)}</p>
            ) : choices.length === 0 ? (
              <p className="ord-muted" data-testid="no-tables">
                {step === "transfer" ? "No table is free." : "No other table has an open order."}
              </p>
            ) : (
              <div className="ord-acts__tables" role="radiogroup" aria-label="Table">
                {choices.map((table) => (
                  <TableChoice key={table.id} table={table} checked={table.id === tableId} onPick={pick} currency={currency} />
                ))}
              </div>
            )}
          </section>
        </>
      )}
    </Sheet>
  );
}

function TableChoice({
  table,
  checked,
  onPick,
  currency,
}: {
  table: Table;
  checked: boolean;
  onPick: (id: number) => void;
  currency: string;
}) {
  const sub =
    table.order_id === null
      ? `${table.seats} seats`
      : [table.is_mine ? null : table.waiter_name, formatMoney(table.total, currency)].filter(Boolean).join(" · ");
  return (
    <button
      type="button"
      role="radio"
      aria-checked={checked}
      className="ord-acts__table"
      onClick={() => onPick(table.id)}
      data-testid={`pick-table-${table.number}`}
    >
      <span className="ord-acts__table-name">{tableName(table.label)}</span>
      <span className="ord-acts__table-sub">{sub}</span>
    </button>
  );
}

function MoveRow({
  item,
  units,
  max,
  currency,
  onSet,
}: {
  item: OrderItem;
  units: number;
  max: number;
  currency: string;
  onSet: (count: number) => void;
}) {
  return (
    <li className="ord-acts__item">
      <label className="ord-acts__item-name">
        <input
          type="checkbox"
          checked={units > 0}
          onChange={() => onSet(units > 0 ? 0 : max)}
          data-testid={`move-item-${item.id}`}
        />
        <span>
          {max}× {item.product_name}
          {item.seat !== null && <span className="ord-muted"> · seat {item.seat}</span>}
        </span>
        <span className="ord-acts__price">{formatMoney(item.unit_price * (units || max), currency)}</span>
      </label>
      {max > 1 && (
        <div className="ord-acts__qty" role="group" aria-label={`How many ${item.product_name}`}>
          <button
            type="button"
            aria-label={`One ${item.product_name} less`}
            disabled={units === 0}
            onClick={() => onSet(units - 1)}
            data-testid={`move-dec-${item.id}`}
          >
            −
          </button>
          <span data-testid={`move-units-${item.id}`} data-units={units}>
            {units} of {max}
          </span>
          <button
            type="button"
            aria-label={`One ${item.product_name} more`}
            disabled={units >= max}
            onClick={() => onSet(units + 1)}
            data-testid={`move-inc-${item.id}`}
          >
            +
          </button>
        </div>
      )}
    </li>
  );
}
